// The paste normaliser's step 4 (paste_lines.h): the markup inside a line, outside fences and
// JSON: list bullets, HTML entities, curly quotes, inline code backticks, emphasis. Then the crash
// report fields a line holds are cut out (paste_crash_fields.cc).
#include <algorithm>
#include <utility>

#include "read/paste_lines.h"
#include "util/text_util.h"

namespace tediag::paste {
namespace {

// Curly quotes (U+2018, U+2019, U+201C, U+201D), as editors and forums turn typed quotes, to
// straight ones. Not in fenced text or JSON, which keep what the system wrote.
void StraightenQuotes(std::string& s) {
  if (s.find("\xE2\x80") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (i + 2 < s.size() && s[i] == '\xE2' && s[i + 1] == '\x80') {
      unsigned char q = static_cast<unsigned char>(s[i + 2]);
      if (q == 0x98 || q == 0x99 || q == 0x9C || q == 0x9D) {
        out.push_back(q <= 0x99 ? '\'' : '"');
        i += 3;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  s = std::move(out);
}

// Named and numeric character references a post's HTML leaves in copied text.
void DecodeEntities(std::string& s) {
  if (s.find('&') == std::string::npos) return;
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"&gt;", ">"},  {"&lt;", "<"},   {"&amp;", "&"},  {"&quot;", "\""},    {"&apos;", "'"},  {"&nbsp;", " "},
      {"&#39;", "'"}, {"&#34;", "\""}, {"&#x27;", "'"}, {"&hellip;", "..."}, {"&ndash;", "-"}, {"&mdash;", "-"}};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    std::string_view rest(s.data() + i, s.size() - i);
    bool done = false;
    for (const auto& [entity, text] : kNamed) {
      if (rest.starts_with(entity)) {
        out.append(text);
        i += entity.size();
        done = true;
        break;
      }
    }
    if (done) continue;
    if (rest.starts_with("&#")) {  // &#NNN; or &#xHH; for printable ASCII
      size_t j = 2;
      bool hex = j < rest.size() && (rest[j] == 'x' || rest[j] == 'X');
      if (hex) ++j;
      unsigned value = 0;
      size_t digits = 0;
      while (j < rest.size() && digits < 6 && (hex ? IsAsciiHexDigit(rest[j]) : IsAsciiDigit(rest[j]))) {
        char c = rest[j];
        value = value * (hex ? 16 : 10) + static_cast<unsigned>(IsAsciiDigit(c) ? c - '0' : AsciiToLower(c) - 'a' + 10);
        ++j;
        ++digits;
      }
      if (digits > 0 && j < rest.size() && rest[j] == ';' && value >= 0x20 && value < 0x7F) {
        out.push_back(static_cast<char>(value));
        i += j + 1;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  s = std::move(out);
}

bool IsPunct(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == '\'';
}

// Removes emphasis markers: "**x**" and "__x y__" anywhere they open after a space and close
// before one, "*x*" likewise, and "_x y_" only around the whole line. Identifiers such as
// __TEXT, __init__, snake_case, globs (*.app, /Users/*/) and "***" runs are left alone.
void RemoveEmphasis(std::string& s) {
  if (s.find_first_of("*_") == std::string::npos) return;
  auto opens = [&](size_t i, size_t n) {
    bool before = i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '"' || s[i - 1] == '\'';
    return before && i + n < s.size() && s[i + n] != ' ' && s[i + n] != s[i];
  };
  auto closes = [&](size_t i, size_t n) {
    bool after = i + n == s.size() || s[i + n] == ' ' || IsPunct(s[i + n]) || s[i + n] == '"';
    return after && i > 0 && s[i - 1] != ' ' && s[i - 1] != s[i];
  };
  for (std::string_view marker : {std::string_view("**"), std::string_view("__"), std::string_view("*")}) {
    size_t from = 0;
    while (true) {
      size_t open = s.find(marker, from);
      if (open == std::string::npos) break;
      if (!opens(open, marker.size())) {
        from = open + marker.size();
        continue;
      }
      // The closing marker is looked for within a bounded distance, so that a long line of
      // markers that never pair up costs linear time.
      const size_t limit = std::min(s.size(), open + 1024);
      size_t close = s.find(marker, open + marker.size());
      while (close < limit && !closes(close, marker.size())) close = s.find(marker, close + 1);
      if (close >= limit) {
        from = open + marker.size();
        continue;
      }
      std::string_view inner(s.data() + open + marker.size(), close - open - marker.size());
      bool ok = !inner.empty() && (marker.size() == 1 ? inner.find('*') == std::string_view::npos : true) &&
                (marker != "__" || inner.find(' ') != std::string_view::npos);
      if (!ok) {
        from = open + marker.size();
        continue;
      }
      s.erase(close, marker.size());
      s.erase(open, marker.size());
      from = close - marker.size();
    }
  }
  // "_the whole line_".
  std::string_view t = StripWhitespace(s);
  if (t.size() > 2 && t.front() == '_' && t.back() == '_' && t[1] != '_' && t[1] != ' ' && t[t.size() - 2] != ' ' &&
      t.find(' ') != std::string_view::npos) {
    size_t start = static_cast<size_t>(t.data() - s.data());
    s.erase(start + t.size() - 1, 1);
    s.erase(start, 1);
  }
}

// A list bullet ("- ", "* ", "+ ", "• ", "1. ", "2) ") in front of the line's text: its length.
size_t BulletLength(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  size_t j = i;
  if (j < s.size() && (s[j] == '-' || s[j] == '*' || s[j] == '+')) {
    ++j;
  } else if (std::string_view(s).substr(j).starts_with("\xE2\x80\xA2")) {
    j += 3;
  } else {
    size_t digits = 0;
    while (j < s.size() && IsAsciiDigit(s[j]) && digits < 3) ++j, ++digits;
    if (digits == 0 || j >= s.size() || (s[j] != '.' && s[j] != ')')) return 0;
    ++j;
  }
  if (j >= s.size() || s[j] != ' ') return 0;
  while (j < s.size() && s[j] == ' ') ++j;
  if (j >= s.size()) return 0;
  return j;
}

}  // namespace

// 4. Inline markup outside fences and JSON: bullets, entities, backticks, emphasis. Then a
// flattened crash report is cut back into its lines.
std::vector<Line> UndoInlineMarkup(std::vector<Line> lines) {
  std::vector<Line> cut;
  cut.reserve(lines.size());
  for (Line& line : lines) {
    if (!(line.flags & (kBreak | kLiteral | kJson))) {
      if (size_t n = BulletLength(line.text); n != 0) {
        line.text.erase(0, n);
        line.flags |= kItem;
      }
      DecodeEntities(line.text);
      StraightenQuotes(line.text);
      if (StripLeadingWhitespace(line.text).starts_with("`")) line.flags |= kCode;
      if (size_t ticks = static_cast<size_t>(std::count(line.text.begin(), line.text.end(), '`')); ticks != 0) {
        line.ticks = static_cast<uint8_t>(std::min<size_t>(ticks, 255));
        line.text.erase(std::remove(line.text.begin(), line.text.end(), '`'), line.text.end());
      }
      RemoveEmphasis(line.text);
    }
    if (!(line.flags & (kBreak | kJson))) {
      std::vector<size_t> cuts = FlattenedReportCuts(line.text);
      if (!cuts.empty()) {
        size_t from = 0;
        for (size_t at : cuts) {
          cut.push_back({std::string(StripTrailingWhitespace(std::string_view(line.text).substr(from, at - from))),
                         line.source, line.flags, 0});
          from = at;
        }
        line.text.erase(0, from);
      } else {
        CutQuotedVerdictField(line, cut);
      }
    }
    cut.push_back(std::move(line));
  }
  return cut;
}

}  // namespace tediag::paste
