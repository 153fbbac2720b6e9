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

  // Parses `json`, one JSON object (text after it is an error). For kEvent the record's fields
  // are filled; its views stay valid until the next call. Keys may come in any order; every key
  // is optional. simdjson reads up to SIMDJSON_PADDING bytes past the end of what it parses:
  // when `readable_after` says that many bytes follow `json` in memory, it is parsed in place,
  // otherwise it is first copied.
  absl::StatusOr<Kind> Parse(std::string_view json, Record& record, size_t readable_after = 0);

 private:
  simdjson::ondemand::parser parser_;
  std::string padded_;  // the object, copied with the padding simdjson needs, when it has none
  char pid_[24];        // the pid's digits; the record's view points here
};

}  // namespace tediag
