// Crash-report fields inside a line of pasted text (paste_lines.h), found for step 4 and used by
// step 5: the keys of a text crash report, a whole report flattened into one line (cut back into
// its lines), and a report's verdict field quoted inside a sentence (cut out of it), so that the
// readers see each field as a line of its own.
#include <algorithm>
#include <utility>

#include "read/paste_lines.h"

namespace tediag::paste {
namespace {

// The keys of a text crash report's header and sections that a flattened report is split at,
// longest first where one ends another ("Parent Process" before "Process").
constexpr std::string_view kCrashKeys[] = {"Translated Report (Full Report Below)",
                                           "Application Specific Information",
                                           "Application Specific Signatures",
                                           "System Integrity Protection",
                                           "Time Awake Since Boot",
                                           "Triggered by Thread",
                                           "Highlighted by Thread",
                                           "Incident Identifier",
                                           "Responsible Process",
                                           "Terminating Process",
                                           "Termination Details",
                                           "Termination Reason",
                                           "Termination Signal",
                                           "Dyld Error Message",
                                           "Exception Subtype",
                                           "Exception Message",
                                           "Exception Reason",
                                           "Exception Codes",
                                           "Exception Note",
                                           "Exception Type",
                                           "Crashed Thread",
                                           "Parent Process",
                                           "Report Version",
                                           "Anonymous UUID",
                                           "Sleep/Wake UUID",
                                           "Time Since Wake",
                                           "CrashReporter Key",
                                           "Hardware Model",
                                           "Code Signing ID",
                                           "Library not loaded",
                                           "Referenced from",
                                           "Binary Images",
                                           "Beta Identifier",
                                           "VM Region Info",
                                           "Kernel Triage",
                                           "Release Type",
                                           "Launch Time",
                                           "OS Version",
                                           "Code Type",
                                           "Date/Time",
                                           "Responsible",
                                           "Identifier",
                                           "Coalition",
                                           "User ID",
                                           "Team ID",
                                           "Version",
                                           "Process",
                                           "Reason",
                                           "Path"};

// The keys of the fields that carry a crash report's verdict, and what their value starts with
// when the field is written in a sentence without quotes around it.
struct VerdictKey {
  std::string_view key;    // with its colon
  std::string_view value;  // the start of an unquoted field's value; a quoted one may start with anything
};
constexpr VerdictKey kVerdictKeys[] = {{"Termination Reason:", "Namespace "},
                                       {"Exception Type:", "EXC_"},
                                       {"Exception Codes:", "0x"},
                                       {"Exception Subtype:", "KERN_"}};

// The quote that opens right before s[at] and the one that closes it: straight ones, a
// parenthesis, and the curly and angle quotes kept in fenced text (normalised elsewhere).
struct Quote {
  size_t open = 0;  // its length in bytes; 0: no quote
  std::string_view close;
};
constexpr std::pair<std::string_view, std::string_view> kQuotes[] = {{"\"", "\""},
                                                                     {"'", "'"},
                                                                     {"(", ")"},
                                                                     {"\xE2\x80\x9C", "\xE2\x80\x9D"},   // “ ”
                                                                     {"\xE2\x80\x98", "\xE2\x80\x99"},   // ‘ ’
                                                                     {"\xC2\xAB", "\xC2\xBB"},           // « »
                                                                     {"\xE2\x80\x9E", "\xE2\x80\x9C"}};  // „ “

Quote QuoteBefore(std::string_view s, size_t at) {
  for (const auto& [open, close] : kQuotes) {
    if (at >= open.size() && s.substr(at - open.size(), open.size()) == open) return {open.size(), close};
  }
  return {};
}

// Where the quote that closes `close` is, from s[from]; a parenthesis skips the pairs inside it
// ("(Exception Type: EXC_CRASH (Code Signature Invalid))").
size_t ClosingQuote(std::string_view s, size_t from, std::string_view close) {
  if (close != ")") return s.find(close, from);
  int depth = 0;
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && depth-- == 0) return i;
  }
  return std::string_view::npos;
}

// A verdict field in the middle of `s`: where its quote (or, unquoted, the field) starts, where the
// field starts, and where it ends (at its closing quote, or the line's end); at == 0 when the line
// holds none, or the field already starts the line unquoted.
struct FieldSpan {
  size_t begin = 0, at = 0, end = 0, close = 0;  // close: the closing quote's length
};

FieldSpan VerdictFieldIn(std::string_view s) {
  if (s.find(':') == std::string_view::npos) return {};  // most lines: no key at all
  for (const VerdictKey& v : kVerdictKeys) {
    for (size_t at = s.find(v.key); at != std::string_view::npos; at = s.find(v.key, at + 1)) {
      if (IsBlank(s.substr(0, at))) break;  // the field starts the line: nothing to cut
      Quote quote = QuoteBefore(s, at);
      if (quote.open == 0 && s[at - 1] != ' ' && s[at - 1] != '\t') continue;
      std::string_view value = StripLeadingWhitespace(s.substr(at + v.key.size()));
      if (value.empty() || (quote.open == 0 && !value.starts_with(v.value))) continue;
      size_t end = quote.open != 0 ? ClosingQuote(s, at + v.key.size(), quote.close) : std::string_view::npos;
      if (end == std::string_view::npos) return {at - quote.open, at, s.size(), 0};
      return {at - quote.open, at, end, quote.close.size()};
    }
  }
  return {};
}

}  // namespace

size_t CrashKeyAt(std::string_view s, size_t i) {
  std::string_view rest = s.substr(i);
  if (rest.starts_with("Thread ") && rest.size() > 7 && IsAsciiDigit(rest[7])) {
    size_t j = 7;
    while (j < rest.size() && IsAsciiDigit(rest[j])) ++j;
    if (rest.substr(j).starts_with(" Crashed:"))
      j += 9;
    else if (rest.substr(j).starts_with(":"))
      j += 1;
    else
      return 0;
    if (j < rest.size() && rest[j] == ':') ++j;
    return j;
  }
  if (rest.empty() || !IsAsciiUpper(rest[0])) return 0;  // every key starts in upper case
  for (std::string_view key : kCrashKeys) {
    if (key[0] == rest[0] && rest.starts_with(key) && rest.size() > key.size() && rest[key.size()] == ':' &&
        (rest.size() == key.size() + 1 || rest[key.size() + 1] == ' ' || rest[key.size() + 1] == '\t')) {
      return key.size() + 1;
    }
  }
  return 0;
}

// A crash report flattened into one line ("Process: Foo [123] Path: /Applications/… Identifier: …
// Exception Type: EXC_CRASH (SIGKILL (Code Signature Invalid))"): where to cut it into its lines.
// Empty unless the line holds at least three keys, one of which opens a report.
std::vector<size_t> FlattenedReportCuts(std::string_view s) {
  std::vector<size_t> cuts;
  if (s.size() < 60) return cuts;
  // Cheap tests first: most lines hold no opening key at all.
  if (!Contains(s, "Process:") && !Contains(s, "Exception Type:") && !Contains(s, "Incident Identifier:") &&
      !Contains(s, "Translated Report")) {
    return cuts;
  }
  size_t keys = 0;
  bool opener = false;
  for (size_t i = 0; i < s.size();) {
    if (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t') {
      if (size_t n = CrashKeyAt(s, i); n != 0) {
        std::string_view key = s.substr(i, n);
        opener = opener || key.starts_with("Process:") || key.starts_with("Incident Identifier:") ||
                 key.starts_with("Exception Type:") || key.starts_with("Translated Report");
        ++keys;
        if (i != 0) cuts.push_back(i);
        i += n;
        continue;
      }
    }
    ++i;
  }
  if (keys < 3 || !opener) cuts.clear();
  return cuts;
}

bool CutQuotedVerdictField(Line& line, std::vector<Line>& cut) {
  FieldSpan f = VerdictFieldIn(line.text);
  if (f.at == 0) return false;
  std::string_view t = line.text;
  std::string_view before = StripTrailingWhitespace(t.substr(0, f.begin));
  std::string_view after = StripLeadingWhitespace(t.substr(std::min(t.size(), f.end + f.close)));
  std::string field(StripTrailingWhitespace(t.substr(f.at, f.end - f.at)));
  uint8_t flags = static_cast<uint8_t>(line.flags | kItem);
  if (!before.empty()) cut.push_back({std::string(before), line.source, line.flags, 0});
  if (std::none_of(after.begin(), after.end(), IsAsciiAlnum)) {  // nothing but "." or ")," after it
    line.text = std::move(field);
  } else {
    cut.push_back({std::move(field), line.source, flags, 0});
    line.text = std::string(after);
  }
  line.flags = flags;
  return true;
}

}  // namespace tediag::paste
