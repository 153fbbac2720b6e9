#include "unified_log_inputs.h"

#include <optional>

#include "input/chunk_source.h"
#include "read/input_reader.h"
#include "read/line_parsers.h"
#include "util/text_util.h"

namespace tediag {

std::vector<InputFile> ExpandUnifiedLogs(std::vector<InputFile> files, UnifiedLogInputs& out) {
  std::vector<InputFile> expanded;
  for (InputFile& file : files) {
    std::optional<unified_log::ArchiveLayout> layout;
    // An archive unpacked from an archive file is read where it was unpacked, shown by its name.
    const std::string& location = file.location.empty() ? file.path : file.location;
    if (file.unified_log) layout = unified_log::FindArchiveLayout(location);
    if (!layout || layout->tracev3.empty()) {
      if (file.unified_log) file.problem = "a unified log archive without tracev3 files";
      expanded.push_back(std::move(file));
      out.of.emplace_back();
      continue;
    }
    for (size_t i = 0; i < layout->tracev3.size(); ++i) {
      std::string shown = layout->tracev3[i].string();
      if (!file.location.empty() && shown.starts_with(location))
        shown = StrCat(file.path, std::string_view(shown).substr(location.size()));
      expanded.push_back({.path = std::move(shown), .named = file.named, .location = layout->tracev3[i].string()});
      out.of.push_back({out.readers.size(), i});
    }
    if (file.keep) out.unpacked.push_back(file.keep);
    out.readers.push_back(std::make_unique<unified_log::ArchiveReader>(std::move(*layout)));
  }
  return expanded;
}

namespace {

// Keeps the newest timestamp of the records it is given.
class NewestSink : public RecordSink {
 public:
  void OnRecord(const Record& record) override {
    std::optional<WallTime> t = ParseWallTime(record.Get(Field::kTimestamp));
    if (t && (!newest_ || t->instant() > newest_->instant())) newest_ = t;
  }
  void OnError(uint64_t, std::string_view) override {}
  void OnFormat(InputFormat) override {}
  const std::optional<WallTime>& newest() const { return newest_; }

 private:
  std::optional<WallTime> newest_;
};

}  // namespace

TimeWindow LastWindow(const std::vector<InputFile>& files, const UnifiedLogInputs& unified, std::chrono::seconds last,
                      const std::function<void(uint64_t read)>& advanced) {
  NewestSink sink;
  InputReader reader;
  uint64_t read = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    if (const UnifiedLogInputs::Of& of = unified.of[i]; of.reader != SIZE_MAX) {
      unified.readers[of.reader]->ReadFile(of.file, sink);
      read += KnownSize(files[i]);
      if (advanced) advanced(read);
      continue;
    }
    absl::StatusOr<std::unique_ptr<ChunkSource>> source = ChunkSource::Open(files[i], IsWholeEntryLine);
    if (!source.ok()) continue;
    Chunk chunk;
    while (true) {
      absl::StatusOr<bool> more = (*source)->Next(chunk);
      if (!more.ok() || !*more) break;
      reader.Read(chunk.data(), sink, chunk.buffer.size() - chunk.size, chunk.first_line);
      read += chunk.size;
      if (advanced) advanced(read);
    }
  }
  TimeWindow window;
  if (!sink.newest()) return window;
  window.since = *sink.newest();
  window.since->micros -= std::chrono::duration_cast<std::chrono::microseconds>(last).count();
  window.until = sink.newest();
  return window;
}

}  // namespace tediag
