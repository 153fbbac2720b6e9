// The analysis end to end: inputs → readers → matcher → findings → diagnosis → Report.
//
// Inputs are read in chunks (ChunkSource) in bounded memory. Each chunk is read and matched on
// its own, on a pool of threads when there are several; the results are merged in input order,
// so the report is the same whatever the number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.h"
#include "tediag/report.h"

namespace tediag {

struct AnalyzeOptions {
  std::vector<std::string> inputs;  // files, folders (walked recursively), "-" for stdin
  std::string focus_app;            // --app: name, bundle id or path fragment; may be empty
  unsigned threads = 0;             // 0: one per core; 1: everything on the calling thread
  // Called on the calling thread as reading advances: bytes read so far, and the total size of
  // the inputs (0 when unknown, as for a pipe).
  std::function<void(uint64_t read, uint64_t total)> progress;
  // Called on the calling thread with each part of an input as it is read, in order (a part is
  // whole lines; see ChunkSource): --redact learns names from it. May be empty.
  std::function<void(std::string_view path, std::string_view data)> on_input_read;
};

// Reads every input and diagnoses. Never fails as a whole: unreadable inputs and malformed
// lines are recorded in the report's input summaries.
Report Analyze(const Matcher& matcher, const AnalyzeOptions& options);

// The same, over text already in memory (a rule example, a test). `name` labels the evidence.
Report AnalyzeText(const Matcher& matcher, std::string_view name, std::string_view text,
                   std::string_view focus_app = {});

}  // namespace tediag
