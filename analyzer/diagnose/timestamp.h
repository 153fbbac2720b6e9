// Timestamps as the inputs write them, normalised to ISO 8601 for the report.
//
// `log show` (every style), crash reports (.ips and text) and notary logs write a date and a time
// ("2022-06-13 12:28:52.217259-0400", "2022-06-13 12:28:52.2172 -0400", "2026-04-15T10:11:12Z");
// syslog style writes no year ("Jun 13 12:28:52"). Pure function, no allocation beyond the result.
#pragma once

#include <string>
#include <string_view>

namespace tediag {

// "2022-06-13T12:28:52.217259-04:00": the date, 'T', the time with its fraction as written and the
// zone when the text gives one ("Z" or ±HH:MM); "" when the text is not a date and time with a year.
std::string NormalizeTimestamp(std::string_view text);

}  // namespace tediag
