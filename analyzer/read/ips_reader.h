// Reads a JSON crash report (.ips, macOS 12 and later): a one-line metadata header followed by
// the report body, compact or pretty-printed. Every key is optional.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "simdjson.h"
#include "tediag/crash_report.h"

namespace tediag {

class IpsReader {
 public:
  // `header` may be empty (a body pasted on its own). Fails only when the JSON is malformed.
  absl::StatusOr<CrashReport> Read(std::string_view header, std::string_view body);

  // True when a JSON object's text looks like a crash report body rather than a log entry.
  static bool LooksLikeBody(std::string_view json);
  // True when a line is an .ips metadata header.
  static bool IsHeader(std::string_view line);

 private:
  simdjson::dom::parser parser_;
};

}  // namespace tediag
