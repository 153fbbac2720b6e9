// JSON string literals, for every place that writes JSON by hand (the JSON report, the
// collector's manifest): one escaping, always valid output.
#pragma once

#include <string>
#include <string_view>

namespace tediag {

// Appends `text` as a JSON string: escapes what JSON requires and replaces bytes that are not
// valid UTF-8 with U+FFFD, so the output always parses.
void AppendJsonString(std::string& out, std::string_view text);

// `text` as a JSON string literal.
std::string JsonString(std::string_view text);

}  // namespace tediag
