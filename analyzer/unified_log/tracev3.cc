#include "unified_log/tracev3.h"

#include <lz4.h>

#include <algorithm>
#include <optional>

#include "util/text_util.h"

namespace tediag::unified_log {
namespace {

constexpr size_t kPreamble = 16;

std::string FixedString(std::string_view bytes) { return std::string(ByteReader::CString(bytes, 0)); }

// The header chunk's sub chunks: continuous time, system information, generation, time zone.
void ReadHeaderSubchunks(ByteReader& r, Tracev3Header& h) {
  while (r.Has(8)) {
    uint32_t tag = r.U32();
    uint32_t size = r.U32();
    std::string_view body = r.Bytes(size);
    if (!r.ok()) return;
    ByteReader b(body);
    switch (tag) {
      case 0x6101:
        b.Skip(8);
        h.build = FixedString(b.Bytes(16));
        h.hardware_model = FixedString(b.Bytes(32));
        break;
      case 0x6102:
        h.boot_uuid = b.ReadUuid();
        h.logd_pid = b.U32();
        break;
      case 0x6103: h.timezone_path = FixedString(body); break;
      default: break;  // 0x6100, the continuous time again; unknown ones are skipped
    }
  }
}

absl::StatusOr<Tracev3Header> ParseHeader(std::string_view data) {
  ByteReader r(data);
  uint32_t tag = r.U32();
  r.U32();
  uint64_t size = r.U64();
  if (!r.ok() || tag != kTagHeader)
    return absl::InvalidArgumentError("not a tracev3 file: no header chunk at offset 0");
  bool ok = true;
  ByteReader h(ByteReader::Sub(data, kPreamble, size, &ok));
  if (!ok || size < 40) return absl::InvalidArgumentError("tracev3 header chunk is cut short");
  Tracev3Header header;
  header.timebase_numer = h.U32();
  header.timebase_denom = h.U32();
  header.start_continuous_time = h.U64();
  header.wall_seconds = static_cast<int32_t>(h.U32());
  h.Skip(8);
  header.tz_minutes = static_cast<int32_t>(h.U32());
  h.Skip(8);  // DST flag, header flags
  if (header.timebase_numer == 0 || header.timebase_denom == 0) {
    return absl::InvalidArgumentError("tracev3 header has a zero timebase");
  }
  ReadHeaderSubchunks(h, header);
  return header;
}

// One process information entry of a catalog.
bool ReadProcess(ByteReader& r, const std::vector<Uuid>& uuids, std::string_view strings, ProcessInfo& p) {
  r.Skip(4);  // entry index, unknown
  uint16_t main_index = r.U16();
  uint16_t dsc_index = r.U16();
  p.proc_id_first = r.U64();
  p.proc_id_second = r.U32();
  p.pid = r.U32();
  p.euid = r.U32();
  r.Skip(4);
  uint32_t image_count = r.U32();
  r.Skip(4);
  if (!r.ok() || image_count > r.left() / 16) return false;
  if (main_index < uuids.size()) p.has_main = true, p.main_uuid = uuids[main_index];
  if (dsc_index < uuids.size()) p.has_dsc = true, p.dsc_uuid = uuids[dsc_index];
  p.images.reserve(image_count);
  for (uint32_t i = 0; i < image_count; ++i) {
    uint32_t size = r.U32();
    r.Skip(4);
    uint16_t index = r.U16();
    uint64_t low = r.U32();
    uint64_t high = r.U16();
    if (index < uuids.size()) p.images.push_back({uuids[index], high << 32 | low, size});
  }
  uint32_t subsystem_count = r.U32();
  r.Skip(4);
  if (!r.ok() || subsystem_count > r.left() / 6) return false;
  p.subsystems.reserve(subsystem_count);
  for (uint32_t i = 0; i < subsystem_count; ++i) {
    SubsystemEntry& s = p.subsystems.emplace_back();
    s.id = r.U16();
    s.subsystem = std::string(ByteReader::CString(strings, r.U16()));
    s.category = std::string(ByteReader::CString(strings, r.U16()));
  }
  r.Align(8);
  return r.ok();
}

// The catalog's sub chunks (dtformats "Catalog sub chunk"), at `offset` in the catalog's body;
// `out` stays empty when one is cut short.
void ReadChunksetTimes(std::string_view body, uint16_t offset, uint16_t count, std::vector<ChunksetTimes>& out) {
  ByteReader r(body);
  r.Seek(offset);
  std::vector<ChunksetTimes> times;
  times.reserve(std::min<size_t>(count, body.size() / 32));
  for (uint16_t i = 0; i < count && r.ok(); ++i) {
    ChunksetTimes& t = times.emplace_back();
    t.start = r.U64();
    t.end = r.U64();
    t.uncompressed_size = r.U32();
    r.Skip(4);  // compression algorithm
    uint32_t indexes = r.U32();
    r.Skip(size_t{2} * std::min<uint32_t>(indexes, 0x10000));
    uint32_t offsets = r.U32();
    r.Skip(size_t{2} * std::min<uint32_t>(offsets, 0x10000));
    r.Align(8);
  }
  if (r.ok()) out = std::move(times);
}

}  // namespace

const SubsystemEntry* ProcessInfo::FindSubsystem(uint16_t id) const {
  for (const SubsystemEntry& s : subsystems)
    if (s.id == id) return &s;
  return nullptr;
}

const ImageRange* ProcessInfo::FindImage(uint64_t address) const {
  for (const ImageRange& image : images)
    if (address >= image.load_address && address - image.load_address <= image.size) return &image;
  return nullptr;
}

absl::StatusOr<Catalog> Catalog::Parse(std::string_view data) {
  ByteReader r(data);
  uint16_t strings_offset = r.U16();
  uint16_t process_offset = r.U16();
  uint16_t process_count = r.U16();
  uint16_t chunks_offset = r.U16();
  uint16_t chunks_count = r.U16();
  r.Skip(6 + 8);
  if (!r.ok() || strings_offset % 16 != 0 || process_offset < strings_offset) {
    return absl::InvalidArgumentError("catalog header is malformed");
  }
  std::string_view body = r.rest();
  bool ok = true;
  std::string_view uuid_bytes = ByteReader::Sub(body, 0, strings_offset, &ok);
  std::string_view strings = ok ? ByteReader::Sub(body, strings_offset, process_offset - strings_offset, &ok) : "";
  if (!ok) return absl::InvalidArgumentError("catalog offsets point past its end");
  Catalog catalog;
  ByteReader u(uuid_bytes);
  while (u.Has(16)) catalog.uuids_.push_back(u.ReadUuid());
  ByteReader p(body);
  p.Seek(process_offset);
  catalog.processes_.reserve(std::min<size_t>(process_count, body.size() / 48));
  for (uint16_t i = 0; i < process_count; ++i) {
    ProcessInfo info;
    if (!ReadProcess(p, catalog.uuids_, strings, info)) {
      return absl::InvalidArgumentError(StrCat("catalog process entry ", i, " of ", process_count, " is cut short"));
    }
    catalog.processes_.push_back(std::move(info));
  }
  ReadChunksetTimes(body, chunks_offset, chunks_count, catalog.chunksets_);
  return catalog;
}

const ProcessInfo* Catalog::FindProcess(uint64_t first, uint32_t second) const {
  for (const ProcessInfo& p : processes_)
    if (p.proc_id_first == first && p.proc_id_second == second) return &p;
  return nullptr;
}

absl::Status DecompressChunkset(std::string_view data, std::string& out) {
  out.clear();
  ByteReader r(data);
  while (true) {
    std::string_view marker = r.Bytes(4);
    if (!r.ok()) return absl::InvalidArgumentError("chunkset ends without its end marker (bv4$)");
    if (marker == "bv4$") return absl::OkStatus();
    uint32_t raw = r.U32();
    if (!r.ok() || raw > kMaxChunksetSize - out.size()) {
      return absl::InvalidArgumentError(StrCat("chunkset block claims ", raw, " bytes: over the limit or cut short"));
    }
    if (marker == "bv4-") {
      std::string_view stored = r.Bytes(raw);
      if (!r.ok()) return absl::InvalidArgumentError("stored chunkset block is cut short");
      out.append(stored);
      continue;
    }
    if (marker != "bv41") {
      if (marker.starts_with("ZBM") || marker.starts_with("bvx")) {
        return absl::UnimplementedError("chunkset compressed with LZBITMAP or LZFSE: not read yet");
      }
      return absl::InvalidArgumentError("unknown chunkset block marker");
    }
    uint32_t packed = r.U32();
    std::string_view src = r.Bytes(packed);
    if (!r.ok() || packed > static_cast<uint32_t>(LZ4_MAX_INPUT_SIZE)) {
      return absl::InvalidArgumentError("LZ4 chunkset block is cut short");
    }
    size_t before = out.size();
    out.resize(before + raw);
    // A block may refer back into the previous one's output: that output is its dictionary.
    size_t dict = std::min<size_t>(before, 64 * 1024);
    int n = LZ4_decompress_safe_usingDict(src.data(), out.data() + before, static_cast<int>(packed),
                                          static_cast<int>(raw), out.data() + before - dict, static_cast<int>(dict));
    if (n < 0 || static_cast<uint32_t>(n) != raw) {
      return absl::InvalidArgumentError("LZ4 chunkset block does not decompress to its stated size");
    }
  }
}

absl::StatusOr<TraceFile> TraceFile::Open(std::string_view data) {
  absl::StatusOr<Tracev3Header> header = ParseHeader(data);
  if (!header.ok()) return header.status();
  TraceFile file;
  file.data_ = data;
  file.header_ = std::move(*header);
  return file;
}

void ForEachInnerChunk(std::string_view buffer, uint64_t stream_base, uint64_t file_offset,
                       const std::function<void(const InnerChunk&)>& on_chunk, const OnProblem& on_problem) {
  size_t inner = 0;
  while (inner + kPreamble <= buffer.size()) {
    ByteReader c(buffer.substr(inner));
    InnerChunk chunk;
    chunk.tag = c.U32();
    chunk.subtag = c.U32();
    uint64_t size = c.U64();
    bool ok = true;
    chunk.data = ByteReader::Sub(buffer, inner + kPreamble, size, &ok);
    chunk.stream_offset = stream_base + inner;
    if (!ok) {
      on_problem(file_offset, StrCat("a chunk inside the chunkset claims ", size, " bytes, past its end"));
      return;
    }
    on_chunk(chunk);
    inner = static_cast<size_t>((inner + kPreamble + size + 7) & ~uint64_t{7});
  }
}

WalkStats TraceFile::Walk(const OnChunkset& on_chunkset, const OnProblem& on_problem, const SkipChunkset& skip) const {
  WalkStats stats;
  std::optional<Catalog> catalog;
  size_t in_catalog = 0;  // chunksets since the catalog: the index of the next one's sub chunk
  std::string buffer;
  uint64_t stream = 0;  // where the next chunk starts, chunksets counted expanded
  size_t offset = 0;
  while (offset + kPreamble <= data_.size()) {
    ByteReader r(data_.substr(offset));
    uint32_t tag = r.U32();
    r.U32();
    uint64_t size = r.U64();
    bool ok = true;
    std::string_view body = ByteReader::Sub(data_, offset + kPreamble, size, &ok);
    if (!ok) {
      on_problem(offset, StrCat("chunk 0x", HexString(tag), " claims ", size, " bytes, past the end of the file"));
      break;
    }
    uint64_t next = (offset + kPreamble + size + 7) & ~uint64_t{7};
    if (tag == kTagCatalog) {
      ++stats.catalogs;
      absl::StatusOr<Catalog> parsed = Catalog::Parse(body);
      in_catalog = 0;
      if (parsed.ok()) {
        catalog = std::move(*parsed);
      } else {
        catalog.reset();
        on_problem(offset, StrCat(parsed.status().message()));
      }
    } else if (tag == kTagChunkset) {
      ++stats.chunksets;
      stats.compressed_bytes += body.size();
      const ChunksetTimes* times =
          catalog && in_catalog < catalog->chunksets().size() ? &catalog->chunksets()[in_catalog] : nullptr;
      ++in_catalog;
      absl::Status status;
      if (skip && times != nullptr && skip(*times)) {
        ++stats.chunksets_skipped;
        stream += times->uncompressed_size;
      } else if (status = DecompressChunkset(body, buffer); !status.ok()) {
        ++stats.chunksets_failed;
        on_problem(offset, StrCat(status.message()));
      } else {
        stats.decompressed_bytes += buffer.size();
        on_chunkset(catalog ? &*catalog : nullptr, buffer, stream, offset);
        stream += buffer.size();
      }
    }
    if (tag != kTagChunkset) stream += next - offset;
    offset = static_cast<size_t>(std::min<uint64_t>(next, data_.size()));
  }
  return stats;
}

}  // namespace tediag::unified_log
