#include "read/tool_output.h"

#include "util/text_util.h"

namespace tediag {
namespace {

// "Key=value" as codesign -dvvv prints it: a capitalised key of words, then '='.
bool IsCodesignKeyValue(std::string_view line) {
  size_t eq = line.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq > 40 || !IsAsciiUpper(line[0])) return false;
  for (char c : line.substr(0, eq)) {
    if (!IsAsciiAlnum(c) && c != ' ' && c != '.' && c != '-') return false;
  }
  return true;
}

// The entitlements dump that `codesign -d --entitlements -` appends: "[Dict]", "[Key] …",
// tab-indented values, or an XML property list.
bool IsEntitlementsLine(std::string_view line) {
  std::string_view s = StripLeadingWhitespace(line);
  return s.starts_with("[Dict]") || s.starts_with("[Key]") || s.starts_with("[Value]") || s.starts_with("[Bool]") ||
         s.starts_with("[String]") || s.starts_with("[Array]") || s.starts_with("<?xml") || s.starts_with("<!DOCTYPE") ||
         s.starts_with("<plist") || s.starts_with("</plist") || s.starts_with("<dict") || s.starts_with("</dict") ||
         s.starts_with("<key>") || s.starts_with("<true/>") || s.starts_with("<false/>") || s.starts_with("<string>") ||
         s.starts_with("<array") || s.starts_with("</array");
}

// codesign --verify's verdict lines: "<path>: valid on disk", "<path>: a sealed resource is
// missing or invalid", "<path>: code object is not signed at all", "--validated:<path>", …
bool IsCodesignVerifyLine(std::string_view line) {
  return line.starts_with("--prepared:") || line.starts_with("--validated:") || line.ends_with(": valid on disk") ||
         line.ends_with(": satisfies its Designated Requirement") ||
         Contains(line, ": a sealed resource is missing or invalid") || Contains(line, ": code object is not signed at all") ||
         Contains(line, ": invalid signature (code or signature have been modified)") ||
         Contains(line, ": code has no resources but signature indicates they must be present") ||
         Contains(line, ": does not satisfy its designated Requirement") ||
         Contains(line, ": main executable failed strict validation") ||
         Contains(line, ": nested code is modified or invalid");
}

bool IsCodesignVerifyDetail(std::string_view line) {
  return line.starts_with("file added: ") || line.starts_with("file modified: ") || line.starts_with("file missing: ") ||
         line.starts_with("In subcomponent: ") || line.starts_with("In architecture: ") ||
         line.starts_with("test-requirement: ") || IsCodesignVerifyLine(line);
}

// "<path>: accepted" / "<path>: rejected" / "<path>: rejected (the code is valid but …)".
bool IsSpctlVerdict(std::string_view line) {
  for (std::string_view verdict : {": accepted", ": rejected"}) {
    size_t at = line.rfind(verdict);
    if (at == std::string_view::npos || at == 0) continue;
    std::string_view rest = line.substr(at + verdict.size());
    if (rest.empty() || rest.starts_with(" (")) return true;
  }
  return false;
}

bool IsXattrLine(std::string_view line) {
  return line.starts_with("com.apple.quarantine: ") || line.starts_with("com.apple.provenance: ") ||
         line.starts_with("com.apple.macl: ") || line.starts_with("com.apple.metadata:") ||
         line.starts_with("com.apple.lastuseddate#PS: ") || line.starts_with("com.apple.FinderInfo: ") ||
         line.starts_with("com.apple.ResourceFork: ") || line.starts_with("com.apple.cs.");
}

}  // namespace

Tool ToolOutputStart(std::string_view line) {
  if (line.starts_with("Executable=/") || line.starts_with("Executable=")) return Tool::kCodesign;
  if (IsCodesignVerifyLine(line)) return Tool::kCodesign;
  if (IsSpctlVerdict(line)) return Tool::kSpctl;
  if (IsXattrLine(line)) return Tool::kXattr;
  if (line.starts_with("Processing: ")) return Tool::kStapler;
  if (Contains(line, "does not have a ticket stapled to it") || line == "The validate action worked!" ||
      line == "The staple and validate action worked!") {
    return Tool::kStapler;
  }
  if (line.starts_with("App has failed one or more pre-distribution checks") ||
      line.starts_with("App passed all pre-distribution checks") || line.starts_with("syspolicy_check:")) {
    return Tool::kSyspolicyCheck;
  }
  if (line.starts_with("Successfully received submission") || line.starts_with("Conducting pre-submission checks") ||
      line.starts_with("Submission ID received") || line.starts_with("Current status: ") ||
      line.starts_with("Processing complete")) {
    return Tool::kNotarytool;
  }
  return Tool::kNone;
}

bool ContinuesToolOutput(Tool tool, std::string_view line) {
  std::string_view s = StripWhitespace(line);
  if (s.empty()) return false;
  switch (tool) {
    case Tool::kCodesign:
      return IsCodesignKeyValue(line) || IsEntitlementsLine(line) || IsCodesignVerifyDetail(line) ||
             line.starts_with("\t") || line.starts_with("  ");
    case Tool::kSpctl:
      return line.starts_with("source=") || line.starts_with("origin=") || line.starts_with("override=");
    case Tool::kXattr:
      return IsXattrLine(line) || (s.size() > 8 && IsAsciiHexDigit(s[0]) && s.find("  ") == 8);  // hex dump rows
    case Tool::kStapler:
      return Contains(line, "does not have a ticket stapled to it") || line.starts_with("The validate action") ||
             line.starts_with("The staple and validate action") || line.starts_with("CloudKit query for") ||
             line.starts_with("Could not validate ticket") || line.starts_with("Downloaded ticket") ||
             line.starts_with("Properties are") || line.starts_with("Props are");
    case Tool::kSyspolicyCheck:
    case Tool::kNotarytool:
      return line.starts_with(" ") || line.starts_with("\t") || Contains(s, ": ") || s.ends_with(":");
    case Tool::kNone: break;
  }
  return false;
}

std::string_view ToolName(Tool tool) {
  switch (tool) {
    case Tool::kCodesign: return "codesign";
    case Tool::kSpctl: return "spctl";
    case Tool::kXattr: return "xattr";
    case Tool::kStapler: return "stapler";
    case Tool::kSyspolicyCheck: return "syspolicy_check";
    case Tool::kNotarytool: return "notarytool";
    case Tool::kNone: break;
  }
  return "";
}

InputFormat ToolFormat(Tool tool) {
  switch (tool) {
    case Tool::kCodesign: return InputFormat::kCodesign;
    case Tool::kSpctl: return InputFormat::kSpctl;
    case Tool::kXattr: return InputFormat::kXattr;
    case Tool::kStapler: return InputFormat::kStapler;
    case Tool::kSyspolicyCheck: return InputFormat::kSyspolicyCheck;
    case Tool::kNotarytool: return InputFormat::kNotarytool;
    case Tool::kNone: break;
  }
  return InputFormat::kText;
}

}  // namespace tediag
