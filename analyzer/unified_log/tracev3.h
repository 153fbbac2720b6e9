// The container of a tracev3 file: its header chunk, its catalogs (processes, their images and
// subsystems), and the chunksets whose LZ4 data holds the log entries. Layout: libyal dtformats,
// "Apple Unified Logging and Activity Tracing formats" (tracev3 chunk, Header, Catalog, ChunkSet,
// LZ4 compressed data); every length and offset is checked against the bytes there.
//
// TraceFile::Walk reads a whole tracev3 held in memory, one chunk at a time, and calls back with
// the catalog in force and each chunkset's decompressed data (valid during the call), whose
// chunks (firehose, oversize, statedump, simpledump) ForEachInnerChunk splits. A problem in a chunk
// or a chunkset is reported through `on_problem` with its file offset, and the walk goes on with
// the next chunk; only a file that is not a tracev3 fails as a whole. Costs: one decompression
// buffer per chunkset (bounded by kMaxChunksetSize); the catalog's tables. Not thread-safe; a
// TraceFile is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "unified_log/byte_reader.h"

namespace tediag::unified_log {

inline constexpr uint32_t kTagHeader = 0x1000;
inline constexpr uint32_t kTagFirehose = 0x6001;
inline constexpr uint32_t kTagOversize = 0x6002;
inline constexpr uint32_t kTagStatedump = 0x6003;
inline constexpr uint32_t kTagSimpledump = 0x6004;
inline constexpr uint32_t kTagCatalog = 0x600b;
inline constexpr uint32_t kTagChunkset = 0x600d;

// A chunkset decompresses to at most this many bytes (real ones hold about 64 KiB); a larger
// claimed size is refused rather than allocated.
inline constexpr size_t kMaxChunksetSize = size_t{16} << 20;

struct Tracev3Header {
  uint32_t timebase_numer = 1, timebase_denom = 1;
  uint64_t start_continuous_time = 0;
  int64_t wall_seconds = 0;  // POSIX seconds at start_continuous_time
  int32_t tz_minutes = 0;
  std::string build;           // "21G320"
  std::string hardware_model;  // "Macmini9,1"
  Uuid boot_uuid{};
  uint32_t logd_pid = 0;
  std::string timezone_path;
};

// One image a process loaded: where its text is, so an absolute pc finds the image.
struct ImageRange {
  Uuid uuid{};
  uint64_t load_address = 0;
  uint32_t size = 0;
};

struct SubsystemEntry {
  uint16_t id = 0;
  std::string subsystem, category;
};

struct ProcessInfo {
  uint64_t proc_id_first = 0;
  uint32_t proc_id_second = 0;
  uint32_t pid = 0, euid = 0;
  bool has_main = false, has_dsc = false;
  Uuid main_uuid{}, dsc_uuid{};
  std::vector<ImageRange> images;
  std::vector<SubsystemEntry> subsystems;

  const SubsystemEntry* FindSubsystem(uint16_t id) const;
  const ImageRange* FindImage(uint64_t address) const;
};

// A catalog's sub chunk: the time range and size of one chunkset that follows the catalog (the
// first sub chunk is the first chunkset after it, and so on), in Mach continuous time.
struct ChunksetTimes {
  uint64_t start = 0, end = 0;
  uint32_t uncompressed_size = 0;
};

class Catalog {
 public:
  // Parses a catalog chunk's data (after the 16-byte preamble).
  static absl::StatusOr<Catalog> Parse(std::string_view data);

  // The process whose firehose or simpledump chunk carries this proc_id, or null.
  const ProcessInfo* FindProcess(uint64_t first, uint32_t second) const;
  const std::vector<ProcessInfo>& processes() const { return processes_; }
  size_t uuid_count() const { return uuids_.size(); }
  // Empty when the sub chunks could not be read (the entries are read all the same).
  const std::vector<ChunksetTimes>& chunksets() const { return chunksets_; }

 private:
  std::vector<Uuid> uuids_;
  std::vector<ProcessInfo> processes_;
  std::vector<ChunksetTimes> chunksets_;
};

// Decompresses a chunkset's data (bv41 / bv4- blocks up to bv4$) into `out`. Fails on a block
// that does not decompress to its stated size, an unknown marker, or more than kMaxChunksetSize.
absl::Status DecompressChunkset(std::string_view data, std::string& out);

struct InnerChunk {
  uint32_t tag = 0, subtag = 0;
  std::string_view data;       // after the preamble, inside the decompressed chunkset
  uint64_t stream_offset = 0;  // offset of the chunk in the file with its chunksets expanded
};

struct WalkStats {
  uint64_t catalogs = 0, chunksets = 0, chunksets_failed = 0, compressed_bytes = 0, decompressed_bytes = 0;
  uint64_t chunksets_skipped = 0;  // left compressed: their catalog's times are outside the window
};

using OnProblem = std::function<void(uint64_t file_offset, std::string_view message)>;

// Calls `on_chunk` for each chunk of a decompressed chunkset, in order; a chunk that claims more
// bytes than are left ends the walk with one problem at `file_offset` (the chunkset's).
void ForEachInnerChunk(std::string_view chunkset, uint64_t stream_base, uint64_t file_offset,
                       const std::function<void(const InnerChunk&)>& on_chunk, const OnProblem& on_problem);

class TraceFile {
 public:
  // Checks the header chunk and parses it; fails when `data` is not a tracev3.
  static absl::StatusOr<TraceFile> Open(std::string_view data);

  const Tracev3Header& header() const { return header_; }

  // Every chunkset, decompressed, in file order, with the catalog in force, where the chunkset
  // starts in the expanded stream and in the file. The catalog is null for a chunkset before
  // any catalog (not seen in real files, but possible in a stranger's).
  using OnChunkset = std::function<void(const Catalog* catalog, std::string_view decompressed, uint64_t stream_offset,
                                        uint64_t file_offset)>;
  // With `skip`, a chunkset whose catalog gives its time range is first offered to it (start and
  // end, continuous time), and left compressed when it answers true; the stream offsets go on as
  // if it had been read (by the size the catalog gives).
  using SkipChunkset = std::function<bool(const ChunksetTimes& times)>;
  WalkStats Walk(const OnChunkset& on_chunkset, const OnProblem& on_problem, const SkipChunkset& skip = {}) const;

 private:
  std::string_view data_;
  Tracev3Header header_;
};

}  // namespace tediag::unified_log
