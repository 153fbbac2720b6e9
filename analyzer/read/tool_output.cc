#include "read/tool_output.h"

#include <initializer_list>

#include "util/text_util.h"

namespace tediag {
namespace {

bool StartsWithAny(std::string_view line, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (line.starts_with(p)) return true;
  }
  return false;
}
bool ContainsAny(std::string_view line, std::initializer_list<std::string_view> parts) {
  for (std::string_view p : parts) {
    if (Contains(line, p)) return true;
  }
  return false;
}

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
  return StartsWithAny(StripLeadingWhitespace(line),
                       {"[Dict]", "[Key]", "[Value]", "[Bool]", "[String]", "[Array]", "<?xml", "<!DOCTYPE", "<plist",
                        "</plist", "<dict", "</dict", "<key>", "<true/>", "<false/>", "<string>", "<array", "</array"});
}

// codesign --verify's verdict lines: "<path>: valid on disk", "<path>: a sealed resource is
// missing or invalid", "<path>: code object is not signed at all", "--validated:<path>", …
bool IsCodesignVerifyLine(std::string_view line) {
  return StartsWithAny(line, {"--prepared:", "--validated:"}) || line.ends_with(": valid on disk") ||
         line.ends_with(": satisfies its Designated Requirement") ||
         ContainsAny(line, {": a sealed resource is missing or invalid", ": code object is not signed at all",
                            ": invalid signature (code or signature have been modified)",
                            ": code has no resources but signature indicates they must be present",
                            ": does not satisfy its designated Requirement",
                            ": main executable failed strict validation", ": nested code is modified or invalid"});
}

bool IsCodesignVerifyDetail(std::string_view line) {
  return StartsWithAny(line, {"file added: ", "file modified: ", "file missing: ", "In subcomponent: ",
                              "In architecture: ", "test-requirement: "}) ||
         IsCodesignVerifyLine(line);
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
  return StartsWithAny(
      line, {"com.apple.quarantine: ", "com.apple.provenance: ", "com.apple.macl: ", "com.apple.metadata:",
             "com.apple.lastuseddate#PS: ", "com.apple.FinderInfo: ", "com.apple.ResourceFork: ", "com.apple.cs."});
}

// How each tool's output looks: the line that starts a block of it, and the lines that continue
// it (`stripped` is the line without surrounding white space, never empty).
struct ToolSyntax {
  Tool tool;
  std::string_view name;  // the record's process
  InputFormat format;
  bool (*starts)(std::string_view line);
  bool (*continues)(std::string_view line, std::string_view stripped);
};

// In the order a line is tried: the first tool whose `starts` accepts it.
constexpr ToolSyntax kTools[] = {
    {Tool::kCodesign, "codesign", InputFormat::kCodesign,
     [](std::string_view line) { return line.starts_with("Executable=") || IsCodesignVerifyLine(line); },
     [](std::string_view line, std::string_view) {
       return IsCodesignKeyValue(line) || IsEntitlementsLine(line) || IsCodesignVerifyDetail(line) ||
              StartsWithAny(line, {"\t", "  "});
     }},
    {Tool::kSpctl, "spctl", InputFormat::kSpctl, IsSpctlVerdict,
     [](std::string_view line, std::string_view) {
       return StartsWithAny(line, {"source=", "origin=", "override="});
     }},
    {Tool::kXattr, "xattr", InputFormat::kXattr, IsXattrLine,
     [](std::string_view line, std::string_view s) {
       return IsXattrLine(line) || (s.size() > 8 && IsAsciiHexDigit(s[0]) && s.find("  ") == 8);  // hex dump rows
     }},
    {Tool::kStapler, "stapler", InputFormat::kStapler,
     [](std::string_view line) {
       return line.starts_with("Processing: ") || Contains(line, "does not have a ticket stapled to it") ||
              line == "The validate action worked!" || line == "The staple and validate action worked!";
     },
     [](std::string_view line, std::string_view) {
       return Contains(line, "does not have a ticket stapled to it") ||
              StartsWithAny(line, {"The validate action", "The staple and validate action", "CloudKit query for",
                                   "Could not validate ticket", "Downloaded ticket", "Properties are", "Props are"});
     }},
    {Tool::kSyspolicyCheck, "syspolicy_check", InputFormat::kSyspolicyCheck,
     [](std::string_view line) {
       return StartsWithAny(line, {"App has failed one or more pre-distribution checks",
                                   "App passed all pre-distribution checks", "syspolicy_check:"});
     },
     [](std::string_view line, std::string_view s) {
       return StartsWithAny(line, {" ", "\t"}) || Contains(s, ": ") || s.ends_with(":");
     }},
    {Tool::kNotarytool, "notarytool", InputFormat::kNotarytool,
     [](std::string_view line) {
       return StartsWithAny(line, {"Successfully received submission", "Conducting pre-submission checks",
                                   "Submission ID received", "Current status: ", "Processing complete"});
     },
     [](std::string_view line, std::string_view s) {
       return StartsWithAny(line, {" ", "\t"}) || Contains(s, ": ") || s.ends_with(":");
     }},
};

const ToolSyntax* SyntaxOf(Tool tool) {
  for (const ToolSyntax& syntax : kTools) {
    if (syntax.tool == tool) return &syntax;
  }
  return nullptr;
}

}  // namespace

Tool ToolOutputStart(std::string_view line) {
  for (const ToolSyntax& syntax : kTools) {
    if (syntax.starts(line)) return syntax.tool;
  }
  return Tool::kNone;
}

bool ContinuesToolOutput(Tool tool, std::string_view line) {
  std::string_view s = StripWhitespace(line);
  const ToolSyntax* syntax = SyntaxOf(tool);
  return !s.empty() && syntax != nullptr && syntax->continues(line, s);
}

std::string_view ToolName(Tool tool) {
  const ToolSyntax* syntax = SyntaxOf(tool);
  return syntax ? syntax->name : "";
}

InputFormat ToolFormat(Tool tool) {
  const ToolSyntax* syntax = SyntaxOf(tool);
  return syntax ? syntax->format : InputFormat::kText;
}

}  // namespace tediag
