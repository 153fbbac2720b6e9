// Reads the notary service's log for a submission — `xcrun notarytool log <id>` (and the older
// altool LogFileURL JSON): status, statusSummary and issues[] with severity, path, message,
// docUrl and architecture. One record for the submission, one per issue; process "notarytool".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "simdjson.h"
#include "tediag/record.h"

namespace tediag {

class NotaryLogReader {
 public:
  static bool LooksLikeNotaryLog(std::string_view json);
  // Delivers the records to `sink`, each at `line`.
  absl::Status Read(std::string_view json, uint64_t line, RecordSink& sink);

 private:
  simdjson::dom::parser parser_;
  std::string text_;
};

}  // namespace tediag
