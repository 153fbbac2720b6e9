// Evidence times (Evidence::time, ISO 8601 as analyzer/diagnose/timestamp.h normalises them) as
// UTC instants for the machine-read writers (JSON Lines' @timestamp). The inputs' own formats are
// parsed once, by NormalizeTimestamp; this only moves a normalised time to UTC. A pure function
// of its argument; no locale, no time zone database.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tediag {

// "2022-06-13T12:28:52.2172-04:00" -> "2022-06-13T16:28:52.217Z" (the fraction kept to
// milliseconds, truncated). A time without a zone (compact style), an empty one (no year in the
// input), anything not in NormalizeTimestamp's shape and an impossible date give nullopt.
std::optional<std::string> UtcIso8601(std::string_view time);

}  // namespace tediag
