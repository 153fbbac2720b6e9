// The paste normaliser's steps 1-3 (paste_lines.h), the markup around lines: quote markers,
// fences, bare HTML tags, invisible characters, code blocks, JSON values.
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

}  // namespace

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
size_t LabelledJsonStart(std::string_view text) {
  std::string_view trimmed = StripTrailingWhitespace(text);
  if (!trimmed.ends_with('{')) return std::string_view::npos;
  std::string_view label = StripWhitespace(trimmed.substr(0, trimmed.size() - 1));
  constexpr size_t kMaxLabel = 160;
  if (label.size() < 2 || label.size() > kMaxLabel || !label.ends_with(':')) return std::string_view::npos;
  if (label.find_first_of("\"{}[]") != std::string_view::npos) return std::string_view::npos;
  return trimmed.size() - 1;
}

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
        if (!object && !array && LabelledJsonStart(t) == std::string_view::npos) continue;
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

}  // namespace tediag::paste
