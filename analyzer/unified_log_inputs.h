// The pipeline's part of reading unified log archives (analyzer.cc): an archive input becomes one
// input per tracev3 file, each read by the archive's ArchiveReader (shared by the workers; it
// keeps the archive's strings); and --last's first pass, which finds the newest record of the
// inputs. Not thread-safe itself: built and used by Analyze() on the calling thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "input/input_files.h"
#include "unified_log/archive_reader.h"
#include "util/time_window.h"

namespace tediag {

struct UnifiedLogInputs {
  std::vector<std::unique_ptr<unified_log::ArchiveReader>> readers;
  std::vector<std::shared_ptr<const void>> unpacked;  // temporary folders the readers read
  struct Of {
    size_t reader = SIZE_MAX, file = 0;  // reader SIZE_MAX: not a tracev3
  };
  std::vector<Of> of;  // per input
};

// `files` with each unified log archive replaced by its tracev3 files (named by the archive's
// name when it was unpacked from an archive file); `out` says which input is which file.
std::vector<InputFile> ExpandUnifiedLogs(std::vector<InputFile> files, UnifiedLogInputs& out);

// --last: a first pass over every input for its newest dated record; the window is the `last`
// before it, in that record's zone. Without any dated record, no window. Reads every input once,
// calling `advanced` (when set) with the bytes read so far after each file or chunk.
TimeWindow LastWindow(const std::vector<InputFile>& files, const UnifiedLogInputs& unified, std::chrono::seconds last,
                      const std::function<void(uint64_t read)>& advanced = {});

}  // namespace tediag
