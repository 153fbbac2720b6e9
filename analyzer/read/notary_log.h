// Reads the notary service's log for a submission — `xcrun notarytool log <id>` (and the older
// altool LogFileURL JSON): status, statusSummary and issues[] with severity, path, message,
// docUrl and architecture. One record for the submission, one per issue; process "notarytool".
// One reader per thread: it keeps its parser's buffers between calls.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "simdjson.h"
#include "tediag/record.h"

namespace tediag {

// What a reader tells (through RecordSink::OnError, at the log's first line) when it read a notary
// log that was cut short or damaged.
inline constexpr std::string_view kTruncatedNotaryLog =
    "truncated notary log: the diagnosis rests on the lines present";

class NotaryLogReader {
 public:
  static bool LooksLikeNotaryLog(std::string_view json);
  // Delivers the records to `sink`: the submission at its "status" line, each issue at its
  // "message" line (counted from `line`, the line of json's first byte).
  absl::Status Read(std::string_view json, uint64_t line, RecordSink& sink);
  // Reads a log that SalvageJsonObject (json_salvage.h) rebuilt from a cut or damaged one (a log
  // pasted into an issue and cut mid-array): the status and summary as far as present, and each
  // issue that is whole; an issue cut in its middle is left out. False, with nothing delivered,
  // when the JSON is not a notary log (it names no jobId, or no status, summary or issues).
  // `source` is the text it was rebuilt from, in which each record's line is found.
  bool ReadSalvaged(std::string_view json, std::string_view source, uint64_t line, RecordSink& sink);
  // The same test on the text, before reading it: a jobId and a status, summary or issues.
  static bool LooksLikeSalvagedLog(std::string_view json);

 private:
  void Deliver(simdjson::dom::element root, std::string_view source, uint64_t line, bool whole_issues_only,
               RecordSink& sink);

  simdjson::dom::parser parser_;
  std::string text_;
};

}  // namespace tediag
