// ISO 8601 UTC from the timestamps the readers keep (utc_time.h).
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

// The offset east of UTC in minutes from "+HHMM", "+HH:MM" or "Z" (all of `text`).
std::optional<int> OffsetMinutes(std::string_view text) {
  if (text == "Z") return 0;
  if (text.size() < 5 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  int hours = 0, minutes = 0;
  size_t minute_pos = text[3] == ':' ? 4 : 3;
  if (text.size() != minute_pos + 2 || !Digits(text, 1, 2, hours) || !Digits(text, minute_pos, 2, minutes) ||
      hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  return (text[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
}

}  // namespace

std::optional<std::string> UtcIso8601(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!Digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !Digits(text, 5, 2, month) || text[7] != '-' ||
      !Digits(text, 8, 2, day) || (text[10] != ' ' && text[10] != 'T') || !Digits(text, 11, 2, hour) ||
      text[13] != ':' || !Digits(text, 14, 2, minute) || text[16] != ':' || !Digits(text, 17, 2, second) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  if (pos < text.size() && text[pos] == ' ') ++pos;
  std::optional<int> offset = OffsetMinutes(text.substr(pos));
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
