// A time window on the unified log: entries outside it are not formatted, chunksets whose catalog
// times start after it are not decompressed, and what is delivered inside it is what a full read
// delivers there (an entry inside may use the oversize data of a chunkset before it). Real files:
// the macOS 12.6.3 tree of plaso PR #4557 and dtformats' test_data (see unified_log_test.cc).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"
#include "unified_log/archive_reader.h"
#include "unified_log/tracev3.h"

namespace tediag::unified_log {
namespace {

namespace fs = std::filesystem;

fs::path DataRoot() {
  if (const char* env = std::getenv("TEDIAG_UNIFIED_LOG_DATA")) return env;
  return fs::path(TEDIAG_SOURCE_DIR) / ".." / "shared" / "data" / "unified-logging";
}

fs::path Plaso() { return DataRoot() / "plaso-macos-12.6.3" / "private" / "var" / "db"; }

// The catalog's sub chunk n describes the n-th chunkset after it: its size is that chunkset's
// decompressed size, so skipping one keeps the entries' offsets.
TEST(UnifiedLogWindow, CatalogSubChunksDescribeTheChunksetsThatFollow) {
  std::vector<fs::path> files = {DataRoot() / "dtformats" / "0000000000000f85.tracev3",
                                 Plaso() / "Diagnostics" / "Persist" / "0000000000000001.tracev3"};
  for (const fs::path& file : files) {
    if (!fs::exists(file)) GTEST_SKIP() << "unified-logging test data absent (" << file << "); see README.md";
    SCOPED_TRACE(file.string());
    std::string bytes = testing::Slurp(file);
    absl::StatusOr<TraceFile> trace = TraceFile::Open(bytes);
    ASSERT_TRUE(trace.ok());
    const void* last = nullptr;  // the catalog in force, by its table (a new one may reuse its place)
    size_t index = 0, described = 0;
    trace->Walk(
        [&](const Catalog* catalog, std::string_view data, uint64_t, uint64_t) {
          ASSERT_NE(catalog, nullptr);
          if (catalog->chunksets().data() != last) last = catalog->chunksets().data(), index = 0;
          ASSERT_LT(index, catalog->chunksets().size());
          const ChunksetTimes& t = catalog->chunksets()[index++];
          EXPECT_EQ(t.uncompressed_size, data.size());
          EXPECT_LE(t.start, t.end);
          ++described;
        },
        [](uint64_t, std::string_view m) { ADD_FAILURE() << m; });
    EXPECT_GT(described, 1u);
  }
}

class Times : public RecordSink {
 public:
  void OnRecord(const Record& r) override {
    lines.push_back(r.line);
    times.emplace_back(r.Get(Field::kTimestamp));
  }
  void OnError(uint64_t, std::string_view message) override { ADD_FAILURE() << message; }
  void OnFormat(InputFormat) override {}
  std::vector<uint64_t> lines;
  std::vector<std::string> times;
};

TEST(UnifiedLogWindow, ChunksetsOutsideAreSkippedAndTheRecordsInsideAreTheSame) {
  if (!fs::exists(Plaso())) GTEST_SKIP() << "unified-logging test data absent (" << Plaso() << "); see README.md";
  std::optional<ArchiveLayout> layout = FindArchiveLayout(Plaso());
  ASSERT_TRUE(layout);
  ArchiveReader full(*layout);
  Times all;
  ReadStats everything = full.ReadFile(0, all);  // Persist
  ASSERT_GT(all.times.size(), 1000u);
  // A window over the middle third of the file's records, in time order.
  std::vector<std::string> sorted = all.times;
  std::sort(sorted.begin(), sorted.end());
  TimeWindow window{.since = ParseWallTime(sorted[sorted.size() / 3]),
                    .until = ParseWallTime(sorted[sorted.size() * 2 / 3])};
  ASSERT_TRUE(window.since && window.until);
  std::vector<uint64_t> inside;
  for (size_t i = 0; i < all.times.size(); ++i)
    if (window.Contains(all.times[i])) inside.push_back(all.lines[i]);

  ArchiveReader windowed(*layout);
  windowed.set_window(&window);
  Times read;
  ReadStats stats = windowed.ReadFile(0, read);
  EXPECT_GT(stats.chunksets_skipped, 0u);
  EXPECT_LT(stats.records(), everything.records());
  std::vector<uint64_t> read_inside;
  for (size_t i = 0; i < read.times.size(); ++i)
    if (window.Contains(read.times[i])) read_inside.push_back(read.lines[i]);
  EXPECT_EQ(read_inside, inside) << "the same records inside the window, at the same offsets";
}

}  // namespace
}  // namespace tediag::unified_log
