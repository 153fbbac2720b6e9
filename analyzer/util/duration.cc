#include "util/duration.h"

#include "util/text_util.h"

namespace tediag {

absl::StatusOr<std::chrono::seconds> ParseDuration(std::string_view text) {
  std::string_view digits = text;
  long long unit = 1;
  if (!digits.empty() && !IsAsciiDigit(digits.back())) {
    switch (digits.back()) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      default: return absl::InvalidArgumentError(StrCat("'", text, "' is not a duration (e.g. 90s, 5m, 2h, 1d)"));
    }
    digits.remove_suffix(1);
  }
  if (digits.empty() || digits.size() > 9) {
    return absl::InvalidArgumentError(StrCat("'", text, "' is not a duration (e.g. 90s, 5m, 2h, 1d)"));
  }
  long long value = 0;
  for (char c : digits) {
    if (!IsAsciiDigit(c))
      return absl::InvalidArgumentError(StrCat("'", text, "' is not a duration (e.g. 90s, 5m, 2h, 1d)"));
    value = value * 10 + (c - '0');
  }
  if (value == 0) return absl::InvalidArgumentError(StrCat("'", text, "': the duration must be more than zero"));
  return std::chrono::seconds(value * unit);
}

}  // namespace tediag
