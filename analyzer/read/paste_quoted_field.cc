// The paste normaliser's step 4b (paste_lines.h): a crash report's verdict field quoted inside a
// sentence is cut out of it, so that the readers see the field as a line of its own.
#include <algorithm>
#include <utility>

#include "read/paste_lines.h"

namespace tediag::paste {
namespace {

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
