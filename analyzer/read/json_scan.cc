#include "read/json_scan.h"

namespace tediag {

std::optional<size_t> FindJsonValueEnd(std::string_view data, size_t start, size_t limit) {
  size_t depth = 0;
  bool in_string = false;
  size_t stop = limit >= data.size() - start ? data.size() : start + limit;
  for (size_t i = start; i < stop; ++i) {
    char c = data[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '{':
      case '[': ++depth; break;
      case '}':
      case ']':
        if (depth == 0) return std::nullopt;
        if (--depth == 0) return i + 1;
        break;
      default: break;
    }
  }
  return std::nullopt;
}

}  // namespace tediag
