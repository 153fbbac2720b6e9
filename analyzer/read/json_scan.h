// Finds where a JSON value ends without parsing it, so that a reader can cut one object out
// of a larger text (a pretty-printed crash report body, one element of a `--style json` array).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tediag {

// `data[start]` must be '{' or '['. Returns one past the matching close bracket, or nullopt
// when the text (or the first `limit` bytes from `start`) ends first. Strings and escapes are
// honoured; nothing is validated.
std::optional<size_t> FindJsonValueEnd(std::string_view data, size_t start, size_t limit = SIZE_MAX);

}  // namespace tediag
