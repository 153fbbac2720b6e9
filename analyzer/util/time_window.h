// Time windows as `log show` takes them (--start / --end there, --since / --until here), and the
// timestamps the inputs write, parsed for comparing with them.
//
// A window bound is "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD HH:MM:SS±ZZZZ" (log
// show's forms; a 'T' for the space, a fraction of a second, "Z" and "±HH:MM" are taken too).
// A bound with a zone is an instant; one without is a wall-clock time, compared with each
// record's time as the record writes it (the clock of the Mac that wrote it), so a window copied
// from the lines a user reads selects those lines. A record without a zone (the unified log's
// own, written in UTC here, always has one) is compared as if in UTC against a zoned bound.
// A record whose timestamp is not a date and time with a year (syslog's "Jun 13 12:28:52", none
// at all) is inside every window. Pure functions, no allocation; the per-record test is a parse
// of a few dozen bytes and two compares.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tediag {

struct WallTime {
  int64_t micros = 0;  // the date and time as written, in microseconds since 1970 as if in UTC
  int32_t offset = 0;  // its zone's offset from UTC, in seconds (east positive)
  bool zoned = false;  // whether the text gave a zone
  int64_t instant() const { return micros - int64_t{offset} * 1000000; }
};

// A record's timestamp, or nullopt when it is not a date and time with a year.
std::optional<WallTime> ParseWallTime(std::string_view text);

// A bound given on the command line: one of log show's forms; InvalidArgument saying which
// forms are taken otherwise. `end_of_day`: a date alone means its last microsecond (--until).
absl::StatusOr<WallTime> ParseWindowBound(std::string_view text, bool end_of_day = false);

// "2023-01-12 01:36:30" and its zone as written ("+0000"), for the report.
std::string FormatWallTime(const WallTime& time);

struct TimeWindow {
  std::optional<WallTime> since, until;

  bool empty() const { return !since && !until; }
  // Whether a record stamped `timestamp` is inside (always, when it has no usable time).
  bool Contains(std::string_view timestamp) const;
  // "since 2023-01-12 01:00:00 until …", for the report.
  std::string Describe() const;
};

}  // namespace tediag
