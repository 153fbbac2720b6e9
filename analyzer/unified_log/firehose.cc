#include "unified_log/firehose.h"

namespace tediag::unified_log {
namespace {

constexpr uint16_t kHasCurrentAid = 0x0001;
constexpr uint16_t kHasUniquePid = 0x0010;
constexpr uint16_t kHasLargeOffset = 0x0020;
constexpr uint16_t kHasPrivateData = 0x0100;
constexpr uint16_t kHasSubsystem = 0x0200;  // activity: has_other_aid
constexpr uint16_t kHasRules = 0x0400;
constexpr uint16_t kHasOversize = 0x0800;
constexpr uint16_t kHasName = 0x8000;
constexpr uint16_t kPrivateNone = 0x1000;  // the private data virtual offset when there is none

struct ItemClass {
  uint8_t type;
  Argument::Kind kind;
};
// Even types are public; every odd type is a private value (dtformats §"Value type").
constexpr ItemClass kItemClasses[] = {
    {0x00, Argument::Kind::kNumber},    {0x02, Argument::Kind::kNumber}, {0x10, Argument::Kind::kPrecision},
    {0x12, Argument::Kind::kPrecision}, {0x20, Argument::Kind::kString}, {0x22, Argument::Kind::kString},
    {0x40, Argument::Kind::kString},    {0x42, Argument::Kind::kString}, {0x30, Argument::Kind::kBinary},
    {0x32, Argument::Kind::kBinary},    {0xf2, Argument::Kind::kBinary},
};

Argument::Kind KindOf(uint8_t type) {
  if (type & 1) return Argument::Kind::kPrivate;
  for (const ItemClass& c : kItemClasses)
    if (c.type == type) return c.kind;
  return Argument::Kind::kUnknown;
}

// The format string's location fields that follow the pc (dtformats §"Log firehose tracepoint",
// "If strings file type == ..."), and the full format reference they make.
void ReadStringsLocation(ByteReader& r, uint32_t format_low, Tracepoint& tp) {
  uint64_t large = 0;
  if (tp.flags & kHasLargeOffset) large = r.U16();
  switch (tp.flags & 0x000e) {
    case 0x2: tp.strings = StringsIn::kMainExe; break;
    case 0x4: tp.strings = StringsIn::kSharedCache; break;
    case 0x8:
      tp.strings = StringsIn::kAbsolute;
      tp.pc |= static_cast<uint64_t>(r.U16()) << 32;
      break;
    case 0xa:
      tp.strings = StringsIn::kUuidRelative;
      tp.image = r.ReadUuid();
      break;
    case 0xc: {
      tp.strings = StringsIn::kSharedCache;
      uint64_t large_cache = r.U16();
      if (large_cache != 0) large = large_cache;
      break;
    }
    default: tp.strings = StringsIn::kUnknown; break;
  }
  // The top bit of the low 32 bits marks a dynamic format ("%s") unless a large part follows.
  if (large != 0) {
    tp.format_ref = large << 31 | (format_low & 0x7fffffffu);
  } else {
    tp.dynamic = (format_low & 0x80000000u) != 0;
    tp.format_ref = format_low & 0x7fffffffu;
  }
}

// The private range of a log or signpost, as a view into the chunk's private data.
std::string_view PrivateRange(std::string_view private_block, uint16_t virtual_offset, uint16_t offset, uint16_t size) {
  if (private_block.empty() || offset < virtual_offset) return {};
  return ByteReader::Sub(private_block, offset - virtual_offset, size);
}

void ReadTracepointBody(ByteReader& r, uint32_t format_low, std::string_view private_block, uint16_t virtual_offset,
                        Tracepoint& tp) {
  const uint16_t f = tp.flags;
  std::string_view private_data;
  switch (tp.type) {
    case RecordType::kActivity:
      if (tp.log_type != 0x3) r.Skip(8);  // new activity id
      if (f & kHasCurrentAid) r.Skip(8);
      if (f & kHasUniquePid) r.Skip(8);
      if (f & kHasSubsystem) r.Skip(8);  // other activity id
      tp.pc = r.U32();
      ReadStringsLocation(r, format_low, tp);
      if (r.left() >= 2) ReadArguments(r, {}, tp.args);
      return;
    case RecordType::kTrace:
      tp.pc = r.U32();
      tp.strings = StringsIn::kMainExe;
      tp.format_ref = format_low & 0x7fffffffu;
      tp.dynamic = (format_low & 0x80000000u) != 0;
      return;
    case RecordType::kLoss:
      r.Skip(16);  // start and end time
      tp.lost = r.U64();
      return;
    case RecordType::kLog:
    case RecordType::kSignpost: break;
  }
  if (f & kHasCurrentAid) r.Skip(8);
  if (f & kHasPrivateData) {
    uint16_t offset = r.U16();
    uint16_t size = r.U16();
    private_data = PrivateRange(private_block, virtual_offset, offset, size);
  }
  tp.pc = r.U32();
  ReadStringsLocation(r, format_low, tp);
  if (f & kHasSubsystem) tp.has_subsystem = true, tp.subsystem_id = r.U16();
  if (tp.type == RecordType::kSignpost) r.Skip(8);  // signpost id
  if (f & kHasRules) r.Skip(1);
  if (f & kHasOversize) tp.has_oversize = true, tp.oversize_ref = r.U32();
  if (tp.type == RecordType::kSignpost && (f & kHasName)) r.Skip((f & kHasLargeOffset) ? 6 : 4);
  if (!r.ok()) return;
  if (r.left() >= 2 && !ReadArguments(r, private_data, tp.args)) r.Fail();
}

bool IsRecordType(uint8_t t) { return t == 2 || t == 3 || t == 4 || t == 6 || t == 7; }

}  // namespace

bool ReadArguments(ByteReader& r, std::string_view private_data, std::vector<Argument>& args) {
  r.Skip(1);
  uint8_t count = r.U8();
  if (!r.ok()) return false;
  size_t first = args.size();
  for (uint8_t i = 0; i < count; ++i) {
    Argument& a = args.emplace_back();
    a.type = r.U8();
    uint8_t size = r.U8();
    std::string_view inline_bytes = r.Bytes(size);
    if (!r.ok()) {
      args.pop_back();
      return false;
    }
    a.kind = KindOf(a.type);
    if (a.kind == Argument::Kind::kNumber || a.kind == Argument::Kind::kPrecision) {
      ByteReader n(inline_bytes);
      a.width = size;
      a.number = size >= 1 && size <= 8 ? n.UInt(size) : 0;
      if (size < 1 || size > 8) a.kind = Argument::Kind::kUnknown;
      continue;
    }
    if (size == 4) {  // a range: offset and size in the values data (private data when private)
      ByteReader range(inline_bytes);
      a.number = range.U16();  // the offset, until resolved below
      a.width = 4;             // marks a range
      uint16_t length = range.U16();
      a.is_null = length == 0;
      a.bytes = std::string_view(nullptr, 0);
      a.has_bytes = false;
      a.number |= static_cast<uint64_t>(length) << 16;
    }
  }
  std::string_view values = r.rest();
  for (size_t i = first; i < args.size(); ++i) {
    Argument& a = args[i];
    if (a.kind == Argument::Kind::kNumber || a.kind == Argument::Kind::kPrecision || a.is_null) continue;
    if (a.width != 4) continue;  // no range: nothing to resolve
    a.width = 0;
    uint64_t offset = a.number & 0xffff, length = a.number >> 16;
    bool ok = false;
    std::string_view from = a.kind == Argument::Kind::kPrivate ? private_data : values;
    if (from.empty()) continue;
    a.bytes = ByteReader::Sub(from, offset, length, &ok);
    a.has_bytes = ok;
  }
  return true;
}

absl::StatusOr<FirehoseChunk> ParseFirehose(std::string_view data) {
  ByteReader r(data);
  FirehoseChunk chunk;
  chunk.proc_id_first = r.U64();
  chunk.proc_id_second = r.U32();
  r.Skip(4);  // ttl, collapsed, reserved
  uint16_t public_size = r.U16();
  uint16_t virtual_offset = r.U16();
  r.Skip(2);
  chunk.stream_type = r.U8();
  r.Skip(1);
  chunk.base_time = r.U64();
  // The public data size counts the 16 bytes from the size field to the tracepoints.
  if (!r.ok() || public_size < 16) return absl::InvalidArgumentError("firehose chunk header is cut short");
  std::string_view public_data = r.Bytes(public_size - 16);
  if (!r.ok()) return absl::InvalidArgumentError("firehose public data runs past the chunk");
  std::string_view private_block;
  if (virtual_offset < kPrivateNone) {
    size_t private_size = kPrivateNone - virtual_offset;
    if (private_size <= data.size()) private_block = data.substr(data.size() - private_size);
  }
  ByteReader p(public_data);
  while (p.left() >= 24) {
    Tracepoint tp;
    tp.offset = static_cast<uint32_t>(32 + p.pos());
    uint8_t type = p.U8();
    if (!IsRecordType(type)) break;  // 0: the rest is unused; others are not known
    tp.type = static_cast<RecordType>(type);
    tp.log_type = p.U8();
    tp.flags = p.U16();
    uint32_t format_low = p.U32();
    tp.thread_id = p.U64();
    uint64_t delta = p.U32();
    delta |= static_cast<uint64_t>(p.U16()) << 32;
    tp.continuous_time = chunk.base_time + delta;
    uint16_t size = p.U16();
    std::string_view body = p.Bytes(size);
    if (!p.ok()) break;
    p.Align(8);
    ByteReader b(body);
    ReadTracepointBody(b, format_low, private_block, virtual_offset, tp);
    if (!b.ok()) tp.cut = true, ++chunk.cut;
    chunk.points.push_back(std::move(tp));
  }
  return chunk;
}

absl::StatusOr<Oversize> ParseOversize(std::string_view data) {
  ByteReader r(data);
  Oversize o;
  o.proc_id_first = r.U64();
  o.proc_id_second = r.U32();
  r.Skip(4);
  o.continuous_time = r.U64();
  o.ref = r.U32();
  uint16_t public_size = r.U16();
  uint16_t private_size = r.U16();
  std::string_view public_data = r.Bytes(public_size);
  std::string_view private_data = r.Bytes(private_size);
  if (!r.ok()) return absl::InvalidArgumentError("oversize chunk is cut short");
  ByteReader items(public_data);
  if (!ReadArguments(items, private_data, o.args))
    return absl::InvalidArgumentError("oversize data items are cut short");
  return o;
}

absl::StatusOr<Simpledump> ParseSimpledump(std::string_view data) {
  ByteReader r(data);
  Simpledump s;
  s.proc_id_first = r.U64();
  s.proc_id_second = r.U32();
  r.Skip(1);
  s.log_type = r.U8();
  r.Skip(2);
  s.continuous_time = r.U64();
  s.thread_id = r.U64();
  s.pc = r.U64();
  s.sender = r.ReadUuid();
  s.dsc = r.ReadUuid();
  r.Skip(4);
  uint32_t subsystem_size = r.U32();
  uint32_t message_size = r.U32();
  std::string_view subsystem = r.Bytes(subsystem_size);
  std::string_view message = r.Bytes(message_size);
  if (!r.ok()) return absl::InvalidArgumentError("simpledump chunk is cut short");
  s.subsystem = ByteReader::CString(subsystem, 0);
  s.message = ByteReader::CString(message, 0);
  return s;
}

absl::StatusOr<Statedump> ParseStatedump(std::string_view data) {
  ByteReader r(data);
  Statedump s;
  s.proc_id_first = r.U64();
  s.proc_id_second = r.U32();
  r.Skip(4);
  s.continuous_time = r.U64();
  s.activity_id = r.U64();
  s.sender = r.ReadUuid();
  s.data_type = r.U32();
  uint32_t size = r.U32();
  std::string_view library = r.Bytes(64), decoder = r.Bytes(64), title = r.Bytes(64);
  s.payload = r.Bytes(size);
  if (!r.ok()) return absl::InvalidArgumentError("statedump chunk is cut short");
  s.title = ByteReader::CString(title, 0);
  if (s.data_type == 3) {
    s.decoder_library = ByteReader::CString(library, 0);
    s.decoder_type = ByteReader::CString(decoder, 0);
  }
  return s;
}

}  // namespace tediag::unified_log
