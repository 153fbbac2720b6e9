// The paste normaliser's steps 1-4 (paste_lines.h): quote markers, fences, code blocks, JSON,
// entities, emphasis, bullets, invisible characters; a flattened crash report cut into lines.
#include <algorithm>
#include <array>

#include "read/line_parsers.h"
#include "read/paste_lines.h"
#include "util/text_util.h"

namespace tediag::paste {
namespace {

// ANSI escapes, invisible characters and odd spaces, everywhere: they are never what a system
// wrote into its log, and a pattern cannot see through them.
void CleanCharacters(std::string& s) {
  if (s.find_first_of("\x1b\xC2\xE2\xEF") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0x1b) {  // ESC [ parameters intermediates final, or ESC and one byte
      size_t j = i + 1;
      auto in = [&](unsigned char lo, unsigned char hi) {
        return j < s.size() && static_cast<unsigned char>(s[j]) >= lo && static_cast<unsigned char>(s[j]) <= hi;
      };
      if (j < s.size() && s[j] == '[') {
        ++j;
        while (in(0x30, 0x3F)) ++j;
        while (in(0x20, 0x2F)) ++j;
        if (in(0x40, 0x7E)) ++j;
      } else if (j < s.size()) {
        ++j;
      }
      i = j;
      continue;
    }
    std::string_view rest(s.data() + i, s.size() - i);
    if (rest.starts_with("\xC2\xA0") || rest.starts_with("\xE2\x80\xAF") || rest.starts_with("\xE2\x80\x87")) {
      out.push_back(' ');  // no-break, narrow no-break and figure spaces
      i += rest[0] == '\xC2' ? 2 : 3;
      continue;
    }
    if (rest.starts_with("\xE2\x80\x8B") || rest.starts_with("\xE2\x80\x8C") || rest.starts_with("\xE2\x80\x8D") ||
        rest.starts_with("\xE2\x81\xA0") || rest.starts_with("\xEF\xBB\xBF")) {
      i += 3;  // zero-width space, non-joiner, joiner, word joiner, byte order mark
      continue;
    }
    if (rest.starts_with("\xC2\xAD")) {
      i += 2;  // soft hyphen
      continue;
    }
    out.push_back(s[i]);
    ++i;
  }
  s = std::move(out);
}

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

// The number of quote markers ("> ", ">", "> >", ">>") in front of `s`, and where its content starts.
int QuoteDepth(std::string_view s, size_t& content) {
  int depth = 0;
  size_t i = 0;
  while (true) {
    size_t j = i;
    while (j < s.size() && j - i < 4 && s[j] == ' ') ++j;
    if (j >= s.size() || s[j] != '>') break;
    ++depth;
    i = j + 1;
    if (i < s.size() && s[i] == ' ') ++i;
  }
  content = i;
  return depth;
}

// Strips `depth` quote markers from `s`.
void StripQuotes(std::string& s, int depth) {
  size_t i = 0;
  for (int d = 0; d < depth; ++d) {
    size_t j = i;
    while (j < s.size() && j - i < 4 && s[j] == ' ') ++j;
    if (j >= s.size() || s[j] != '>') break;
    i = j + 1;
    if (i < s.size() && s[i] == ' ') ++i;
  }
  s.erase(0, i);
}

struct Fence {
  char marker = 0;  // '`' or '~', '{' for Jira's {code}, '[' for BBCode's [code]; 0 when not in a fence
  size_t length = 0;
  size_t indent = 0;
};

// A fence line: up to eight columns of indentation, three or more ` or ~, an optional info
// string (a language tag). `closing` asks for a line that closes `open`.
bool IsFenceLine(std::string_view s, Fence& fence, const Fence* open) {
  size_t indent = IndentColumns(s);
  if (indent > 8) return false;
  std::string_view rest = StripLeadingWhitespace(s);
  if (rest.size() < 3 || (rest[0] != '`' && rest[0] != '~')) return false;
  char marker = rest[0];
  size_t n = rest.find_first_not_of(marker);
  if (n == std::string_view::npos) n = rest.size();
  if (n < 3) return false;
  std::string_view info = StripWhitespace(rest.substr(n));
  if (open) {
    return marker == open->marker && n >= open->length && info.empty();
  }
  // An info string names a language ("objective-c", "c++", "shell {.log}"): a fence such as
  // "```Process: Foo [1]" is a chat's one-line code span, not a fence.
  if (marker == '`' && info.find('`') != std::string_view::npos) return false;
  size_t word = 0;
  while (word < info.size() &&
         (IsAsciiAlnum(info[word]) || std::string_view("_+#.-").find(info[word]) != std::string_view::npos))
    ++word;
  if (word < info.size()) {  // after the language only attributes: "{.log}", title="…"
    std::string_view attributes = StripLeadingWhitespace(info.substr(word));
    if (!attributes.starts_with("{") && attributes.find('=') == std::string_view::npos) return false;
  }
  fence = {marker, n, indent};
  return true;
}

// Jira's {code}, {code:lang}, {noformat} and BBCode's [code], [code=lang], [/code] lines open and
// close literal blocks as fences do; {quote}, [quote], [quote=name] and [/quote] are only markup.
enum class BlockTag { kNone, kOpen, kClose, kMarkup };
BlockTag BlockTagLine(std::string_view s, char* kind) {
  std::string t = ToLower(StripWhitespace(s));
  if (t.size() < 6 || t.size() > 60) return BlockTag::kNone;
  if (t == "{code}" || t == "{noformat}") {
    *kind = '{';
    return BlockTag::kClose;  // also an opening one; the caller knows which it is in
  }
  if ((t.starts_with("{code:") || t.starts_with("{noformat:")) && t.back() == '}') {
    *kind = '{';
    return BlockTag::kOpen;
  }
  if (t == "[code]" || (t.starts_with("[code=") && t.back() == ']')) {
    *kind = '[';
    return BlockTag::kOpen;
  }
  if (t == "[/code]") {
    *kind = '[';
    return BlockTag::kClose;
  }
  if (t == "{quote}" || t == "[quote]" || t == "[/quote]" || (t.starts_with("[quote=") && t.back() == ']')) {
    return BlockTag::kMarkup;
  }
  return BlockTag::kNone;
}

// HTML tags a post's markup uses; anything else in angle brackets (<private>, <UUID>, <Error>) is text.
constexpr std::string_view kHtmlTags[] = {
    "details", "summary",    "br", "p",      "pre",   "code", "div",   "span",  "b",     "i",  "em", "strong", "kbd",
    "tt",      "blockquote", "hr", "sub",    "sup",   "ul",   "ol",    "li",    "img",   "a",  "h1", "h2",     "h3",
    "h4",      "h5",         "h6", "center", "small", "samp", "table", "thead", "tbody", "tr", "td", "th"};

// The length of the known HTML tag at s[i] ("<br>", "</details>", "<a href=…>"), or 0.
size_t HtmlTagLength(std::string_view s, size_t i, bool* is_break) {
  if (i >= s.size() || s[i] != '<') return 0;
  size_t j = i + 1;
  if (j < s.size() && s[j] == '/') ++j;
  size_t name_start = j;
  while (j < s.size() && IsAsciiAlnum(s[j])) ++j;
  std::string name = ToLower(s.substr(name_start, j - name_start));
  if (name.empty() || std::find(std::begin(kHtmlTags), std::end(kHtmlTags), name) == std::end(kHtmlTags)) return 0;
  if (j >= s.size() || (s[j] != '>' && s[j] != ' ' && s[j] != '/')) return 0;
  size_t close = s.substr(0, std::min(s.size(), i + 200)).find('>', j);  // bounded: no rescans of a long line
  if (close == std::string_view::npos) return 0;
  if (is_break) *is_break = name == "br" || name == "p";
  return close + 1 - i;
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

// 1. Lines, without quote markers, fences and bare tags; invisible characters cleaned.
std::vector<Line> UnquotedLines(std::string_view data) {
  std::vector<Line> lines;
  {
    std::vector<std::string> raw;
    for (size_t start = 0; start < data.size();) {
      size_t end = data.find('\n', start);
      if (end == std::string_view::npos) end = data.size();
      std::string_view line = data.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      raw.emplace_back(line);
      start = end + 1;
    }
    // Quote depth per line. A quoted block (consecutive quoted lines) loses the depth all its
    // non-blank lines share, so that a '>' which begins the quoted text itself is kept; inside a
    // fence only the fence's own depth is stripped.
    std::vector<int> depth(raw.size()), shared(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      size_t content = 0;
      depth[i] = QuoteDepth(raw[i], content);
    }
    for (size_t i = 0; i < raw.size();) {
      if (depth[i] == 0) {
        ++i;
        continue;
      }
      size_t j = i;
      int least = INT32_MAX;
      while (j < raw.size() && depth[j] > 0) {
        size_t content = 0;
        QuoteDepth(raw[j], content);
        if (!IsBlank(std::string_view(raw[j]).substr(content))) least = std::min(least, depth[j]);
        ++j;
      }
      for (size_t k = i; k < j; ++k) shared[k] = std::min(depth[k], least == INT32_MAX ? 1 : least);
      i = j;
    }

    Fence fence;
    int fence_depth = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
      Line line;
      line.source = i;
      line.text = std::move(raw[i]);
      if (fence.marker != 0 && depth[i] < fence_depth) fence.marker = 0;  // the quote around the fence ended
      StripQuotes(line.text, fence.marker != 0 ? std::min(depth[i], fence_depth) : shared[i]);
      Fence opened;
      char tag_kind = 0;
      BlockTag tag = BlockTagLine(line.text, &tag_kind);
      if (tag == BlockTag::kMarkup) {
        line.text.clear();
        line.flags = kBreak;
      } else if (fence.marker != 0 && (fence.marker == '{' || fence.marker == '[')) {
        if (tag == BlockTag::kClose && tag_kind == fence.marker) {
          fence.marker = 0;
          line.text.clear();
          line.flags = kBreak;
        } else {
          line.flags = kLiteral;
          CleanCharacters(line.text);
        }
      } else if (fence.marker == 0 && tag != BlockTag::kNone) {
        if (!(tag == BlockTag::kClose && tag_kind == '[')) {  // a stray [/code] opens nothing
          fence = {tag_kind, 0, 0};
          fence_depth = shared[i];
        }
        line.text.clear();
        line.flags = kBreak;
      } else if (fence.marker != 0) {
        if (IsFenceLine(line.text, opened, &fence)) {
          fence.marker = 0;
          line.text.clear();
          line.flags = kBreak;
        } else {
          RemoveIndent(line.text, fence.indent);
          line.flags = kLiteral;
          CleanCharacters(line.text);
        }
      } else if (IsFenceLine(line.text, opened, nullptr)) {
        fence = opened;
        fence_depth = shared[i];
        line.text.clear();
        line.flags = kBreak;
      } else {
        CleanCharacters(line.text);
        // Bare HTML tags go; a line of nothing else becomes a break; <br> and <p> split lines.
        std::string kept;
        bool had_tag = false;
        std::vector<std::string> pieces;
        for (size_t k = 0; k < line.text.size();) {
          bool is_break = false;
          if (size_t n = HtmlTagLength(line.text, k, &is_break); n != 0) {
            had_tag = true;
            if (is_break && !IsBlank(kept)) {
              pieces.push_back(std::move(kept));
              kept.clear();
            }
            k += n;
            continue;
          }
          kept.push_back(line.text[k++]);
        }
        if (had_tag) {
          if (!IsBlank(kept)) pieces.push_back(std::move(kept));
          if (pieces.empty()) {
            line.text.clear();
            line.flags = kBreak;
          } else {
            for (size_t p = 0; p + 1 < pieces.size(); ++p) {
              lines.push_back({std::move(pieces[p]), i, static_cast<uint8_t>(p == 0 ? 0 : kItem), 0});
            }
            line.text = std::move(pieces.back());
            if (pieces.size() > 1) line.flags |= kItem;
          }
        }
      }
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

// 2. A block indented as code as a whole (four columns or more, after a blank line or at the
// start) loses the indentation its lines share.
void UnindentCodeBlocks(std::vector<Line>& lines) {
  for (size_t i = 0; i < lines.size();) {
    if ((lines[i].flags & (kBreak | kLiteral)) || IsBlank(lines[i].text)) {
      ++i;
      continue;
    }
    size_t j = i;
    size_t common = SIZE_MAX;
    while (j < lines.size() && !(lines[j].flags & (kBreak | kLiteral)) && !IsBlank(lines[j].text)) {
      common = std::min(common, IndentColumns(lines[j].text));
      ++j;
    }
    if (common >= 4 && common != SIZE_MAX) {
      for (size_t k = i; k < j; ++k) RemoveIndent(lines[k].text, common);
    } else {
      // Within a block, a run of indented lines that starts with a timestamped log line (log
      // lines quoted in an e-mail under the sentence that introduces them) loses its indentation.
      for (size_t k = i; k < j;) {
        size_t run_indent = IndentColumns(lines[k].text);
        if (run_indent < 4 || !StartsWithLogTimestamp(StripLeadingWhitespace(lines[k].text))) {
          ++k;
          continue;
        }
        size_t end = k;
        while (end < j && IndentColumns(lines[end].text) >= 4)
          run_indent = std::min(run_indent, IndentColumns(lines[end++].text));
        for (size_t r = k; r < end; ++r) RemoveIndent(lines[r].text, run_indent);
        k = end;
      }
    }
    i = j;
  }
}

// 3. JSON values (a pretty .ips body, an ndjson line, a notary log) and their loose members
// are marked, to be left as they are; a value ends where its brackets close or its block ends.
void MarkJson(std::vector<Line>& lines) {
  {
    int json_depth = 0;
    bool in_json = false;
    for (Line& line : lines) {
      if ((line.flags & kBreak) || IsBlank(line.text)) {
        in_json = false;
        continue;
      }
      std::string_view t = StripLeadingWhitespace(line.text);
      if (!in_json) {
        bool object = t[0] == '{' && (t.size() == 1 || StripLeadingWhitespace(t.substr(1)).starts_with("\"") ||
                                      StripLeadingWhitespace(t.substr(1)).starts_with("}"));
        bool array = t[0] == '[' && (t.size() == 1 || t[1] == '{' || t[1] == '"' || t[1] == ']' ||
                                     StripLeadingWhitespace(t.substr(1)).starts_with("{"));
        bool member = t[0] == '"' && t.find("\" : ") != std::string_view::npos;
        if (member) {
          line.flags |= kJson;
          continue;
        }
        if (!object && !array) continue;
        in_json = true;
        json_depth = 0;
      }
      line.flags |= kJson;
      bool in_string = false;
      for (size_t k = 0; k < t.size(); ++k) {
        char c = t[k];
        if (in_string) {
          if (c == '\\')
            ++k;
          else if (c == '"')
            in_string = false;
        } else if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          ++json_depth;
        } else if (c == '}' || c == ']') {
          --json_depth;
        }
      }
      if (json_depth <= 0) in_json = false;
    }
  }
}

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
