#include "util/time_window.h"

#include "util/text_util.h"

namespace tediag {
namespace {

// Days from 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Reads exactly `n` digits at `at` into `value`.
bool Digits(std::string_view s, size_t at, size_t n, int64_t& value) {
  if (at + n > s.size()) return false;
  value = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!IsAsciiDigit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

struct Parsed {
  WallTime time;
  bool has_clock = false;
  size_t end = 0;  // where the parse stopped
};

// "YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][Z|±HHMM|±HH:MM]" at the start of `s`.
std::optional<Parsed> Parse(std::string_view s) {
  int64_t y, mo, d;
  if (!Digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return std::nullopt;
  Parsed p;
  int64_t micros = DaysFromCivil(y, mo, d) * 86400 * 1000000;
  size_t at = 10;
  int64_t h, mi, sec = 0;
  if (at < s.size() && (s[at] == ' ' || s[at] == 'T') && Digits(s, at + 1, 2, h) && at + 3 < s.size() &&
      s[at + 3] == ':' && Digits(s, at + 4, 2, mi) && h < 24 && mi < 60) {
    at += 6;
    if (at < s.size() && s[at] == ':' && Digits(s, at + 1, 2, sec) && sec < 61) at += 3;
    int64_t fraction = 0, scale = 1000000;
    if (at < s.size() && s[at] == '.') {
      for (++at; at < s.size() && IsAsciiDigit(s[at]); ++at) {
        if (scale > 1) fraction = fraction * 10 + (s[at] - '0'), scale /= 10;
      }
    }
    micros += ((h * 60 + mi) * 60 + sec) * 1000000 + fraction * scale;
    p.has_clock = true;
    size_t zone = at < s.size() && s[at] == ' ' ? at + 1 : at;
    int64_t zh, zm;
    if (zone < s.size() && s[zone] == 'Z') {
      p.time.zoned = true;
      at = zone + 1;
    } else if (zone < s.size() && (s[zone] == '+' || s[zone] == '-') && Digits(s, zone + 1, 2, zh)) {
      size_t m_at = zone + 3 < s.size() && s[zone + 3] == ':' ? zone + 4 : zone + 3;
      if (Digits(s, m_at, 2, zm) && zh < 24 && zm < 60) {
        p.time.zoned = true;
        p.time.offset = static_cast<int32_t>((zh * 60 + zm) * 60 * (s[zone] == '-' ? -1 : 1));
        at = m_at + 2;
      }
    }
  }
  p.time.micros = micros;
  p.end = at;
  return p;
}

}  // namespace

std::optional<WallTime> ParseWallTime(std::string_view text) {
  std::optional<Parsed> p = Parse(text);
  if (!p || !p->has_clock) return std::nullopt;
  return p->time;
}

absl::StatusOr<WallTime> ParseWindowBound(std::string_view text, bool end_of_day) {
  std::string_view trimmed = StripWhitespace(text);
  std::optional<Parsed> p = Parse(trimmed);
  if (!p || p->end != trimmed.size()) {
    return absl::InvalidArgumentError(StrCat("'", text,
                                             "' is not a time: give YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" or "
                                             "\"YYYY-MM-DD HH:MM:SS+ZZZZ\" (as log show takes them)"));
  }
  if (!p->has_clock && end_of_day) p->time.micros += int64_t{86400} * 1000000 - 1;
  return p->time;
}

std::string FormatWallTime(const WallTime& time) {
  int64_t seconds = time.micros >= 0 ? time.micros / 1000000 : (time.micros - 999999) / 1000000;
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int64_t rest = seconds - days * 86400;
  // civil_from_days (H. Hinnant)
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  auto two = [](int64_t v) { return StrCat(v < 10 ? "0" : "", v); };
  std::string out =
      StrCat(y, "-", two(m), "-", two(d), " ", two(rest / 3600), ":", two(rest / 60 % 60), ":", two(rest % 60));
  if (time.zoned) {
    int32_t off = time.offset < 0 ? -time.offset : time.offset;
    StrAppend(out, time.offset < 0 ? "-" : "+", two(off / 3600), two(off / 60 % 60));
  }
  return out;
}

bool TimeWindow::Contains(std::string_view timestamp) const {
  std::optional<WallTime> t = ParseWallTime(timestamp);
  if (!t) return true;
  auto before = [&](const WallTime& bound) {  // the record is before `bound`
    return bound.zoned ? t->instant() < bound.instant() : t->micros < bound.micros;
  };
  auto after = [&](const WallTime& bound) {
    return bound.zoned ? t->instant() > bound.instant() : t->micros > bound.micros;
  };
  return !(since && before(*since)) && !(until && after(*until));
}

std::string TimeWindow::Describe() const {
  std::string out;
  if (since) StrAppend(out, "since ", FormatWallTime(*since));
  if (until) StrAppend(out, out.empty() ? "" : " ", "until ", FormatWallTime(*until));
  return out;
}

}  // namespace tediag
