#include "unified_log/archive_reader.h"

#include <fstream>
#include <map>
#include <mutex>
#include <tuple>

#include "unified_log/firehose.h"
#include "unified_log/formatter.h"
#include "unified_log/strings.h"
#include "unified_log/timesync.h"
#include "unified_log/tracev3.h"
#include "util/text_util.h"

namespace tediag::unified_log {
namespace {

namespace fs = std::filesystem;

// Files above this size are not read whole (a Persist tracev3 is at most ~10 MiB on disk, a dsc
// ~100 MiB).
constexpr uintmax_t kMaxFileSize = uintmax_t{1} << 30;

std::optional<std::string> ReadWhole(const fs::path& path) {
  std::error_code ec;
  uintmax_t size = fs::file_size(path, ec);
  if (ec || size > kMaxFileSize) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes(static_cast<size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<uintmax_t>(in.gcount()) != size) return std::nullopt;
  return bytes;
}

std::string_view Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

struct LogType {
  uint8_t value;
  std::string_view name;
};
// dtformats §"Log type", as `log show` names them in messageType.
constexpr LogType kLogTypes[] = {{0x00, "Default"}, {0x01, "Info"}, {0x02, "Debug"}, {0x10, "Error"}, {0x11, "Fault"}};

std::string_view MessageType(uint8_t log_type) {
  for (const LogType& t : kLogTypes)
    if (t.value == log_type) return t.name;
  return "Default";
}

struct EventName {
  RecordType type;
  std::string_view name;
};
constexpr EventName kEventNames[] = {{RecordType::kActivity, "activityCreateEvent"},
                                     {RecordType::kTrace, "traceEvent"},
                                     {RecordType::kLog, "logEvent"},
                                     {RecordType::kSignpost, "signpostEvent"},
                                     {RecordType::kLoss, "lossEvent"}};

std::string_view EventType(RecordType type) {
  for (const EventName& e : kEventNames)
    if (e.type == type) return e.name;
  return "logEvent";
}

// Where a format string was found: the string and the image it belongs to.
struct Resolved {
  std::optional<std::string_view> format;
  std::string_view sender_path;
};

}  // namespace

// The archive's strings, shared by the files read at once: a file is parsed once, by the first
// reader that needs it (outside the lock), and never changes nor moves once in the map.
struct ArchiveReader::Caches {
  Timesync timesync;                                   // read-only after the constructor
  std::mutex mutex;                                    // guards the two maps
  std::map<Uuid, std::unique_ptr<UuidText>> uuidtext;  // null: not in the archive
  std::map<Uuid, std::unique_ptr<SharedCacheStrings>> dsc;

  // The entry for `uuid` in `map`, loaded with `load` (returns a unique_ptr, null when absent)
  // when no reader has yet.
  template <typename T, typename Load>
  const T* Find(std::map<Uuid, std::unique_ptr<T>>& map, const Uuid& uuid, const Load& load) {
    {
      std::lock_guard lock(mutex);
      if (auto it = map.find(uuid); it != map.end()) return it->second.get();
    }
    std::unique_ptr<T> loaded = load();
    std::lock_guard lock(mutex);
    return map.try_emplace(uuid, std::move(loaded)).first->second.get();  // another reader's, if it won
  }
};

ArchiveReader::ArchiveReader(ArchiveLayout layout) : layout_(std::move(layout)), caches_(std::make_unique<Caches>()) {
  for (const fs::path& path : layout_.timesync)
    if (std::optional<std::string> bytes = ReadWhole(path)) caches_->timesync.Add(*bytes);
}

ArchiveReader::~ArchiveReader() = default;

namespace {

// A window bound in µs of UTC: the unified log's records are written in UTC, so a bound without
// a zone is read as UTC.
int64_t Bound(const WallTime& t) { return t.zoned ? t.instant() : t.micros; }

// Whether entries stamped from `start` to `end` (µs of UTC) are all outside `window`.
bool OutsideWindow(const TimeWindow& window, int64_t start, int64_t end) {
  return (window.since && end < Bound(*window.since)) || (window.until && start > Bound(*window.until));
}
// Whether a chunkset starting at `start` is wholly after the window: it can be left compressed,
// since only later entries could use its oversize data, and they are after the window too.
bool AfterWindow(const TimeWindow& window, int64_t start) { return window.until && start > Bound(*window.until); }

// What reading one file needs, in one place: the archive's caches and the file's header.
class FileReader {
 public:
  FileReader(const ArchiveLayout& layout, ArchiveReader::Caches& caches, const Tracev3Header& header, RecordSink& sink,
             ReadStats& stats, const TimeWindow* window)
      : layout_(layout), c_(caches), header_(header), sink_(sink), stats_(stats), window_(window) {}

  void Chunkset(const Catalog* catalog, std::string_view data, uint64_t stream, uint64_t file_offset) {
    auto problem = [&](uint64_t offset, std::string_view message) { Problem(offset, message); };
    ForEachInnerChunk(
        data, stream, file_offset,
        [&](const InnerChunk& chunk) {
          if (chunk.tag != kTagOversize) return;
          ++stats_.oversize;
          absl::StatusOr<Oversize> o = ParseOversize(chunk.data);
          if (o.ok()) oversize_[{o->proc_id_first, o->proc_id_second, o->ref}] = std::string(chunk.data);
        },
        problem);
    ForEachInnerChunk(
        data, stream, file_offset,
        [&](const InnerChunk& chunk) {
          switch (chunk.tag) {
            case kTagFirehose: Firehose(catalog, chunk, file_offset); break;
            case kTagSimpledump: Simple(catalog, chunk, file_offset); break;
            case kTagStatedump: State(catalog, chunk, file_offset); break;
            default: break;
          }
        },
        problem);
  }

  void Problem(uint64_t offset, std::string_view message) {
    ++stats_.problems;
    sink_.OnError(offset, StrCat("offset ", offset, ": ", message));
  }

 private:
  // The image strings of `uuid`, from this file's own map first (no lock), then the archive's.
  const UuidText* Text(const Uuid& uuid) {
    auto [it, added] = texts_.try_emplace(uuid, nullptr);
    if (!added) return it->second;
    return it->second = c_.Find(c_.uuidtext, uuid, [&]() -> std::unique_ptr<UuidText> {
      if (layout_.uuidtext.empty()) return nullptr;
      std::string hex = UuidHex(uuid);
      std::optional<std::string> bytes = ReadWhole(layout_.uuidtext / hex.substr(0, 2) / hex.substr(2));
      if (!bytes) return nullptr;
      absl::StatusOr<UuidText> parsed = UuidText::Parse(std::move(*bytes));
      return parsed.ok() ? std::make_unique<UuidText>(std::move(*parsed)) : nullptr;
    });
  }
  const SharedCacheStrings* Dsc(const Uuid& uuid) {
    auto [it, added] = dscs_.try_emplace(uuid, nullptr);
    if (!added) return it->second;
    return it->second = c_.Find(c_.dsc, uuid, [&]() -> std::unique_ptr<SharedCacheStrings> {
      if (layout_.uuidtext.empty()) return nullptr;
      std::optional<std::string> bytes = ReadWhole(layout_.uuidtext / "dsc" / UuidHex(uuid));
      if (!bytes) return nullptr;
      absl::StatusOr<SharedCacheStrings> parsed = SharedCacheStrings::Parse(std::move(*bytes));
      return parsed.ok() ? std::make_unique<SharedCacheStrings>(std::move(*parsed)) : nullptr;
    });
  }

  Resolved Resolve(const ProcessInfo* p, const Tracepoint& tp) {
    Resolved r;
    auto from_text = [&](const UuidText* text) {
      if (!text) return;
      r.sender_path = text->image_path();
      r.format = tp.dynamic ? std::optional<std::string_view>("%s") : text->Find(tp.format_ref);
    };
    switch (tp.strings) {
      case StringsIn::kMainExe:
        if (p && p->has_main) from_text(Text(p->main_uuid));
        break;
      case StringsIn::kUuidRelative: from_text(Text(tp.image)); break;
      case StringsIn::kAbsolute:
        if (p)
          if (const ImageRange* image = p->FindImage(tp.pc)) from_text(Text(image->uuid));
        break;
      case StringsIn::kSharedCache:
        if (p && p->has_dsc) {
          if (const SharedCacheStrings* dsc = Dsc(p->dsc_uuid)) {
            if (tp.dynamic) {
              r.format = "%s";
              if (const SharedCacheStrings::Image* image = dsc->FindImage(tp.pc)) r.sender_path = image->path;
            } else if (std::optional<SharedCacheStrings::Found> found = dsc->Find(tp.format_ref)) {
              r.format = found->format;
              r.sender_path = found->image_path;
            }
          }
        }
        break;
      case StringsIn::kUnknown: break;
    }
    return r;
  }

  // Fills the fields every kind of entry has, from its process; false (the entry only counted,
  // in stats_.outside_window) when it is outside the window.
  bool Common(Record& record, const ProcessInfo* p, uint64_t continuous_time, uint64_t offset) {
    int64_t wall = c_.timesync.WallNanos(header_.boot_uuid, continuous_time, header_.timebase_numer,
                                         header_.timebase_denom, header_.start_continuous_time, header_.wall_seconds);
    if (window_ != nullptr && OutsideWindow(*window_, wall / 1000, wall / 1000)) {
      ++stats_.outside_window;
      return false;
    }
    record = Record{};
    record.line = offset;
    timestamp_ = FormatTimestamp(wall);
    record.Set(Field::kTimestamp, timestamp_);
    if (!p) return true;
    pid_ = StrCat(p->pid);
    record.Set(Field::kPid, pid_);
    if (p->has_main)
      if (const UuidText* text = Text(p->main_uuid)) {
        record.Set(Field::kProcessPath, text->image_path());
        record.Set(Field::kProcess, Basename(text->image_path()));
      }
    return true;
  }

  void Deliver(Record& record) {
    record.text = message_;
    record.Set(Field::kMessage, message_);
    sink_.OnRecord(record);
  }

  void Firehose(const Catalog* catalog, const InnerChunk& chunk, uint64_t file_offset) {
    absl::StatusOr<FirehoseChunk> parsed = ParseFirehose(chunk.data);
    if (!parsed.ok()) return Problem(file_offset, StrCat(parsed.status().message()));
    if (parsed->cut) Problem(file_offset, StrCat(parsed->cut, " firehose entries cut short; read as far as they go"));
    const ProcessInfo* p = catalog ? catalog->FindProcess(parsed->proc_id_first, parsed->proc_id_second) : nullptr;
    Record record;
    for (const Tracepoint& tp : parsed->points) {
      Count(tp.type);
      if (!Common(record, p, tp.continuous_time, chunk.stream_offset + 16 + tp.offset)) continue;
      record.Set(Field::kEventType, EventType(tp.type));
      if (tp.type != RecordType::kActivity && tp.type != RecordType::kLoss)
        record.Set(Field::kMessageType, MessageType(tp.log_type));
      if (p && tp.has_subsystem)
        if (const SubsystemEntry* s = p->FindSubsystem(tp.subsystem_id)) {
          record.Set(Field::kSubsystem, s->subsystem);
          record.Set(Field::kCategory, s->category);
        }
      message_.clear();
      if (tp.type == RecordType::kLoss) {
        StrAppend(message_, "lost ", tp.lost, " unreliable messages");
      } else {
        Message(p, tp, record);
      }
      Deliver(record);
    }
  }

  void Message(const ProcessInfo* p, const Tracepoint& tp, Record& record) {
    Resolved r = Resolve(p, tp);
    if (!r.sender_path.empty()) record.Set(Field::kSender, Basename(r.sender_path));
    const std::vector<Argument>* args = &tp.args;
    std::optional<Oversize> oversize;
    if (tp.has_oversize && p) {
      auto it = oversize_.find({p->proc_id_first, p->proc_id_second, tp.oversize_ref});
      if (it != oversize_.end()) {
        absl::StatusOr<Oversize> o = ParseOversize(it->second);
        if (o.ok()) oversize = std::move(*o), args = &oversize->args;
      }
    }
    if (r.format) return FormatMessage(*r.format, *args, message_);
    ++stats_.partial;
    message_ = "<no format string> ";
    FormatArgumentsOnly(*args, message_);
  }

  void Count(RecordType type) {
    switch (type) {
      case RecordType::kActivity: ++stats_.activity; break;
      case RecordType::kTrace: ++stats_.trace; break;
      case RecordType::kLog: ++stats_.log; break;
      case RecordType::kSignpost: ++stats_.signpost; break;
      case RecordType::kLoss: ++stats_.loss; break;
    }
  }

  void Simple(const Catalog* catalog, const InnerChunk& chunk, uint64_t file_offset) {
    absl::StatusOr<Simpledump> s = ParseSimpledump(chunk.data);
    if (!s.ok()) return Problem(file_offset, StrCat(s.status().message()));
    ++stats_.simpledump;
    const ProcessInfo* p = catalog ? catalog->FindProcess(s->proc_id_first, s->proc_id_second) : nullptr;
    Record record;
    if (!Common(record, p, s->continuous_time, chunk.stream_offset)) return;
    record.Set(Field::kEventType, "logEvent");
    record.Set(Field::kMessageType, MessageType(s->log_type));
    record.Set(Field::kSubsystem, s->subsystem);
    if (const UuidText* text = Text(s->sender)) record.Set(Field::kSender, Basename(text->image_path()));
    message_.assign(s->message);
    Deliver(record);
  }

  void State(const Catalog* catalog, const InnerChunk& chunk, uint64_t file_offset) {
    absl::StatusOr<Statedump> s = ParseStatedump(chunk.data);
    if (!s.ok()) return Problem(file_offset, StrCat(s.status().message()));
    ++stats_.statedump;
    const ProcessInfo* p = catalog ? catalog->FindProcess(s->proc_id_first, s->proc_id_second) : nullptr;
    Record record;
    if (!Common(record, p, s->continuous_time, chunk.stream_offset)) return;
    record.Set(Field::kEventType, "stateEvent");
    message_.clear();
    StrAppend(message_, "state dump: ", s->title);
    if (s->data_type == 3) StrAppend(message_, " (", s->decoder_library, " ", s->decoder_type, ")");
    StrAppend(message_, ", ", s->payload.size(), " bytes not decoded");
    Deliver(record);
  }

  const ArchiveLayout& layout_;
  ArchiveReader::Caches& c_;
  const Tracev3Header& header_;
  RecordSink& sink_;
  ReadStats& stats_;
  const TimeWindow* window_;
  std::map<Uuid, const UuidText*> texts_;  // this file's look-ups, in front of the shared maps
  std::map<Uuid, const SharedCacheStrings*> dscs_;
  // This file's oversize chunks, by (proc_id, ref), kept as bytes.
  std::map<std::tuple<uint64_t, uint32_t, uint32_t>, std::string> oversize_;
  std::string timestamp_, pid_, message_;  // the record being delivered
};

}  // namespace

ReadStats ArchiveReader::ReadBytes(std::string_view bytes, RecordSink& sink) const {
  ReadStats stats;
  stats.bytes = bytes.size();
  sink.OnFormat(InputFormat::kTracev3);
  absl::StatusOr<TraceFile> file = TraceFile::Open(bytes);
  if (!file.ok()) {
    ++stats.problems;
    sink.OnError(0, StrCat(file.status().message()));
    return stats;
  }
  FileReader reader(layout_, *caches_, file->header(), sink, stats, window_);
  TraceFile::SkipChunkset skip;
  if (window_ != nullptr) {
    skip = [&, h = &file->header()](const ChunksetTimes& t) {
      int64_t earliest =
          caches_->timesync.EarliestWallNanos(h->boot_uuid, t.start, t.end, h->timebase_numer, h->timebase_denom,
                                              h->start_continuous_time, h->wall_seconds);
      return AfterWindow(*window_, earliest / 1000);
    };
  }
  WalkStats walked =
      file->Walk([&](const Catalog* catalog, std::string_view data, uint64_t stream,
                     uint64_t offset) { reader.Chunkset(catalog, data, stream, offset); },
                 [&](uint64_t offset, std::string_view message) { reader.Problem(offset, message); }, skip);
  stats.chunksets_skipped = walked.chunksets_skipped;
  return stats;
}

ReadStats ArchiveReader::ReadFile(size_t index, RecordSink& sink) const {
  if (index >= layout_.tracev3.size()) return {};
  std::optional<std::string> bytes = ReadWhole(layout_.tracev3[index]);
  if (!bytes) {
    ReadStats stats;
    stats.problems = 1;
    sink.OnFormat(InputFormat::kTracev3);
    sink.OnError(0, "the tracev3 file could not be read");
    return stats;
  }
  return ReadBytes(*bytes, sink);
}

}  // namespace tediag::unified_log
