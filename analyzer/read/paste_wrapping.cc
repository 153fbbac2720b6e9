// The paste normaliser's step 5 (paste_lines.h): joining the lines a terminal, an editor or a
// poster wrapped, and telling them from separate messages.
#include <algorithm>
#include <array>

#include "read/crash_text_reader.h"
#include "read/line_parsers.h"
#include "read/paste_lines.h"
#include "read/paste_normalizer.h"
#include "read/tool_output.h"
#include "util/text_util.h"

namespace tediag::paste {
namespace {

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

// A line of XML (a plist, entitlements): one element, "<string>OSX.Genieo</string>", or one tag,
// "<dict>", "</array>", "<true/>". Each is a line of its own, never the wrapped end of another.
bool IsXmlElementLine(std::string_view t) {
  t = StripWhitespace(t);
  if (t.size() < 3 || t[0] != '<' || t.back() != '>') return false;
  size_t name = t[1] == '/' ? 2 : 1;
  size_t end = name;
  while (end < t.size() && (IsAsciiAlnum(t[end]) || t[end] == '-' || t[end] == '_' || t[end] == '.')) ++end;
  if (end == name || IsAsciiDigit(t[name])) return false;
  std::string_view tag = t.substr(name, end - name);
  if (end + 1 == t.size() || t.substr(end) == "/>") return true;  // "<dict>", "</dict>", "<true/>"
  // "<key>Names</key>": the element closes its own tag.
  std::string_view close = t.substr(t.size() - std::min(t.size(), tag.size() + 3));
  return close.size() == tag.size() + 3 && close.starts_with("</") && close.substr(2, tag.size()) == tag;
}

// A line that opens a record of its own: nothing before it may swallow it. Besides the above, a
// quoted message (`…`), a JSON-like '{' or '[' line, a tab-separated Console copy or table row,
// a line of XML.
bool StartsRecord(const Line& line) {
  if (StartsRecordEvenInSpan(line) || (line.flags & kCode)) return true;
  std::string_view t = StripLeadingWhitespace(line.text);
  return t.find('\t') != std::string_view::npos || t[0] == '[' || t[0] == '{' || IsXmlElementLine(t);
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

}  // namespace

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

}  // namespace tediag::paste
