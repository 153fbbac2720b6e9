// Small string helpers over std::string_view.
//
// Why not Abseil's: Debian builds Abseil with ABSL_OPTION_USE_STD_STRING_VIEW=0, so there
// absl::string_view is a distinct type and absl::StrCat, StrSplit, StripAsciiWhitespace… do
// not accept std::string_view. These few helpers keep one code path for Debian and Homebrew.
// Abseil is still used where its types do not meet strings (Status, hash containers).
#pragma once

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <vector>

namespace tediag {

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || IsAsciiUpper(c) || (c >= 'a' && c <= 'z'); }
inline bool IsAsciiHexDigit(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
inline char AsciiToLower(char c) { return IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

inline std::string_view StripLeadingWhitespace(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsAsciiSpace(s[i])) ++i;
  return s.substr(i);
}
inline std::string_view StripTrailingWhitespace(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && IsAsciiSpace(s[n - 1])) --n;
  return s.substr(0, n);
}
inline std::string_view StripWhitespace(std::string_view s) {
  return StripTrailingWhitespace(StripLeadingWhitespace(s));
}

// Removes `prefix` from the front of `s` when it is there; says whether it was.
inline bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

inline std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiToLower(c);
  return out;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiToLower(a[i]) != AsciiToLower(b[i])) return false;
  }
  return true;
}

// Splits on every `separator`; empty pieces are kept unless `skip_empty`.
inline std::vector<std::string_view> Split(std::string_view s, char separator, bool skip_empty = false) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(separator, start);
    std::string_view piece = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!skip_empty || !piece.empty()) out.push_back(piece);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

inline std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(from, start);
    if (at == std::string_view::npos || from.empty()) break;
    out.append(s.substr(start, at - start)).append(to);
    start = at + from.size();
  }
  out.append(s.substr(start));
  return out;
}

// The length of the valid UTF-8 sequence starting at s[i], or 0 when the bytes there are not one
// (a stray continuation byte, an overlong or surrogate encoding, a cut-off sequence).
inline size_t Utf8SequenceLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (length == 0 || c > 0xF4 || i + length > s.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
  if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) {
    return 0;
  }
  return length;
}

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
inline std::string ToValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t length = Utf8SequenceLength(s, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, length));
      i += length;
    }
  }
  return out;
}

// `s` with control characters (other than tab and newline) replaced by U+FFFD, so that text from
// a log cannot move the cursor or retitle the terminal it is printed on.
inline std::string Printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n') || u == 0x7F) {
      out += "\xEF\xBF\xBD";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace text_internal {
inline void AppendPiece(std::string& out, const char* piece) { out.append(piece); }
// Any contiguous string: std::string, std::string_view, and absl::string_view (Status messages).
template <typename T>
requires requires(const T& t) {
  t.data();
  t.size();
}
void AppendPiece(std::string& out, const T& piece) { out.append(piece.data(), piece.size()); }
inline void AppendPiece(std::string& out, char c) { out.push_back(c); }
template <std::integral T>
requires(!std::same_as<T, char> && !std::same_as<T, bool>) void AppendPiece(std::string& out, T value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}
}  // namespace text_internal

// Appends strings, characters and integers (in decimal) to `out`.
template <typename... Pieces>
void StrAppend(std::string& out, const Pieces&... pieces) {
  (text_internal::AppendPiece(out, pieces), ...);
}
template <typename... Pieces>
std::string StrCat(const Pieces&... pieces) {
  std::string out;
  StrAppend(out, pieces...);
  return out;
}

template <typename Container>
std::string Join(const Container& pieces, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& piece : pieces) {
    if (!first) out.append(separator);
    out.append(std::string_view(piece));
    first = false;
  }
  return out;
}

}  // namespace tediag
