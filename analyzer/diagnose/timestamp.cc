#include "diagnose/timestamp.h"

#include "util/text_util.h"

namespace tediag {
namespace {

// Whether text[at, at + pattern.size()) has a digit wherever `pattern` has '9' and the same
// character elsewhere.
bool Shaped(std::string_view text, size_t at, std::string_view pattern) {
  if (text.size() < at + pattern.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = text[at + i];
    if (pattern[i] == '9' ? !IsAsciiDigit(c) : c != pattern[i]) return false;
  }
  return true;
}

}  // namespace

std::string NormalizeTimestamp(std::string_view text) {
  text = StripWhitespace(text);
  if (!Shaped(text, 0, "9999-99-99") || text.size() < 19 || (text[10] != ' ' && text[10] != 'T') ||
      !Shaped(text, 11, "99:99:99")) {
    return "";
  }
  std::string out = StrCat(text.substr(0, 10), "T", text.substr(11, 8));
  size_t i = 19;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    size_t start = i++;
    while (i < text.size() && IsAsciiDigit(text[i])) ++i;
    if (i - start > 1) StrAppend(out, ".", text.substr(start + 1, i - start - 1));
  }
  std::string_view rest = StripLeadingWhitespace(text.substr(i));
  if (rest.starts_with("Z")) return out + "Z";
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    if (Shaped(rest, 1, "99:99")) return StrCat(out, rest.substr(0, 6));
    if (Shaped(rest, 1, "9999")) return StrCat(out, rest.substr(0, 3), ":", rest.substr(3, 2));
  }
  return out;
}

}  // namespace tediag
