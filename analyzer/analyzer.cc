#include "analyzer.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "diagnose/app_identity.h"
#include "diagnose/diagnosis.h"
#include "diagnose/finding_collector.h"
#include "diagnose/seen.h"
#include "input/chunk_source.h"
#include "input/input_files.h"
#include "read/input_reader.h"
#include "read/line_parsers.h"
#include "read/tediag_output.h"
#include "unified_log/archive_reader.h"
#include "unified_log_inputs.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// What reading and matching one chunk leaves for the merge: the records that matched a rule
// (and every crash report, whose copies the merge drops), copied out of the reader; errors and
// format changes in order; and counts of the records that matched nothing.
struct ChunkResult {
  struct Span {
    size_t offset = 0, size = 0;
  };
  struct Stored {
    RecordKind kind;
    InputFormat format;
    uint64_t line;
    std::array<Span, kFieldCount> fields;
    Span text, incident;
    std::vector<uint32_t> hits;
    // Crash reports: where each field was read (Record::field_lines), texts kept in the arena.
    struct Located {
      uint8_t field;
      uint64_t line;
      Span text;
    };
    std::vector<Located> lines;
    bool located = false;
  };
  // A log line no rule matched that mentions the watch list (watch_list.h), with its repeats in
  // this chunk; the first kMaxUnexplained distinct texts are kept, the rest only counted.
  struct Watched {
    uint64_t line;
    std::string process, text;
    uint64_t count = 1;
  };
  struct Event {
    enum class Type : uint8_t { kRecord, kError, kFormat } type;
    InputFormat format = InputFormat::kUnknown;
    uint64_t line = 0;
    size_t index = 0;  // into records or errors
  };
  std::vector<Event> events;
  std::vector<Stored> records;
  std::vector<std::string> errors;
  std::string arena;   // the stored records' text
  uint64_t bytes = 0;  // a tracev3 file's size (a chunk's is counted when it is read)
  std::array<uint64_t, kInputFormatCount> unmatched{};
  uint64_t outside_window = 0;            // of those, the ones outside --since / --until
  uint64_t chunksets_outside_window = 0;  // unified log chunksets left compressed
  std::vector<Watched> watched;
  absl::flat_hash_map<std::string, size_t> watched_index;  // text → watched
  uint64_t watched_other = 0;                              // watched lines not kept

  Span Keep(std::string_view text) {
    Span span{arena.size(), text.size()};
    arena.append(text);
    return span;
  }
  // The record view; `lines` holds its field lines while the view is used.
  Record View(const Stored& stored, FieldLines& lines) const {
    auto view = [&](Span span) { return std::string_view(arena).substr(span.offset, span.size); };
    Record record;
    record.kind = stored.kind;
    record.line = stored.line;
    record.text = view(stored.text);
    record.incident = view(stored.incident);
    for (size_t i = 0; i < kFieldCount; ++i) record.fields[i] = view(stored.fields[i]);
    if (stored.located) {
      for (auto& of : lines.of) of.clear();
      for (const Stored::Located& l : stored.lines) lines.of[l.field].push_back({l.line, view(l.text)});
      record.field_lines = &lines;
    }
    return record;
  }
};

// One thread's reader and matcher state.
struct Worker {
  InputReader reader;
  Matcher::Scratch scratch;
  std::vector<uint32_t> hits;
  const TimeWindow* window = nullptr;  // set only when there is one
};

class ChunkSink : public RecordSink {
 public:
  ChunkSink(const Matcher& matcher, Worker& worker, ChunkResult& result)
      : matcher_(matcher), worker_(worker), result_(result) {}

  void OnRecord(const Record& record) override {
    if (worker_.window != nullptr && !worker_.window->Contains(record.Get(Field::kTimestamp))) {
      ++result_.unmatched[static_cast<size_t>(format_)];
      ++result_.outside_window;
      return;
    }
    worker_.hits.clear();
    matcher_.Match(record, worker_.scratch, worker_.hits);
    if (worker_.hits.empty() && record.kind != RecordKind::kCrashReport) {
      ++result_.unmatched[static_cast<size_t>(format_)];
      if (worker_.scratch.watched) Watch(record);
      return;
    }
    ChunkResult::Stored& stored = result_.records.emplace_back();
    stored.kind = record.kind;
    stored.format = format_;
    stored.line = record.line;
    for (size_t i = 0; i < kFieldCount; ++i) stored.fields[i] = result_.Keep(record.fields[i]);
    stored.text = result_.Keep(record.text);
    stored.incident = result_.Keep(record.incident);
    if (record.field_lines) {
      stored.located = true;
      std::string_view last;  // fields read from one line share its text
      ChunkResult::Span last_span;
      for (size_t f = 0; f < kFieldCount; ++f) {
        for (const SourceLine& source : record.field_lines->of[f]) {
          if (source.text.data() != last.data() || source.text.size() != last.size()) {
            last = source.text;
            last_span = result_.Keep(source.text);
          }
          stored.lines.push_back({static_cast<uint8_t>(f), source.line, last_span});
        }
      }
    }
    stored.hits = worker_.hits;
    result_.events.push_back({ChunkResult::Event::Type::kRecord, format_, record.line, result_.records.size() - 1});
  }
  // Keeps a line for the report's list of unexplained lines: the first kMaxUnexplained distinct
  // texts of the chunk, with their repeats; the rest are only counted.
  void Watch(const Record& record) {
    std::string_view text = record.text.substr(0, 2000);
    if (auto it = result_.watched_index.find(absl::string_view(text.data(), text.size()));
        it != result_.watched_index.end()) {
      ++result_.watched[it->second].count;
    } else if (result_.watched.size() < kMaxUnexplained) {
      result_.watched_index.emplace(text, result_.watched.size());
      result_.watched.push_back({record.line, std::string(record.Get(Field::kProcess)), std::string(text)});
    } else {
      ++result_.watched_other;
    }
  }
  void OnError(uint64_t line, std::string_view message) override {
    result_.errors.emplace_back(message);
    result_.events.push_back({ChunkResult::Event::Type::kError, format_, line, result_.errors.size() - 1});
  }
  void OnFormat(InputFormat format) override {
    format_ = format;
    result_.events.push_back({ChunkResult::Event::Type::kFormat, format, 0, 0});
  }

 private:
  const Matcher& matcher_;
  Worker& worker_;
  ChunkResult& result_;
  InputFormat format_ = InputFormat::kUnknown;
};

ChunkResult ReadChunk(const Matcher& matcher, Worker& worker, const Chunk& chunk) {
  ChunkResult result;
  for (const auto& [line, message] : chunk.errors) {
    result.errors.push_back(message);
    result.events.push_back({ChunkResult::Event::Type::kError, InputFormat::kUnknown, line, result.errors.size() - 1});
  }
  ChunkSink sink(matcher, worker, result);
  worker.reader.Read(chunk.data(), sink, chunk.buffer.size() - chunk.size, chunk.first_line);
  return result;
}

// Merges chunk results, in input order, into the inputs' summaries and the findings.
class Merger {
 public:
  Merger(const Matcher& matcher, std::string_view focus_app) : collector_(matcher, focus_app) {}

  void Merge(InputSummary& summary, std::array<uint64_t, kInputFormatCount>& per_format, const ChunkResult& result) {
    for (const ChunkResult::Event& event : result.events) {
      switch (event.type) {
        case ChunkResult::Event::Type::kFormat:
          if (std::find(summary.formats.begin(), summary.formats.end(), event.format) == summary.formats.end()) {
            summary.formats.push_back(event.format);
          }
          break;
        case ChunkResult::Event::Type::kError: AddError(summary, event.line, result.errors[event.index]); break;
        case ChunkResult::Event::Type::kRecord: {
          const ChunkResult::Stored& stored = result.records[event.index];
          Record record = result.View(stored, lines_);
          // The same crash report given twice (two inputs, or pasted twice) counts once.
          if (!record.incident.empty() && !seen_incidents_.emplace(record.incident).second) break;
          ++summary.records;
          ++per_format[static_cast<size_t>(stored.format)];
          collector_.AddMatched(summary.path, record, stored.hits);
          break;
        }
      }
    }
    for (size_t f = 0; f < kInputFormatCount; ++f) {
      summary.records += result.unmatched[f];
      per_format[f] += result.unmatched[f];
    }
    outside_window_ += result.outside_window;
    summary.bytes += result.bytes;
    chunksets_outside_window_ += result.chunksets_outside_window;
    for (const ChunkResult::Watched& w : result.watched)
      collector_.AddUnexplained(summary.path, w.line, w.process, w.text, w.count);
    collector_.AddUnexplainedCount(result.watched_other);
  }

  static void AddError(InputSummary& summary, uint64_t line, std::string_view message) {
    ++summary.errors_total;
    if (summary.errors.size() < kMaxInputErrors) summary.errors.push_back({line, std::string(message)});
  }

  FindingCollector& collector() { return collector_; }
  uint64_t outside_window() const { return outside_window_; }
  uint64_t chunksets_outside_window() const { return chunksets_outside_window_; }

 private:
  FindingCollector collector_;
  uint64_t outside_window_ = 0, chunksets_outside_window_ = 0;
  FieldLines lines_;  // the field lines of the record being merged
  absl::flat_hash_set<std::string> seen_incidents_;
};

// An input with nothing to read says so, rather than being listed as read and found clean.
void SayWhenEmpty(InputSummary& summary) {
  if (summary.records != 0 || summary.errors_total != 0) return;
  Merger::AddError(summary, 0,
                   summary.bytes == 0 ? "the input is empty: nothing to analyse"
                                      : "nothing to analyse: no log entry, crash report or text, only "
                                        "blank lines or the headers `log` prints");
}

// The format most records came in, loose text only when no other format was seen (a .crash
// file's lines around its report are text, but the file is a crash report); without records,
// the first format seen.
void SetMainFormat(InputSummary& summary, std::array<uint64_t, kInputFormatCount> per_format) {
  auto other = std::find_if(summary.formats.begin(), summary.formats.end(),
                            [](InputFormat f) { return f != InputFormat::kText && f != InputFormat::kUnknown; });
  if (other != summary.formats.end()) per_format[static_cast<size_t>(InputFormat::kText)] = 0;
  auto most = std::max_element(per_format.begin(), per_format.end());
  if (*most > 0) {
    summary.format = static_cast<InputFormat>(most - per_format.begin());
  } else if (other != summary.formats.end()) {
    summary.format = *other;
  } else if (!summary.formats.empty()) {
    summary.format = summary.formats.front();
  }
}

// Threads that read chunks; results come back as futures, in the order asked for.
class WorkerPool {
 public:
  WorkerPool(const Matcher& matcher, unsigned threads, const TimeWindow* window) : matcher_(matcher), window_(window) {
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

  std::future<ChunkResult> Submit(std::shared_ptr<const Chunk> chunk) {
    return Submit([this, chunk](Worker& worker) { return ReadChunk(matcher_, worker, *chunk); });
  }
  // Any job that reads with a worker's state (a tracev3 file).
  std::future<ChunkResult> Submit(std::function<ChunkResult(Worker&)> job) {
    std::packaged_task<ChunkResult(Worker&)> task(std::move(job));
    std::future<ChunkResult> result = task.get_future();
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(task));
    }
    wake_.notify_one();
    return result;
  }

 private:
  void Run() {
    Worker worker;
    worker.window = window_;
    while (true) {
      std::packaged_task<ChunkResult(Worker&)> task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        task = std::move(jobs_.front());
        jobs_.pop_front();
      }
      task(worker);
    }
  }

  const Matcher& matcher_;
  const TimeWindow* window_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<ChunkResult(Worker&)>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

Report Finish(Report report, Merger& merger) {
  FindingCollector& collector = merger.collector();
  report.findings = collector.TakeFindings(report.apps);
  report.unexplained = collector.TakeUnexplained(report.unexplained_total);
  report.seen.crashes = collector.TakeSeenCrashes(report.seen.crashes_total);
  report.outside_window = merger.outside_window();
  report.chunksets_outside_window = merger.chunksets_outside_window();
  Diagnose(report);
  DescribeSeen(report);
  return report;
}

// Whether a whole input is one of tediag's own documents (a report, a bundle's manifest): its
// first part says so.
bool IsTediagDocument(std::string_view first_part) { return IsTediagMarkdown(first_part) || IsTediagJson(first_part); }

unsigned ThreadsFor(unsigned requested) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::min({requested == 0 ? cores : requested, cores, kMaxThreads});
}

// Counts what became of each input, and drops the documents of tediag's own that were skipped.
void CountOutcome(Report& report, const std::vector<InputFile>& files, const std::vector<bool>& skipped,
                  AnalyzeOutcome& outcome) {
  std::vector<InputSummary> kept;
  for (size_t i = 0; i < files.size(); ++i) {
    InputSummary& summary = report.inputs[i];
    if (skipped[i]) {
      ++outcome.skipped;
      continue;
    }
    if (!summary.readable) {
      ++outcome.unreadable;
      outcome.named_unreadable += files[i].named;
    } else if (summary.records == 0) {
      ++outcome.empty;
    } else {
      ++outcome.analysed;
    }
    kept.push_back(std::move(summary));
  }
  report.inputs = std::move(kept);
}

// Reads one tracev3 of an archive and matches its records, on the worker's thread.
ChunkResult ReadTracev3(const Matcher& matcher, Worker& worker, const unified_log::ArchiveReader& reader, size_t file) {
  ChunkResult result;
  ChunkSink sink(matcher, worker, result);
  unified_log::ReadStats stats = reader.ReadFile(file, sink);
  result.bytes = stats.bytes;
  result.chunksets_outside_window = stats.chunksets_skipped;
  result.unmatched[static_cast<size_t>(InputFormat::kTracev3)] += stats.outside_window;  // counted, never delivered
  result.outside_window += stats.outside_window;
  if (stats.partial != 0) {
    sink.OnError(0, StrCat(stats.partial, " of ", stats.records() - stats.outside_window,
                           " messages are partial (arguments only): their format strings are in uuidtext or "
                           "shared-cache (dsc) files the archive does not hold"));
  }
  return result;
}

}  // namespace

Report Analyze(const Matcher& matcher, const AnalyzeOptions& options, AnalyzeOutcome* outcome) {
  Report report;
  report.focus_app = options.focus_app;
  report.rules_loaded = matcher.rules().size();
  Merger merger(matcher, options.focus_app);

  UnifiedLogInputs unified;
  // An archive's unpacking shows as progress too (a sysdiagnose's log), then the reading does.
  std::vector<InputFile> files = ExpandUnifiedLogs(ExpandInputs(options.inputs, options.progress), unified);
  report.inputs.resize(files.size());
  std::vector<std::array<uint64_t, kInputFormatCount>> per_format(files.size());
  std::vector<bool> skipped(files.size());
  uint64_t total = 0, read = 0;
  for (const InputFile& file : files) total += KnownSize(file);  // for progress only

  const unsigned threads = ThreadsFor(options.threads);
  TimeWindow window = options.window;
  if (options.last.count() > 0) {
    // --last reads everything twice: the progress counts both passes.
    const uint64_t pass = total;
    total *= 2;
    std::function<void(uint64_t)> advanced;
    if (options.progress) advanced = [&](uint64_t first) { options.progress(first, total); };
    window = LastWindow(files, unified, options.last, advanced);
    read = pass;
  }
  report.window = window.Describe();
  const TimeWindow* window_set = window.empty() ? nullptr : &window;
  for (auto& reader : unified.readers) reader->set_window(window_set);
  std::unique_ptr<WorkerPool> pool;
  if (threads > 1) pool = std::make_unique<WorkerPool>(matcher, threads, window_set);
  Worker inline_worker;  // with one thread, chunks are read right here
  inline_worker.window = window_set;
  struct InFlight {
    size_t input;
    std::future<ChunkResult> result;
  };
  std::deque<InFlight> in_flight;
  const size_t max_in_flight = size_t{2} * threads;  // bounds memory: chunks held at once
  auto merge_oldest = [&] {
    InFlight oldest = std::move(in_flight.front());
    in_flight.pop_front();
    merger.Merge(report.inputs[oldest.input], per_format[oldest.input], oldest.result.get());
  };

  for (size_t i = 0; i < files.size(); ++i) {
    // One input open at a time: a folder of thousands of crash reports holds one file's buffers.
    InputSummary& summary = report.inputs[i];
    summary.path = files[i].path;
    if (const UnifiedLogInputs::Of& of = unified.of[i]; of.reader != SIZE_MAX) {
      // A tracev3 file is one job: the files of an archive are read on all cores at once, and
      // merged in order, like chunks.
      const unified_log::ArchiveReader* reader = unified.readers[of.reader].get();
      if (pool) {
        in_flight.push_back({i, pool->Submit([&matcher, reader, file = of.file](Worker& worker) {
                               return ReadTracev3(matcher, worker, *reader, file);
                             })});
        while (in_flight.size() > max_in_flight) merge_oldest();
      } else {
        merger.Merge(summary, per_format[i], ReadTracev3(matcher, inline_worker, *reader, of.file));
      }
      read += KnownSize(files[i]);
      if (options.progress) options.progress(read, total);
      continue;
    }
    absl::StatusOr<std::unique_ptr<ChunkSource>> source = ChunkSource::Open(files[i], IsWholeEntryLine);
    if (!source.ok()) {
      summary.readable = false;
      Merger::AddError(summary, 0, StrCat(source.status().message()));
      continue;
    }
    while (true) {
      auto chunk = std::make_shared<Chunk>();
      absl::StatusOr<bool> more = (*source)->Next(*chunk);
      if (!more.ok()) {
        while (!in_flight.empty()) merge_oldest();  // its chunks so far, then the error
        Merger::AddError(summary, 0, StrCat(more.status().message()));
        break;
      }
      if (!*more) break;
      if (summary.bytes == 0) {
        // A collector bundle's manifest says which names are its one app (app_identity.h) ...
        if (auto app = ManifestApp(chunk->data())) merger.collector().AddKnownApp(std::move(*app));
      }
      // ... and, like tediag's own reports, is not evidence (tediag_output.h).
      if (summary.bytes == 0 && IsTediagDocument(chunk->data())) {
        if (files[i].named) {
          Merger::AddError(summary, 0, "tediag's own report or bundle manifest, not evidence; skipped");
        } else {
          skipped[i] = true;  // left out of the report
        }
        read += KnownSize(files[i]);
        break;
      }
      summary.bytes += chunk->size;
      read += chunk->size;
      if (options.on_input_read) options.on_input_read(summary.path, chunk->data());
      if (pool) {
        in_flight.push_back({i, pool->Submit(std::move(chunk))});
        while (in_flight.size() > max_in_flight) merge_oldest();
      } else {
        merger.Merge(summary, per_format[i], ReadChunk(matcher, inline_worker, *chunk));
      }
      if (options.progress) options.progress(read, total);
    }
  }
  while (!in_flight.empty()) merge_oldest();
  for (size_t i = 0; i < files.size(); ++i) {
    if (report.inputs[i].readable) SayWhenEmpty(report.inputs[i]);
    SetMainFormat(report.inputs[i], per_format[i]);
  }
  AnalyzeOutcome counted{.threads = threads};
  CountOutcome(report, files, skipped, counted);
  if (outcome) *outcome = counted;
  return Finish(std::move(report), merger);
}

Report AnalyzeText(const Matcher& matcher, std::string_view name, std::string_view text, std::string_view focus_app) {
  Report report;
  report.focus_app = std::string(focus_app);
  report.rules_loaded = matcher.rules().size();
  Merger merger(matcher, focus_app);
  InputSummary& summary = report.inputs.emplace_back();
  summary.path = std::string(name);
  summary.bytes = text.size();
  Chunk chunk;
  chunk.buffer.reserve(text.size() + ChunkSource::kPadding);
  chunk.buffer.assign(text);
  chunk.buffer.append(ChunkSource::kPadding, '\0');
  chunk.size = text.size();
  Worker worker;
  std::array<uint64_t, kInputFormatCount> per_format{};
  merger.Merge(summary, per_format, ReadChunk(matcher, worker, chunk));
  SayWhenEmpty(summary);
  SetMainFormat(summary, per_format);
  return Finish(std::move(report), merger);
}

}  // namespace tediag
