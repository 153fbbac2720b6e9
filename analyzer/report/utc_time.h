// Timestamps as the inputs wrote them, turned into ISO 8601 UTC for the machine-read writers
// (JSON Lines' @timestamp). A pure function of its argument; no locale, no time zone database.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tediag {

// "2022-06-13 12:28:52.2172 -0400" -> "2022-06-13T16:28:52.217Z". Accepts a date, a space or
// 'T', a time with optional fraction (kept to milliseconds, truncated), then a UTC offset
// (+HHMM, +HH:MM, with or without a space before it) or Z. A text with no date (a crash report's
// "10:10:10.123456-0700", syslog's "May  1 …") or no offset (compact style) has no UTC instant
// and gives nullopt, as does anything else or an impossible date.
std::optional<std::string> UtcIso8601(std::string_view text);

}  // namespace tediag
