// Durations as Apple's `log show --last` takes them: "90" or "90s" (seconds), "5m", "2h", "1d".
// Used by `collect --duration` / `--last`, and by any option that takes a time window.
#pragma once

#include <chrono>
#include <string_view>

#include "absl/status/statusor.h"

namespace tediag {

// The duration `text` names, in seconds. InvalidArgument (saying which forms are taken) for
// anything else, for zero, and for more than nine digits.
absl::StatusOr<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace tediag
