// The entries inside a decompressed chunkset: firehose tracepoints of every kind (log, activity,
// trace, signpost, loss), oversize data, simpledump and statedump headers. Layout: libyal
// dtformats §"Firehose chunk", §"Firehose tracepoint" and the sections after it; where Mandiant's
// reader, tested on many more archives, found what the document does not say (the oversize
// reference is 4 bytes), that is followed.
//
// Parsing only splits bytes into fields: arguments are views into the chunk data, valid as long
// as it is. Nothing here looks up strings or processes (see archive_reader). A tracepoint whose
// fields run past its own data is kept with `cut` set and whatever was read; the walk goes on with
// the next tracepoint, whose place the tracepoint's size gives. Costs: one vector of tracepoints
// per chunk, one vector of arguments per tracepoint. Thread-safe: free functions, no state.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "unified_log/byte_reader.h"

namespace tediag::unified_log {

enum class RecordType : uint8_t { kActivity = 2, kTrace = 3, kLog = 4, kSignpost = 6, kLoss = 7 };

// Where a tracepoint's format string is kept (flags & 0x000e).
enum class StringsIn : uint8_t {
  kUnknown,
  kMainExe,      // the process's main image's uuidtext
  kSharedCache,  // the process's shared-cache strings (dsc)
  kAbsolute,     // the uuidtext of the image loaded at `pc`
  kUuidRelative  // the uuidtext named in the tracepoint
};

// One data item of a tracepoint (dtformats §"Firehose tracepoint data item").
struct Argument {
  enum class Kind : uint8_t {
    kNumber,     // 0x00, 0x02: an inline integer (or the bits of a floating-point value)
    kPrecision,  // 0x10, 0x12: the width or precision a `*` asks for
    kString,     // 0x20, 0x22, 0x40, 0x42: text in the values data
    kBinary,     // 0x30, 0x32, 0xf2: bytes in the values data (%P, %{…}.*P)
    kPrivate,    // any odd type: kept private when logged; bytes set when the private data is there
    kUnknown,
  };
  Kind kind = Kind::kUnknown;
  uint8_t type = 0;
  uint8_t width = 0;     // inline number: its size in bytes
  bool is_null = false;  // a string or object item of size 0: "(null)"
  bool has_bytes = false;
  uint64_t number = 0;
  std::string_view bytes;
};

struct Tracepoint {
  uint32_t offset = 0;  // in the chunk's data
  RecordType type = RecordType::kLog;
  uint8_t log_type = 0;
  uint16_t flags = 0;
  uint64_t format_ref = 0;  // offset of the format string in its strings file
  bool dynamic = false;     // the format is "%s" and the first argument is the message
  uint64_t thread_id = 0;
  uint64_t continuous_time = 0;
  StringsIn strings = StringsIn::kUnknown;
  uint64_t pc = 0;  // the caller's address or offset (absolute: the full load address)
  Uuid image{};     // kUuidRelative: the uuidtext
  bool has_subsystem = false;
  uint16_t subsystem_id = 0;
  bool has_oversize = false;
  uint32_t oversize_ref = 0;
  uint64_t lost = 0;  // loss: messages lost
  bool cut = false;   // its fields ran past its data
  std::vector<Argument> args;
};

struct FirehoseChunk {
  uint64_t proc_id_first = 0;
  uint32_t proc_id_second = 0;
  uint8_t stream_type = 0;
  uint64_t base_time = 0;
  std::vector<Tracepoint> points;
  uint32_t cut = 0;  // tracepoints kept with `cut` set
};

// A firehose chunk's data (after the 16-byte preamble).
absl::StatusOr<FirehoseChunk> ParseFirehose(std::string_view data);

struct Oversize {
  uint64_t proc_id_first = 0;
  uint32_t proc_id_second = 0;
  uint64_t continuous_time = 0;
  uint32_t ref = 0;
  std::vector<Argument> args;
};
absl::StatusOr<Oversize> ParseOversize(std::string_view data);

struct Simpledump {
  uint64_t proc_id_first = 0;
  uint32_t proc_id_second = 0;
  uint8_t log_type = 0;
  uint64_t continuous_time = 0;
  uint64_t thread_id = 0;
  uint64_t pc = 0;
  Uuid sender{}, dsc{};
  std::string_view subsystem, message;
};
absl::StatusOr<Simpledump> ParseSimpledump(std::string_view data);

struct Statedump {
  uint64_t proc_id_first = 0;
  uint32_t proc_id_second = 0;
  uint64_t continuous_time = 0;
  uint64_t activity_id = 0;
  Uuid sender{};
  uint32_t data_type = 0;  // 1 plist, 2 protobuf, 3 custom
  std::string_view title, decoder_library, decoder_type, payload;
};
absl::StatusOr<Statedump> ParseStatedump(std::string_view data);

// The data items that follow a tracepoint's fixed fields (unknown byte, count, items, values),
// with their values resolved against `values`-relative offsets. `private_data` is the entry's
// private range, empty when the file holds none. Appends to `args`; false when cut short.
bool ReadArguments(ByteReader& r, std::string_view private_data, std::vector<Argument>& args);

}  // namespace tediag::unified_log
