// Reads one unified-log entry as `log show --style ndjson|json` prints it.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "simdjson.h"
#include "tediag/record.h"

namespace tediag {

class JsonLogEventParser {
 public:
  enum class Kind { kEvent, kFooter, kOther };

  // Parses `json`, one JSON object. For kEvent the record's fields are filled; its views stay
  // valid until the next call. Keys may come in any order; every key is optional.
  absl::StatusOr<Kind> Parse(std::string_view json, Record& record);

 private:
  simdjson::ondemand::parser parser_;
  std::string padded_;  // the object, copied with the padding simdjson needs
  char pid_[24];        // the pid's digits; the record's view points here
};

}  // namespace tediag
