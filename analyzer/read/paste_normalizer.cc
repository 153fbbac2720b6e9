#include "read/paste_normalizer.h"

#include <algorithm>
#include <array>

#include "read/crash_text_reader.h"
#include "read/line_parsers.h"
#include "read/tool_output.h"
#include "util/text_util.h"

namespace tediag {

namespace {

// What a line is after the markup around it is gone.
enum LineFlags : uint8_t {
  kBreak = 1,    // a dropped line (fence, bare HTML tag): an empty line that no join crosses
  kLiteral = 2,  // inside a fence: verbatim
  kJson = 4,     // part of a JSON value
  kItem = 8,     // starts a record of its own: was a list item, or follows a <br>
  kCode = 16,    // began with an inline code span: a quoted message, not the prose before it
};

struct Line {
  std::string text;
  uint64_t source = 0;  // 0-based input line
  uint8_t flags = 0;
  uint8_t ticks = 0;  // inline-code backticks removed from it (odd: a code span stays open)
};

bool IsBlank(std::string_view s) { return StripWhitespace(s).empty(); }

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsWordChar(char c) { return IsAsciiAlnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

size_t IndentColumns(std::string_view s) {
  size_t columns = 0;
  for (char c : s) {
    if (c == ' ') {
      ++columns;
    } else if (c == '\t') {
      columns += 4 - columns % 4;
    } else {
      break;
    }
  }
  return columns;
}

// Removes `columns` columns of leading spaces and tabs (fewer when the line has fewer).
void RemoveIndent(std::string& s, size_t columns) {
  size_t i = 0, seen = 0;
  while (i < s.size() && seen < columns && (s[i] == ' ' || s[i] == '\t')) {
    seen += s[i] == '\t' ? 4 - seen % 4 : 1;
    ++i;
  }
  s.erase(0, i);
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

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

// The length of the crash-report key (with its colon) or "Thread N [Crashed]:" heading at s[i], or 0.
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

// A shell prompt: "$ ", "% ", "# ", "➜ ", "❯ ", or "user@host dir % ".
bool StartsWithPrompt(std::string_view t) {
  if (t.starts_with("$ ") || t.starts_with("% ") || t.starts_with("# ") || t.starts_with("\xE2\x9E\x9C") ||
      t.starts_with("\xE2\x9D\xAF")) {
    return true;
  }
  size_t space = t.find(' ');
  if (space == std::string_view::npos || t.substr(0, space).find('@') == std::string_view::npos) return false;
  std::string_view head = t.substr(0, std::min<size_t>(t.size(), 80));
  return Contains(head, " % ") || Contains(head, " $ ") || Contains(head, "$ ") || Contains(head, " # ");
}

// A clock time ("12:17:50") among the first 40 bytes: a log line of some style of its own.
bool HasClockNearStart(std::string_view t) {
  size_t n = std::min<size_t>(t.size(), 40);
  for (size_t i = 0; i < n && i + 8 <= t.size(); ++i) {
    if (IsAsciiDigit(t[i]) && IsAsciiDigit(t[i + 1]) && t[i + 2] == ':' && IsAsciiDigit(t[i + 3]) &&
        IsAsciiDigit(t[i + 4]) && t[i + 5] == ':' && IsAsciiDigit(t[i + 6]) && IsAsciiDigit(t[i + 7]) &&
        (i == 0 || !IsAsciiDigit(t[i - 1]))) {
      return true;
    }
  }
  return false;
}

// Columns aligned with runs of spaces inside the text: a table, a key and its value, tool output.
bool IsTabular(std::string_view s) { return Contains(StripWhitespace(s), "   "); }

std::string_view FirstWord(std::string_view s) {
  std::string_view t = StripLeadingWhitespace(s);
  return t.substr(0, std::min(t.size(), t.find(' ')));
}

// A backtrace frame ("12  libfoo.dylib  0x00007ff8… symbol + 42") or a binary image line
// ("0x100ddc000 - 0x101f43fff com.example (1.0) <uuid> /path").
bool IsFrameOrImage(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && IsAsciiDigit(t[i])) ++i;
  if (i > 0 && i < t.size() && IsAsciiSpace(t[i])) {
    std::string_view rest = StripLeadingWhitespace(t.substr(i));
    size_t image_end = rest.find_first_of(" \t");
    if (image_end == std::string_view::npos) return false;
    return StripLeadingWhitespace(rest.substr(image_end)).starts_with("0x");
  }
  if (!t.starts_with("0x")) return false;
  size_t j = 2;
  while (j < t.size() && IsAsciiHexDigit(t[j])) ++j;
  return j > 2 && StripLeadingWhitespace(t.substr(j)).starts_with("-");
}

// A line that opens a record of its own, even inside an open inline code span: a log line of
// any style, a process's "name[pid]:" or "name: ", a prompt, a crash report's key, tool output.
bool StartsRecordEvenInSpan(const Line& line, bool process_names = true) {
  std::string_view s = line.text;
  if (line.flags & (kBreak | kJson | kItem)) return true;
  std::string_view t = StripLeadingWhitespace(s);
  if (t.empty()) return true;
  char c = t[0];
  if (c == '|' || c == '#' || StartsWithPrompt(t) || HasClockNearStart(t) || IsFrameOrImage(t)) return true;
  Record probe;
  if (StartsWithLogTimestamp(t) || ParseDefaultStyleLine(s, probe) || ParseCompactStyleLine(s, probe) ||
      ParseSyslogStyleLine(s, probe)) {
    return true;
  }
  if (CrashTextReader::StartsReport(s) || CrashKeyAt(t, 0) != 0 || ToolOutputStart(s) != Tool::kNone) return true;
  // "name[pid]" or "name: " (a Unix process name, as ParseLooseLine takes it), "key=value".
  size_t i = 0;
  while (i < t.size() && (IsAsciiAlnum(t[i]) || t[i] == '_' || t[i] == '.' || t[i] == '-')) ++i;
  if (i > 0 && i < t.size() && i <= 40) {
    if (t[i] == '[' && i + 1 < t.size() && IsAsciiDigit(t[i + 1])) return true;
    bool unix_name = std::all_of(t.begin(), t.begin() + static_cast<ptrdiff_t>(i), [](char ch) {
      return IsLower(ch) || IsAsciiDigit(ch) || ch == '.' || ch == '_' || ch == '-';
    });
    if (process_names && unix_name && t[i] == ':' && (i + 1 == t.size() || t[i + 1] == ' ')) return true;
  }
  return false;
}

// A line that opens a record of its own: nothing before it may swallow it. Besides the above, a
// quoted message (`…`), a JSON-like '{' or '[' line, a tab-separated Console copy or table row.
bool StartsRecord(const Line& line) {
  if (StartsRecordEvenInSpan(line) || (line.flags & kCode)) return true;
  std::string_view t = StripLeadingWhitespace(line.text);
  return t.find('\t') != std::string_view::npos || t[0] == '[' || t[0] == '{';
}

// "key=value" or "key = value;" (tool output, a plist's description): a list of such lines is
// not one wrapped message.
bool IsKeyValue(std::string_view s) {
  std::string_view t = StripLeadingWhitespace(s);
  size_t i = 0;
  while (i < t.size() && (IsAsciiAlnum(t[i]) || t[i] == '_' || t[i] == '.' || t[i] == '-')) ++i;
  if (i == 0 || i > 40) return false;
  std::string_view after = t.substr(i);
  return (after.size() > 1 && after[0] == '=' && after[1] != '=') || after.starts_with(" = ");
}

// A line that ends on a word no sentence or message ends with ("… not valid for use in",
// "… signature of the"): the next line goes on with it, whatever it starts with.
bool EndsMidSentence(std::string_view s) {
  static constexpr std::string_view kWords[] = {
      "a",  "an",  "the", "of",   "in",  "for", "to", "from", "with", "by",   "at",  "on",      "and", "or",  "but",
      "is", "are", "was", "were", "not", "be",  "as", "that", "than", "into", "via", "because", "has", "have"};
  size_t start = s.find_last_of(" \t(");
  std::string_view word = start == std::string_view::npos ? s : s.substr(start + 1);
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

// Whether a crash report goes on with this line (after a blank line a report's next section
// starts with a key, a thread heading, a frame, an image or indented text; prose ends it).
bool ContinuesCrashReport(std::string_view s) {
  if (s.empty()) return true;
  char c = s[0];
  if (IsAsciiSpace(c) || IsAsciiDigit(c) || c == '-' || c == '*' || c == '<' || c == '(' || c == '+' || c == '{')
    return true;
  if (s.starts_with("Thread ") || s.starts_with("Binary Images") || s.starts_with("Full Report") ||
      s.starts_with("Backtrace not available") || s.starts_with("Translated Report")) {
    return true;
  }
  size_t colon = s.find(':');
  return colon != std::string_view::npos && colon <= 40 && (IsAsciiUpper(c) || IsLower(c)) &&
         s.substr(0, colon).find_first_of(".,;()") == std::string_view::npos;
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
      }
    }
    cut.push_back(std::move(line));
  }
  return cut;
}

// The shape of each block (a run of non-blank lines) that tells how it was wrapped: the width a
// terminal cut its long lines at (0 when none), its longest line, and whether its writer wrapped
// it at words. One entry per line, the same for every line of a block.
struct BlockShapes {
  std::vector<size_t> width_of_block, longest_in_block;
  std::vector<bool> word_wrapped;
};

BlockShapes ShapesOf(const std::vector<Line>& lines) {
  BlockShapes shapes{std::vector<size_t>(lines.size(), 0), std::vector<size_t>(lines.size(), 0),
                     std::vector<bool>(lines.size(), false)};
  std::vector<size_t>& width_of_block = shapes.width_of_block;
  std::vector<size_t>& longest_in_block = shapes.longest_in_block;
  std::vector<bool>& word_wrapped = shapes.word_wrapped;
  for (size_t i = 0; i < lines.size();) {
    if ((lines[i].flags & kBreak) || IsBlank(lines[i].text)) {
      ++i;
      continue;
    }
    size_t j = i, widest = 0, at_widest = 0;
    for (; j < lines.size() && !(lines[j].flags & kBreak) && !IsBlank(lines[j].text); ++j) {
      size_t n = CodePoints(lines[j].text);
      if (n > widest) {
        widest = n;
        at_widest = 1;
      } else if (n == widest) {
        ++at_widest;
      }
    }
    // A terminal cuts every long line at exactly its width; a writer wrapping at words leaves
    // most lines a little short of it.
    size_t just_short = 0;
    for (size_t k = i; k < j; ++k) {
      size_t n = CodePoints(lines[k].text);
      just_short += n < widest && n + 12 >= widest;
    }
    bool terminal = widest >= 60 && at_widest > just_short && (at_widest >= 3 || (at_widest == 2 && widest == 80));
    // A block hard-wrapped at words by its writer (an e-mail, an editor): many of its lines end
    // within a few columns of the widest
    // (the last line of each wrapped paragraph or message is short: a third will do).
    // A long line printed twice in a row, or two lines printed twice in the same order, are a
    // program's repeated output, not prose (a wrapped paragraph may repeat one line, such as a
    // path prefix, but not a run of them).
    bool repeats = false;
    for (size_t k = i; k < j && !repeats; ++k) {
      for (size_t m = k + 1; m < j && !repeats; ++m) {
        bool same = lines[k].text.size() >= 40 && lines[k].text == lines[m].text;
        repeats = same && (m == k + 1 || (m + 1 < j && lines[k + 1].text == lines[m + 1].text));
      }
    }
    bool wrapped = !terminal && !repeats && widest >= 60 && widest <= 120 && at_widest + just_short >= 3 &&
                   (at_widest + just_short) * 3 >= j - i;
    for (size_t k = i; k < j; ++k) {
      width_of_block[k] = terminal ? widest : 0;
      longest_in_block[k] = widest;
      word_wrapped[k] = wrapped;
    }
    i = j;
  }

  return shapes;
}

// An output line: the joined text and the input line it starts on.
struct Out {
  std::string text;
  uint64_t source;
};

// 5. Wrapped lines are joined, outside crash reports, tool output and JSON. A block whose long
// lines all have one length was cut by a terminal at that width: those lines join exactly.
// One pass over the lines deciding, for each, whether it continues the output line before it. The
// decision weighs a dozen signs of wrapping against signs of a new record (the cases below), each
// needing the state of the pass (the open line, the code spans, what the block's first line was);
// kept in one function so that the order of those tests, which is their priority, reads at once.
std::vector<Out> JoinWrappedLines(const std::vector<Line>& lines) {
  BlockShapes shapes = ShapesOf(lines);
  const std::vector<size_t>& width_of_block = shapes.width_of_block;
  const std::vector<size_t>& longest_in_block = shapes.longest_in_block;
  const std::vector<bool>& word_wrapped = shapes.word_wrapped;
  bool in_crash = false, after_blank = false;
  Tool tool = Tool::kNone;
  size_t open = SIZE_MAX;  // the output line being built (index into out_lines)
  size_t joined = 0, ticks = 0;
  const Line* last = nullptr;                                                   // its last physical line
  bool first_is_entry = false, first_is_command = false, first_is_key = false;  // what its first line is
  bool first_is_stamped = false, first_has_clock = false, first_is_kv = false;
  std::vector<Out> out_lines;
  out_lines.reserve(lines.size());
  Record probe;
  for (const Line& line : lines) {
    bool blank = (line.flags & kBreak) || IsBlank(line.text);
    if (blank) {
      out_lines.push_back({std::string(), line.source});
      open = SIZE_MAX;
      last = nullptr;
      tool = Tool::kNone;
      if (line.flags & kBreak) in_crash = false;
      after_blank = true;
      continue;
    }
    std::string_view s = line.text;
    // Where the line stands: in a crash report, in a tool's output.
    if (in_crash && after_blank && !ContinuesCrashReport(s)) in_crash = false;
    after_blank = false;
    bool region = in_crash || (line.flags & kJson);
    if (!region && CrashTextReader::StartsWholeReport(s)) {
      in_crash = true;
      region = true;
    }
    if (tool != Tool::kNone && ContinuesToolOutput(tool, s)) {
      region = true;
    } else {
      tool = region ? Tool::kNone : ToolOutputStart(s);
    }

    bool join = false, exact = false;
    if (open != SIZE_MAX && last && !region && joined < PasteNormalizer::kMaxJoinedLines &&
        out_lines[open].text.size() + s.size() < PasteNormalizer::kMaxJoinedBytes) {
      std::string_view a = last->text;
      std::string_view a_end = StripTrailingWhitespace(a);
      std::string_view b = StripLeadingWhitespace(s);
      char a_last = a_end.empty() ? ' ' : a_end.back();
      char b_first = b[0];
      bool entry = ParseDefaultStyleLine(s, probe) || ParseCompactStyleLine(s, probe) ||
                   ParseSyslogStyleLine(s, probe) || CrashTextReader::StartsReport(s) || (line.flags & (kJson | kItem));
      size_t index = static_cast<size_t>(&line - lines.data());
      size_t width = width_of_block[index];
      // A line wrapped by its writer is about as long as the longest of its block (lines longer
      // than a wrap width do not say what the width was).
      bool long_line = CodePoints(a) >= 40 && CodePoints(a) * 10 >= std::min<size_t>(longest_in_block[index], 160) * 6;
      if (entry) {
        join = false;
      } else if (first_is_command || first_is_key) {
        join = false;  // a command typed at a prompt is whole; so is a crash report's key line
      } else if (ticks % 2 == 1) {
        join = !StartsRecordEvenInSpan(line);  // an inline code span is still open
      } else if (width != 0 && CodePoints(a) == width && CodePoints(s) <= width &&
                 !StartsRecordEvenInSpan(line, false) && FirstWord(a) != FirstWord(s) &&
                 std::string_view(".!?").find(a_last) == std::string_view::npos) {
        // Cut by the terminal at its width (the cut may fall anywhere, even before "sh:"); a line
        // that ends a sentence there is more likely whole, one of several of the same length.
        join = exact = true;
      } else if (CodePoints(a) == 80 && IsWordChar(a.back()) && IsWordChar(s[0]) &&
                 !StartsRecordEvenInSpan(line, false) && !(line.flags & kCode) && FirstWord(a) != FirstWord(s)) {
        join = exact = true;  // a word cut at the 80th column
      } else if (StartsRecordEvenInSpan(line, false) || (line.flags & kCode) || (first_is_kv && IsKeyValue(s))) {
        join = false;
      } else if ((joined == 1 && first_is_stamped && !first_is_entry) || EndsMidSentence(a_end) ||
                 (a_last == '-' && a_end.size() > 1 && IsAsciiAlnum(a_end[a_end.size() - 2]) &&
                  IsAsciiAlnum(b_first))) {
        join = true;  // a log line cut in its header, a line ending on "in", "the", "for"…, a word cut at a hyphen
      } else if (!StartsRecord(line)) {
        bool sentence_end = a_last == '.' || a_last == '!' || a_last == '?' ||
                            ((a_last == ')' || a_last == '"') && a_end.size() > 1 && a_end[a_end.size() - 2] == '.');
        // A line ends dangling on a separator or an open bracket.
        bool dangling = std::string_view(":,=({[;/\\").find(a_last) != std::string_view::npos;
        bool deeper = IndentColumns(s) >= IndentColumns(a) + 2;  // a hanging indent
        // A line goes on mid-sentence: in lower case, with closing punctuation, or with a quoted
        // path or value.
        bool continues = IsLower(b_first) || std::string_view(")]},;").find(b_first) != std::string_view::npos;
        bool quoted = std::string_view("'\"</@(").find(b_first) != std::string_view::npos;
        // Aligned columns: a table, unless they are a log line's own (its timestamp, type, process).
        bool columns = IsTabular(s) || (!first_is_entry && !first_has_clock && IsTabular(a));
        bool parallel = FirstWord(a) == FirstWord(s);  // "at …" frames, repeated commands
        // In a block wrapped at words, a line that reaches the wrap width goes on with the next
        // whatever its case ("… /Contents/Frameworks/Electron" + "Framework.framework/…").
        // The sign of it: the next line's first word would not have fitted on this one, and this
        // one is about as long as the widest or that word is a long path or identifier.
        size_t next_word = CodePoints(FirstWord(s));
        bool at_wrap = word_wrapped[index] && CodePoints(a) + 1 + next_word > longest_in_block[index] &&
                       (CodePoints(a) + 12 >= longest_in_block[index] || next_word >= 20);
        join = ((continues || quoted) && !sentence_end && long_line && !columns && !parallel) ||
               (at_wrap && !sentence_end && !columns && !parallel) || (a_last == ':' && quoted && !columns) ||
               (dangling && deeper) || (a_end.size() < a.size() && deeper && long_line) ||
               (std::string_view(",=([{").find(a_last) != std::string_view::npos && !columns &&
                (IsAsciiAlnum(b_first) || b_first == '"' || b_first == '\''));
      }
    }
    if (join) {
      std::string& text = out_lines[open].text;
      if (!exact) {
        while (!text.empty() && IsAsciiSpace(text.back())) text.pop_back();
        char a_last = text.empty() ? ' ' : text.back();
        bool glue = a_last == '/' || a_last == '=' ||
                    (a_last == '-' && text.size() > 1 && IsAsciiAlnum(text[text.size() - 2]) &&
                     IsAsciiAlnum(StripLeadingWhitespace(s)[0]));
        if (!glue) text.push_back(' ');
        text.append(StripLeadingWhitespace(s));
      } else {
        text.append(s);
      }
      ++joined;
      ticks += line.ticks;
      last = &line;
      continue;
    }
    out_lines.push_back({line.text, line.source});
    open = out_lines.size() - 1;
    joined = 1;
    ticks = line.ticks;
    last = &line;
    first_is_entry =
        ParseDefaultStyleLine(s, probe) || ParseCompactStyleLine(s, probe) || ParseSyslogStyleLine(s, probe);
    first_is_command = StartsWithPrompt(StripLeadingWhitespace(s));
    // A crash report's section heading ("Binary Images:") or aligned "Key:   value" line is
    // whole; a key followed by a message ("Library not loaded: …") may be wrapped.
    size_t key = CrashKeyAt(StripLeadingWhitespace(s), 0);
    first_is_key = key != 0 && (StripWhitespace(StripLeadingWhitespace(s).substr(key)).empty() || IsTabular(s));
    first_is_stamped = StartsWithLogTimestamp(StripLeadingWhitespace(s));
    first_has_clock = HasClockNearStart(StripLeadingWhitespace(s));
    first_is_kv = IsKeyValue(s);
    if (region) {
      open = SIZE_MAX;  // nothing joins into a crash report's, a tool's or a JSON value's line
      last = nullptr;
    }
  }
  return out_lines;
}

}  // namespace

bool PasteNormalizer::LooksLikeLogExport(std::string_view data) {
  size_t seen = 0, entries = 0, start = 0;
  bool first = true;
  Record probe;
  while (start < data.size() && seen < kSampleLines) {
    size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (IsBlank(line)) continue;
    if (first && (line[0] == '{' || line[0] == '[')) {
      // ndjson, --style json, an .ips report, a notary log: read as they are, unless a JSON
      // document copied from a web page is indented with no-break spaces (never in a log export).
      std::string_view head = data.substr(0, std::min<size_t>(data.size(), 64 << 10));
      return !Contains(head, "\xC2\xA0") || Contains(head, "\"eventMessage\"");
    }
    bool entry = (line.starts_with("{\"") && line.ends_with("}")) || IsLogBoilerplate(line) ||
                 ParseDefaultStyleLine(line, probe) || ParseCompactStyleLine(line, probe) ||
                 ParseSyslogStyleLine(line, probe);
    if (first && !entry) return false;
    std::string_view t = StripLeadingWhitespace(line);
    if (t.starts_with("```") || t.starts_with("~~~")) return false;  // a post that opens with a log line
    if (Contains(line, "\xC2\xA0")) return false;                    // a log copied from a web page
    first = false;
    ++seen;
    entries += entry;
  }
  return seen > 0 && entries * 2 >= seen;  // continuation lines of multi-line messages aside
}

bool PasteNormalizer::Normalize(std::string_view data) {
  out_.clear();
  source_.clear();
  std::vector<Line> lines = UnquotedLines(data);
  UnindentCodeBlocks(lines);
  MarkJson(lines);
  lines = UndoInlineMarkup(std::move(lines));
  std::vector<Out> out_lines = JoinWrappedLines(lines);

  size_t total = 0;
  for (const Out& o : out_lines) total += o.text.size() + 1;
  out_.reserve(total);
  source_.reserve(out_lines.size());
  for (const Out& o : out_lines) {
    out_.append(o.text);
    out_.push_back('\n');
    source_.push_back(o.source);
  }
  // Nothing changed: the caller reads its own bytes (a missing last newline is no change).
  std::string_view same = out_;
  if (!data.ends_with('\n') && !same.empty()) same.remove_suffix(1);
  if (same == data) {
    out_.clear();
    source_.clear();
    return false;
  }
  return true;
}

void SourceLineSink::OnRecord(const Record& record) {
  Record copy = record;
  copy.line = Translate(record.line);
  if (record.field_lines != nullptr) {  // a crash report's fields, each line of each at its own number
    field_lines_ = *record.field_lines;
    for (std::vector<SourceLine>& lines : field_lines_.of) {
      for (SourceLine& line : lines) line.line = Translate(line.line);
    }
    copy.field_lines = &field_lines_;
  }
  inner_.OnRecord(copy);
}

void SourceLineSink::OnError(uint64_t line, std::string_view message) { inner_.OnError(Translate(line), message); }

uint64_t SourceLineSink::Translate(uint64_t line) const {
  if (line < first_line_) return line;  // 0: an error about the whole input
  return first_line_ + normalizer_.SourceLine(line - first_line_);
}

}  // namespace tediag
