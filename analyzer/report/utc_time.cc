// A normalised evidence time moved to UTC (utc_time.h).
#include "report/utc_time.h"

#include <chrono>
#include <cstdio>

namespace tediag {
namespace {

// Reads `count` digits at `pos` into `value`; false when they are not all digits.
bool Digits(std::string_view text, size_t pos, size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

// The zone's offset east of UTC in minutes: "Z" or "±HH:MM" (all of `zone`), as NormalizeTimestamp writes it.
std::optional<int> OffsetMinutes(std::string_view zone) {
  if (zone == "Z") return 0;
  int hours = 0, minutes = 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || !Digits(zone, 1, 2, hours) ||
      !Digits(zone, 4, 2, minutes) || hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  return (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
}

}  // namespace

std::optional<std::string> UtcIso8601(std::string_view time) {
  int year, month, day, hour, minute, second;
  if (time.size() < 19 || !Digits(time, 0, 4, year) || time[4] != '-' || !Digits(time, 5, 2, month) || time[7] != '-' ||
      !Digits(time, 8, 2, day) || time[10] != 'T' || !Digits(time, 11, 2, hour) || time[13] != ':' ||
      !Digits(time, 14, 2, minute) || time[16] != ':' || !Digits(time, 17, 2, second) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int millis = 0;
  if (pos < time.size() && time[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < time.size() && time[pos] >= '0' && time[pos] <= '9'; ++pos, ++digits) {
      if (digits < 3) millis = millis * 10 + (time[pos] - '0');
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  std::optional<int> offset = OffsetMinutes(time.substr(pos));
  if (!offset) return std::nullopt;

  using namespace std::chrono;
  year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                      std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  sys_seconds instant = sys_days(date) + hours(hour) + minutes(minute) + seconds(second) - minutes(*offset);
  sys_days utc_day = floor<days>(instant);
  year_month_day utc{utc_day};
  hh_mm_ss clock{instant - utc_day};
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(utc.year()),
                static_cast<unsigned>(utc.month()), static_cast<unsigned>(utc.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()), millis);
  return std::string(out);
}

}  // namespace tediag
