// Elisions: the marks people leave where they cut text out of what they paste — "...", "…",
// "[...]", "[…]", "<…>", "(...)", "[snip]", "<... 200 lines omitted ...>". Readers skip them so
// that a cut inside a crash report or a JSON document does not end it.
//
// Pure functions over a view; no allocation; cost proportional to the mark's length (a bracketed
// mark is looked for within kMaxElisionBytes). Thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "util/text_util.h"

namespace tediag {

inline constexpr size_t kMaxElisionBytes = 64;

namespace elision_detail {

inline constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS

// The length of a run of dots and ellipsis characters at the front of `s` that reads as an
// elision (three dots or more, or one ellipsis character), else 0.
inline size_t DotsAt(std::string_view s) {
  size_t i = 0, dots = 0;
  bool ellipsis = false;
  while (i < s.size()) {
    if (s[i] == '.') {
      ++dots;
      ++i;
    } else if (s.substr(i).starts_with(kEllipsis)) {
      ellipsis = true;
      i += kEllipsis.size();
    } else {
      break;
    }
  }
  return ellipsis || dots >= 3 ? i : 0;
}

inline bool IsElisionWord(std::string_view word) {
  for (std::string_view known : {"snip", "snipped", "truncated", "omitted", "redacted", "elided", "cut", "more",
                                 "lines", "line", "removed", "skipped"}) {
    if (EqualsIgnoreCase(word, known)) return true;
  }
  return false;
}

}  // namespace elision_detail

// The length of the elision mark at the front of `s`, or 0 when there is none there. A bracketed
// mark holds only dots, ellipses, spaces, numbers and words such as "snip" or "lines omitted",
// and at least one dot run or such a word: "[1, 2]", "[]" and "(null)" are not marks.
inline size_t ElisionAt(std::string_view s) {
  using namespace elision_detail;
  if (s.empty()) return 0;
  if (size_t dots = DotsAt(s)) return dots;
  char open = s[0];
  char close = open == '[' ? ']' : open == '<' ? '>' : open == '(' ? ')' : '\0';
  if (close == '\0') return 0;
  bool marked = false;
  size_t i = 1;
  std::string_view limited = s.substr(0, kMaxElisionBytes);
  while (i < limited.size()) {
    char c = limited[i];
    if (c == close) return marked ? i + 1 : 0;
    if (size_t dots = DotsAt(limited.substr(i))) {
      marked = true;
      i += dots;
    } else if (c == ' ' || IsAsciiDigit(c)) {
      ++i;
    } else if (IsAsciiAlnum(c)) {
      size_t end = i;
      while (end < limited.size() && IsAsciiAlnum(limited[end])) ++end;
      if (!IsElisionWord(limited.substr(i, end - i))) return 0;
      marked = true;
      i = end;
    } else {
      return 0;
    }
  }
  return 0;
}

// True for a line that holds nothing but an elision mark (and white space).
inline bool IsElisionLine(std::string_view line) {
  std::string_view trimmed = StripWhitespace(line);
  size_t length = ElisionAt(trimmed);
  return length != 0 && length == trimmed.size();
}

// `value` without elision marks at its end that stand apart from the text before them
// ("Code 2 [...]" → "Code 2"); a mark that is part of a word ("0x...") stays.
inline std::string_view StripTrailingElisions(std::string_view value) {
  while (true) {
    value = StripTrailingWhitespace(value);
    size_t cut = std::string_view::npos;
    for (size_t start = value.size() > kMaxElisionBytes ? value.size() - kMaxElisionBytes : 0; start < value.size();
         ++start) {
      if ((start == 0 || value[start - 1] == ' ' || value[start - 1] == '\t') &&
          ElisionAt(value.substr(start)) == value.size() - start) {
        cut = start;
        break;
      }
    }
    if (cut == std::string_view::npos) return value;
    value = value.substr(0, cut);
  }
}

}  // namespace tediag
