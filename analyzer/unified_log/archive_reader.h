// A unified log archive → Records: the entry point of this stage. Finds an archive's parts by
// layout (FindArchiveLayout), then reads one tracev3 file at a time (ArchiveReader::ReadFile):
// walks its chunks (tracev3.h), splits its entries (firehose.h), looks up each entry's process,
// image, subsystem and format string (strings.h), turns its continuous time into UTC
// (timesync.h), formats its message (formatter.h), and pushes a Record with the fields the
// ndjson reader fills (timestamp, process, process_path, pid, sender, subsystem, category,
// message_type, event_type, message) into a RecordSink, so that the same rules diagnose it.
//
// A Record's `line` is the entry's offset in the tracev3 with its chunksets expanded in place
// (unique and increasing within the file; shown as "line N"). A message whose format string is
// not in the archive (no uuidtext or dsc file for it) is still delivered, as
// "<no format string> arg, arg" with its arguments, and counted in ReadStats::partial. Problems
// (a chunkset that does not decompress, a cut entry) are reported through RecordSink::OnError
// with the file offset of their chunk, and the rest is read. Memory: each tracev3 file being read
// and one decompressed chunkset per file, and every uuidtext and dsc file looked up so far.
// Thread-safe for reading: ReadFile and ReadBytes may run on several threads at once (each file
// on one thread), sharing the archive's strings, which are parsed once under a lock; a file's
// records are the same whichever thread reads it, and whatever is read beside it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tediag/record.h"
#include "util/time_window.h"

namespace tediag::unified_log {

struct ArchiveLayout {
  std::filesystem::path root;                  // the archive as given
  std::vector<std::filesystem::path> tracev3;  // in reading order: Persist, Special, Signpost, HighVolume, live data
  std::filesystem::path uuidtext;              // where 00…FF/ and dsc/ are; empty when not found
  std::vector<std::filesystem::path> timesync;
};

// The layout of `path`: a .logarchive folder (Persist/, Special/, … timesync/, 00…FF/, dsc/), a
// bare /private/var/db tree (Diagnostics/ and uuidtext/), the Diagnostics folder alone (its
// uuidtext beside it), a sysdiagnose folder (its system_logs.logarchive), or a single .tracev3
// (its uuidtext and timesync searched beside it and above). Nullopt when none of these.
// AppleDouble "._*" files are ignored.
std::optional<ArchiveLayout> FindArchiveLayout(const std::filesystem::path& path);

struct ReadStats {
  uint64_t bytes = 0;  // of the tracev3 file
  uint64_t log = 0, activity = 0, trace = 0, signpost = 0, loss = 0, simpledump = 0, statedump = 0, oversize = 0;
  uint64_t partial = 0;  // records delivered without their format string
  uint64_t problems = 0;
  uint64_t outside_window = 0;     // entries outside the window: counted above, not formatted nor delivered
  uint64_t chunksets_skipped = 0;  // wholly after the window: not decompressed, their entries not counted
  uint64_t records() const { return log + activity + trace + signpost + loss + simpledump + statedump; }
};

class ArchiveReader {
 public:
  explicit ArchiveReader(ArchiveLayout layout);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  const ArchiveLayout& layout() const { return layout_; }

  // With a window (owned by the caller, outliving the reads), an entry outside it is counted
  // (ReadStats::outside_window) but neither formatted nor delivered, and a chunkset whose
  // catalog times start after it is not even decompressed (its entries are not counted). One
  // before it is still decompressed: a later entry, inside the window, may use its oversize
  // data. The entries inside are delivered exactly as without a window.
  // Set before any read, not during one.
  void set_window(const TimeWindow* window) { window_ = window; }

  // Reads tracev3 file `index` of the layout into `sink` (OnFormat, then records and errors).
  // A file that cannot be read or is not a tracev3 gives one OnError at line 0.
  ReadStats ReadFile(size_t index, RecordSink& sink) const;

  // The same over bytes in memory (a test, the fuzzer), with this reader's strings and times.
  ReadStats ReadBytes(std::string_view bytes, RecordSink& sink) const;

  struct Caches;  // the archive's strings and times, and the current file's oversize data

 private:
  ArchiveLayout layout_;
  std::unique_ptr<Caches> caches_;
  const TimeWindow* window_ = nullptr;
};

}  // namespace tediag::unified_log
