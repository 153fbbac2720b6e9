#include "report/terminal_layout.h"

#include <algorithm>

#include "util/text_util.h"

namespace tediag::terminal_layout {
namespace {

bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The length of an ANSI escape sequence at text[i] ("\x1b[1;31m"), or 0.
size_t EscapeLength(std::string_view text, size_t i) {
  if (text[i] != '\x1b' || i + 1 >= text.size() || text[i + 1] != '[') return 0;
  size_t j = i + 2;
  while (j < text.size() && (IsAsciiDigit(text[j]) || text[j] == ';')) ++j;
  return j < text.size() ? j + 1 - i : 0;
}

// The byte offset where `columns` screen columns of `text` end (not inside a code point).
size_t OffsetOfColumn(std::string_view text, size_t columns) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size();) {
    if (size_t esc = EscapeLength(text, i)) {
      i += esc;
      continue;
    }
    if (seen == columns) return i;
    ++seen;
    ++i;
    while (i < text.size() && Continuation(text[i])) ++i;
  }
  return text.size();
}

// Breaks one line; `out` receives the pieces, each ended by '\n'.
void FitLine(std::string_view line, size_t width, std::string& out) {
  size_t indent = line.find_first_not_of(' ');
  if (indent == std::string_view::npos) indent = 0;
  const size_t hanging = std::min(indent + 2, width / 2);
  bool first = true;
  while (true) {
    size_t room = first ? width : width - hanging;
    if (!first) out.append(hanging, ' ');
    if (Columns(line) <= room) {
      out.append(line);
      out.push_back('\n');
      return;
    }
    size_t cut = OffsetOfColumn(line, room);
    // Between words when a space lies in the second half of the room.
    size_t space = line.rfind(' ', cut);
    size_t start = first ? indent : 0;
    if (space != std::string_view::npos && space > start && Columns(line.substr(0, space)) > room / 2) cut = space;
    std::string_view piece = line.substr(0, cut);
    while (piece.ends_with(' ')) piece.remove_suffix(1);
    out.append(piece);
    out.push_back('\n');
    line = line.substr(cut);
    while (line.starts_with(' ')) line.remove_prefix(1);
    first = false;
    if (line.empty()) return;
  }
}

}  // namespace

size_t ClampWidth(size_t width) {
  if (width == 0) return kDefaultWidth;
  return std::clamp(width, kMinWidth, kMaxWidth);
}

size_t Columns(std::string_view text) {
  size_t columns = 0;
  for (size_t i = 0; i < text.size();) {
    if (size_t esc = EscapeLength(text, i)) {
      i += esc;
      continue;
    }
    columns += !Continuation(text[i]);
    ++i;
  }
  return columns;
}

std::string ExpandTabs(std::string_view text) {
  if (text.find('\t') == std::string_view::npos) return std::string(text);
  std::string out;
  size_t column = 0;
  for (char c : text) {
    if (c == '\t') {
      size_t spaces = 4 - column % 4;
      out.append(spaces, ' ');
      column += spaces;
      continue;
    }
    out.push_back(c);
    if (c == '\n') {
      column = 0;
    } else if (!Continuation(c)) {
      ++column;
    }
  }
  return out;
}

std::string TwoScreenLines(std::string_view text, size_t indent, size_t width) {
  const size_t first = width > indent ? width - indent : 1;
  const size_t second = width > indent + 2 ? width - indent - 2 : 1;
  if (Columns(text) <= first) return std::string(text);
  size_t cut = OffsetOfColumn(text, first);
  std::string_view head = text.substr(0, cut), tail = text.substr(cut);
  std::string rest;
  if (Columns(tail) <= second) {
    rest = std::string(tail);
  } else {
    // The note's own length depends on the count it states: try the count's digits until it fits.
    for (size_t digits = 1; digits < 20; ++digits) {
      size_t keep = second > 40 + digits ? second - 40 - digits : 0;
      size_t at = OffsetOfColumn(tail, keep);
      std::string note = StrCat(" … (", tail.size() - at, " more bytes; --format json has all)");
      if (Columns(tail.substr(0, at)) + Columns(note) <= second || digits == 19) {
        rest = StrCat(tail.substr(0, at), note);
        break;
      }
    }
  }
  return StrCat(head, "\n", std::string(indent + 2, ' '), rest);
}

std::string FitLines(std::string_view text, size_t width) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    FitLine(line, width, out);
    if (end == std::string_view::npos) {
      out.pop_back();  // the text had no final line break
      break;
    }
    start = end + 1;
  }
  return out;
}

}  // namespace tediag::terminal_layout
