// InputReader's cursor over one input (private to read/): the current line and what follows it,
// for the claims of input_reader.cc and the JSON readers of input_reader_json.cc; and the empty
// record both start from.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "read/input_reader.h"

namespace tediag {

// An empty record that starts at `line`.
inline Record LineRecord(uint64_t line) {
  Record record;
  record.line = line;
  return record;
}

// Walks the input line by line; a multi-line JSON value moves it past several lines at once.
struct InputReader::Cursor {
  std::string_view data;
  size_t start = 0;      // where the current line starts
  size_t next = 0;       // where the next line starts
  uint64_t line_no = 0;  // the current line's number, from 1

  bool Next(std::string_view& line) {
    if (next >= data.size()) return false;
    start = next;
    size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    line = data.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    next = end + 1;
    return true;
  }
  // The number of the line holding data[offset], for an offset at or after the current line.
  uint64_t LineOf(size_t offset) const {
    return line_no + static_cast<uint64_t>(std::count(data.begin() + static_cast<ptrdiff_t>(start),
                                                      data.begin() + static_cast<ptrdiff_t>(offset), '\n'));
  }
  // Continues after the line holding data[offset], which is line `line`.
  void SkipThrough(size_t offset, uint64_t line) {
    size_t eol = data.find('\n', offset);
    next = eol == std::string_view::npos ? data.size() : eol + 1;
    line_no = line;
  }
  // Continues with the line holding data[offset], which is line `line`.
  void ResumeAt(size_t offset, uint64_t line) {
    size_t bol = offset == 0 ? std::string_view::npos : data.rfind('\n', offset - 1);
    next = bol == std::string_view::npos ? 0 : bol + 1;
    line_no = line - 1;
  }
};

}  // namespace tediag
