// The paste normaliser's pieces (private to read/; the interface is paste_normalizer.h): the
// line a step works on, and the steps. paste_markup.cc undoes the markup around lines (steps 1-3),
// paste_inline.cc the markup inside them (step 4), paste_wrapping.cc joins wrapped lines (step 5);
// PasteNormalizer::Normalize runs them in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/text_util.h"

namespace tediag::paste {

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

inline bool IsBlank(std::string_view s) { return StripWhitespace(s).empty(); }

inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsWordChar(char c) { return IsAsciiAlnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

inline size_t IndentColumns(std::string_view s) {
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
inline void RemoveIndent(std::string& s, size_t columns) {
  size_t i = 0, seen = 0;
  while (i < s.size() && seen < columns && (s[i] == ' ' || s[i] == '\t')) {
    seen += s[i] == '\t' ? 4 - seen % 4 : 1;
    ++i;
  }
  s.erase(0, i);
}

inline size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// An output line: the joined text and the input line it starts on.
struct Out {
  std::string text;
  uint64_t source;
};

// 1. The input's lines, without quote markers, fences and bare tags; invisible characters cleaned.
std::vector<Line> UnquotedLines(std::string_view data);
// 2. A block indented as code as a whole loses the indentation its lines share.
void UnindentCodeBlocks(std::vector<Line>& lines);
// 3. JSON values and their loose members are marked, to be left as they are.
void MarkJson(std::vector<Line>& lines);
// Where a JSON object starts on a line that a label introduces, as CI output and posts quote a notary
// log or a crash report body: "Diagnostics from notarytool log: {" (sudoprivacy/sudowork#251). The line
// must end in the brace, after a short label ending in ':' that holds no quote, brace or bracket; npos
// otherwise. Looks at the line's end only, unless it ends in '{'.
size_t LabelledJsonStart(std::string_view text);
// 4. Inline markup outside fences and JSON is undone; a flattened crash report is cut into lines.
std::vector<Line> UndoInlineMarkup(std::vector<Line> lines);
// 5. Wrapped lines are joined, outside crash reports, tool output and JSON.
std::vector<Out> JoinWrappedLines(const std::vector<Line>& lines);

// 4b. A crash report's verdict field quoted inside a sentence ('crashes with an error - "Termination
// Reason: Namespace CODESIGNING, Code 0x2".') is cut out of it: the prose before it goes to `cut`,
// then the field as a record of its own (kItem); `line` keeps what follows the closing quote, or the
// field when nothing does. Returns whether it cut. Cheap on lines without a colon.
bool CutQuotedVerdictField(Line& line, std::vector<Line>& cut);

// Crash-report fields inside a line (paste_crash_fields.cc):
// The length of the crash-report key (with its colon) or "Thread N [Crashed]:" heading at s[i], or 0.
size_t CrashKeyAt(std::string_view s, size_t i);
// A crash report flattened into one line ("Process: Foo [123] Path: /Applications/… Identifier: …
// Exception Type: …"): where to cut it into its lines. Empty unless the line holds at least three
// keys, one of which opens a report.
std::vector<size_t> FlattenedReportCuts(std::string_view s);

}  // namespace tediag::paste
