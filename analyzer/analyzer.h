// The analysis end to end: inputs → readers → matcher → findings → diagnosis → Report.
//
// Inputs are read in chunks (ChunkSource) in bounded memory. Each chunk is read and matched on
// its own, on a pool of threads when there are several; the results are merged in input order,
// so the report is the same whatever the number of threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.h"
#include "tediag/report.h"
#include "util/time_window.h"

namespace tediag {

struct AnalyzeOptions {
  std::vector<std::string> inputs;  // files, folders (walked recursively), "-" for stdin
  std::string focus_app;            // --app: name, bundle id or path fragment; may be empty
  // 0: one per core; 1: everything on the calling thread. More than one per core (or more than
  // kMaxThreads) is cut to that: each thread holds its own reader and two chunks in flight.
  unsigned threads = 0;
  // Called on the calling thread as reading advances: bytes read so far, and the total size of
  // the inputs (0 when unknown, as for a pipe). With `last`, the inputs are read twice and both
  // passes count: the total is twice their size.
  std::function<void(uint64_t read, uint64_t total)> progress;
  // Called on the calling thread with each part of an input as it is read, in order (a part is
  // whole lines; see ChunkSource): --redact learns names from it. May be empty.
  std::function<void(std::string_view path, std::string_view data)> on_input_read;
  // --since / --until: records stamped outside are read and counted but not matched (see
  // util/time_window.h for how a bound without a zone compares).
  TimeWindow window;
  // --last: the window is this long and ends at the newest record of the inputs (as `log show
  // --archive --last` counts from the end of the archive); found by a first pass over them.
  std::chrono::seconds last{0};
};

inline constexpr unsigned kMaxThreads = 64;

// What became of the inputs, counted by kind: what the exit status is derived from.
struct AnalyzeOutcome {
  size_t analysed = 0;          // inputs with something read in them
  size_t empty = 0;             // read, but nothing to analyse in them (an empty file, empty stdin)
  size_t unreadable = 0;        // not read: missing, refused (binary), unreadable, a log archive
  size_t named_unreadable = 0;  // of those, the ones named on the command line itself
  size_t skipped = 0;           // tediag's own reports and manifests found in a folder or archive
  unsigned threads = 0;         // the threads used
};

// Reads every input and diagnoses. Never fails as a whole: unreadable inputs and malformed
// lines are recorded in the report's input summaries, and counted in `outcome` when given.
// tediag's own documents found in a folder or archive (a bundle's manifest.json, report.json,
// report.md) are left out of the report.
Report Analyze(const Matcher& matcher, const AnalyzeOptions& options, AnalyzeOutcome* outcome = nullptr);

// The same, over text already in memory (a rule example, a test). `name` labels the evidence.
Report AnalyzeText(const Matcher& matcher, std::string_view name, std::string_view text,
                   std::string_view focus_app = {});

}  // namespace tediag
