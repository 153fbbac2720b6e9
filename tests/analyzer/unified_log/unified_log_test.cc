// The unified log reader on real files: the small dtformats files (libyal/dtformats
// test_data/unified_logging @ 8922cfb9) for each parser, and the whole macOS 12.6.3 tree of plaso
// PR #4557 (log2timeline/plaso @ b632b790, test_data/AUL/private/var/db) end to end. Both live
// in ../shared/data/unified-logging (README.md says how to get them); the tests skip, saying so,
// when they are absent. The expected counts are those an independent parser found
// (shared/docs/NOTES-LOGARCHIVE-AND-SIGNING.md §A.2); the kernel message and its time are plaso's
// own test's event 27 (tests/parsers/unified_logging.py @ 4ea03ef).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "test_support.h"
#include "unified_log/archive_reader.h"
#include "unified_log/firehose.h"
#include "unified_log/formatter.h"
#include "unified_log/strings.h"
#include "unified_log/timesync.h"
#include "unified_log/tracev3.h"

namespace tediag::unified_log {
namespace {

namespace fs = std::filesystem;

fs::path DataRoot() {
  if (const char* env = std::getenv("TEDIAG_UNIFIED_LOG_DATA")) return env;
  return fs::path(TEDIAG_SOURCE_DIR) / ".." / "shared" / "data" / "unified-logging";
}

#define REQUIRE_DATA(path)                                       \
  if (!fs::exists(path))                                         \
  GTEST_SKIP() << "unified-logging test data absent (" << (path) \
               << "); see README.md, \"Unified log test data\", or set TEDIAG_UNIFIED_LOG_DATA"

fs::path Plaso() { return DataRoot() / "plaso-macos-12.6.3" / "private" / "var" / "db"; }

struct Kept {
  uint64_t line;
  std::map<Field, std::string> fields;
  std::string text;
};

// Keeps every record's fields (the views die after OnRecord).
class KeepSink : public RecordSink {
 public:
  void OnRecord(const Record& r) override {
    Kept& k = records.emplace_back();
    k.line = r.line;
    k.text = std::string(r.text);
    for (size_t f = 0; f < kFieldCount; ++f)
      if (!r.fields[f].empty()) k.fields[static_cast<Field>(f)] = std::string(r.fields[f]);
  }
  void OnError(uint64_t, std::string_view message) override { errors.emplace_back(message); }
  void OnFormat(InputFormat format) override { formats.push_back(format); }

  const Kept* Find(std::string_view text) const {
    for (const Kept& k : records)
      if (k.text.find(text) != std::string::npos) return &k;
    return nullptr;
  }
  std::vector<Kept> records;
  std::vector<std::string> errors;
  std::vector<InputFormat> formats;
};

TEST(UnifiedLogTracev3, SmallDtformatsFileHeaderCatalogAndEntries) {
  fs::path file = DataRoot() / "dtformats" / "0000000000000030.tracev3";
  REQUIRE_DATA(file);
  std::string bytes = testing::Slurp(file);
  absl::StatusOr<TraceFile> trace = TraceFile::Open(bytes);
  ASSERT_TRUE(trace.ok()) << trace.status();
  EXPECT_EQ(trace->header().build, "18D42");
  EXPECT_EQ(trace->header().hardware_model, "Macmini7,1");
  EXPECT_EQ(trace->header().timebase_numer, 1u);
  EXPECT_EQ(UuidString(trace->header().boot_uuid).substr(0, 8), "E955FE07");
  size_t firehose = 0, points = 0;
  WalkStats stats = trace->Walk(
      [&](const Catalog* catalog, std::string_view data, uint64_t stream, uint64_t offset) {
        ASSERT_NE(catalog, nullptr);
        EXPECT_EQ(catalog->uuid_count(), 2u);
        ForEachInnerChunk(
            data, stream, offset,
            [&](const InnerChunk& chunk) {
              if (chunk.tag != kTagFirehose) return;
              ++firehose;
              absl::StatusOr<FirehoseChunk> parsed = ParseFirehose(chunk.data);
              ASSERT_TRUE(parsed.ok());
              points += parsed->points.size();
            },
            [](uint64_t, std::string_view m) { ADD_FAILURE() << m; });
      },
      [](uint64_t, std::string_view m) { ADD_FAILURE() << m; });
  EXPECT_EQ(stats.catalogs, 1u);
  EXPECT_EQ(stats.chunksets, 1u);
  EXPECT_EQ(stats.compressed_bytes, 482u + 12 + 4 + 0u * 0) << "one bv41 block of 482 bytes and its end marker";
  EXPECT_EQ(stats.decompressed_bytes, 544u);
  EXPECT_EQ(firehose, 1u);
  EXPECT_EQ(points, 5u);
}

TEST(UnifiedLogTracev3, LargerDtformatsFileEveryChunksetDecompresses) {
  fs::path file = DataRoot() / "dtformats" / "0000000000000f85.tracev3";
  REQUIRE_DATA(file);
  std::string bytes = testing::Slurp(file);
  absl::StatusOr<TraceFile> trace = TraceFile::Open(bytes);
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->header().timebase_numer, 125u);
  EXPECT_EQ(trace->header().timebase_denom, 3u);
  std::map<uint32_t, int> tags;
  WalkStats stats = trace->Walk(
      [&](const Catalog*, std::string_view data, uint64_t stream, uint64_t offset) {
        ForEachInnerChunk(
            data, stream, offset, [&](const InnerChunk& c) { ++tags[c.tag]; },
            [](uint64_t, std::string_view m) { ADD_FAILURE() << m; });
      },
      [](uint64_t, std::string_view m) { ADD_FAILURE() << m; });
  EXPECT_EQ(stats.catalogs, 6u);
  EXPECT_EQ(stats.chunksets, 47u);
  EXPECT_EQ(stats.chunksets_failed, 0u);
  EXPECT_EQ(tags[kTagFirehose], 345);
  EXPECT_EQ(tags[kTagOversize], 30);
  EXPECT_EQ(tags[kTagStatedump], 496);
}

TEST(UnifiedLogStrings, UuidtextFormatStringsAndImagePath) {
  fs::path dir = DataRoot() / "dtformats" / "uuidtext";
  REQUIRE_DATA(dir);
  absl::StatusOr<UuidText> lsd = UuidText::Parse(testing::Slurp(dir / "22" / "0D3C2953A33917B333DD8366AC25F2"));
  ASSERT_TRUE(lsd.ok()) << lsd.status();
  EXPECT_EQ(lsd->image_path(), "/usr/libexec/lsd");
  absl::StatusOr<UuidText> text = UuidText::Parse(testing::Slurp(dir / "00" / "7EF56328D53A78B59CCCE3E3189F57"));
  ASSERT_TRUE(text.ok());
  bool found = false;
  for (uint64_t ref = 0; ref < 0x100000 && !found; ++ref) {
    std::optional<std::string_view> s = text->Find(ref);
    found = s && s->starts_with("system.install.apple-software");
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(UuidText::Parse("not a uuidtext").ok());
}

TEST(UnifiedLogStrings, SharedCacheStringsVersionsOneAndTwo) {
  fs::path dir = DataRoot() / "dtformats" / "uuidtext" / "dsc";
  REQUIRE_DATA(dir);
  for (auto [name, version] : {std::pair{"dsc-version1", 1}, std::pair{"dsc-version2", 2}}) {
    absl::StatusOr<SharedCacheStrings> dsc = SharedCacheStrings::Parse(testing::Slurp(dir / name));
    ASSERT_TRUE(dsc.ok()) << name << ": " << dsc.status();
    EXPECT_EQ(dsc->version(), version);
  }
  absl::StatusOr<SharedCacheStrings> tiny =
      SharedCacheStrings::Parse(testing::Slurp(dir / "8E21CAB1DCF936B49F85CF860E6F34EC"));
  EXPECT_TRUE(tiny.ok()) << tiny.status();
}

TEST(UnifiedLogTimesync, BootRecordAndTimestampFormat) {
  fs::path file = DataRoot() / "dtformats" / "timesync" / "0000000000000002.timesync";
  REQUIRE_DATA(file);
  Timesync timesync;
  EXPECT_TRUE(timesync.Add(testing::Slurp(file)));
  EXPECT_GE(timesync.boots(), 1u);
  EXPECT_FALSE(timesync.Add("not a timesync"));
  EXPECT_EQ(FormatTimestamp(1673487335240424708), "2023-01-12 01:35:35.240424+0000");
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01 00:00:00.000000+0000");
}

Argument Number(uint64_t v, uint8_t width = 4) {
  Argument a;
  a.kind = Argument::Kind::kNumber;
  a.number = v;
  a.width = width;
  return a;
}
Argument Text(std::string_view s) {
  Argument a;
  a.kind = Argument::Kind::kString;
  a.bytes = s;
  a.has_bytes = true;
  return a;
}

std::string Format(std::string_view f, const std::vector<Argument>& args) {
  std::string out;
  FormatMessage(f, args, out);
  return out;
}

TEST(UnifiedLogFormatter, PrintfAndAppleDecorators) {
  Argument priv;
  priv.kind = Argument::Kind::kPrivate;
  // The format strings are real: AMFI's and launchd's, from the plaso tree's uuidtext files.
  EXPECT_EQ(Format("AMFI: '%s' has no CMS blob?", {Text("/Applications/X.app/Contents/MacOS/X")}),
            "AMFI: '/Applications/X.app/Contents/MacOS/X' has no CMS blob?");
  EXPECT_EQ(Format("%{public}s and %{private}s", {Text("a"), priv}), "a and <private>");
  EXPECT_EQ(Format("%{bool}d %{BOOL}d", {Number(1), Number(0)}), "true NO");
  EXPECT_EQ(Format("%{errno}d", {Number(1)}), "[1: Operation not permitted]");
  EXPECT_EQ(Format("error %m", {Number(13)}), "error Permission denied");
  EXPECT_EQ(Format("%{time_t}d", {Number(1673487385)}), "2023-01-12 01:36:25");
  // Found by fuzz-formatter: seconds past what nanoseconds in 64 bits hold overflowed.
  EXPECT_EQ(Format("%{time_t}lld", {Number(180845753085818, 8)}), "180845753085818");
  EXPECT_EQ(Format("%ld.%6.6d: 0x%x", {Number(0, 8), Number(1), Number(2)}), "0.000001: 0x2");
  EXPECT_EQ(Format("%{public}-22s: OFF", {Text("SFIManagedFocal")}), "SFIManagedFocal       : OFF");
  EXPECT_EQ(Format("%.*s!", {Number(3), Text("abcdef")}), "abc!");
  EXPECT_EQ(Format("%d", {Number(0xffffffff)}), "-1");
  EXPECT_EQ(Format("%u%%", {Number(50)}), "50%");
  EXPECT_EQ(Format("%@ and %s", {Text("obj")}), "obj and <decode: missing data>");
  Argument blob;
  blob.kind = Argument::Kind::kBinary;
  blob.bytes = "0123456789abcdef";
  blob.has_bytes = true;
  EXPECT_EQ(Format("%{public,network:sockaddr}.16P", {blob}), "<undecoded network:sockaddr: 16 bytes>");
  EXPECT_EQ(Format("%{public,uuid_t}.16P", {blob}), "30313233-3435-3637-3839-616263646566");
  EXPECT_EQ(Format("cut %", {}), "cut %");
  EXPECT_EQ(Format("%n %s", {Number(1), Text("x")}), " x") << "%n writes nothing and reads nothing";
}

// The plaso tree end to end: counts per kind and per file, processes, messages, times.
TEST(UnifiedLogArchive, PlasoTreeCountsPerFile) {
  REQUIRE_DATA(Plaso());
  std::optional<ArchiveLayout> layout = FindArchiveLayout(Plaso());
  ASSERT_TRUE(layout);
  ASSERT_EQ(layout->tracev3.size(), 3u);
  EXPECT_EQ(layout->timesync.size(), 1u);
  ArchiveReader reader(*layout);
  struct Expected {
    std::string_view store;
    uint64_t log, activity, signpost, loss, simpledump, statedump;
  };
  const Expected expected[] = {
      {"Persist", 65183, 9248, 0, 2, 8562, 0}, {"Special", 12134, 0, 0, 0, 0, 20}, {"Signpost", 0, 0, 2461, 0, 0, 0}};
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(layout->tracev3[i].string());
    EXPECT_EQ(layout->tracev3[i].parent_path().filename(), expected[i].store);
    KeepSink sink;
    ReadStats stats = reader.ReadFile(i, sink);
    EXPECT_EQ(stats.log, expected[i].log);
    EXPECT_EQ(stats.activity, expected[i].activity);
    EXPECT_EQ(stats.signpost, expected[i].signpost);
    EXPECT_EQ(stats.loss, expected[i].loss);
    EXPECT_EQ(stats.simpledump, expected[i].simpledump);
    EXPECT_EQ(stats.statedump, expected[i].statedump);
    EXPECT_EQ(stats.problems, 0u);
    EXPECT_TRUE(sink.errors.empty()) << sink.errors.front();
    EXPECT_EQ(sink.records.size(), stats.records());
    EXPECT_GT(stats.partial, 0u) << "the tree lacks its dsc file";
    size_t unmapped = 0;
    uint64_t last_line = 0;
    for (const Kept& k : sink.records) {
      unmapped += !k.fields.contains(Field::kProcessPath);
      EXPECT_TRUE(k.fields.contains(Field::kTimestamp));
      last_line = k.line;
    }
    EXPECT_EQ(unmapped, 0u) << "every process maps to its image path";
    EXPECT_GT(last_line, 0u);
  }
}

TEST(UnifiedLogArchive, PlasoTreeMessagesProcessesAndTimes) {
  REQUIRE_DATA(Plaso());
  ArchiveReader reader(*FindArchiveLayout(Plaso()));
  KeepSink sink;
  reader.ReadFile(0, sink);
  ASSERT_EQ(sink.formats, std::vector<InputFormat>{InputFormat::kTracev3});
  // plaso's event 27: its string is in the kernel's uuidtext; the time to the microsecond.
  const Kept* screen = sink.Find("initialize_screen: b=BE3A18000, w=00000280, h=00000470, r=00000A00, d=00000000");
  ASSERT_NE(screen, nullptr);
  EXPECT_EQ(screen->fields.at(Field::kTimestamp), "2023-01-12 01:35:35.240424+0000");
  EXPECT_EQ(screen->fields.at(Field::kProcess), "kernel");
  EXPECT_EQ(screen->fields.at(Field::kProcessPath), "/kernel");
  EXPECT_EQ(screen->fields.at(Field::kPid), "0");
  EXPECT_EQ(screen->fields.at(Field::kEventType), "logEvent");
  EXPECT_EQ(screen->fields.at(Field::kMessageType), "Default");
  // A launchd message with a subsystem and arguments formatted in (%s and %d: %s).
  const Kept* lookup =
      sink.Find("failed lookup: name = com.apple.AppSSO.service-xpc, flags = 0x1, requestor = syspolicyd[88]");
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->fields.at(Field::kProcessPath), "/sbin/launchd");
  EXPECT_EQ(lookup->fields.at(Field::kPid), "1");
  EXPECT_EQ(lookup->fields.at(Field::kSender), "launchd");
  // A value logged private whose bytes the file holds (its firehose chunk's private data) is shown.
  const Kept* keychain = sink.Find("Recreating System.keychain because it cannot unlock");
  ASSERT_NE(keychain, nullptr);
  EXPECT_EQ(keychain->text.find("<private>"), std::string::npos) << keychain->text;
  // Trusted-execution processes the notes count in Persist, each resolved to its image.
  std::map<std::string, std::string> paths;
  std::map<std::string, int> counts;
  for (const Kept& k : sink.records) {
    auto p = k.fields.find(Field::kProcess);
    if (p == k.fields.end()) continue;
    ++counts[p->second];
    paths[p->second] = k.fields.at(Field::kProcessPath);
  }
  EXPECT_EQ(counts["kernel"], 25716);
  EXPECT_EQ(counts["syspolicyd"], 434);
  EXPECT_EQ(counts["tccd"], 350);
  EXPECT_EQ(counts["trustd"], 804);
  EXPECT_EQ(paths["syspolicyd"], "/usr/libexec/syspolicyd");
  EXPECT_EQ(paths["tccd"], "/System/Library/PrivateFrameworks/TCC.framework/Support/tccd");
}

TEST(UnifiedLogArchive, NotAnArchiveAndNotATracev3) {
  EXPECT_FALSE(FindArchiveLayout(fs::path(TEDIAG_SOURCE_DIR) / "rules"));
  ArchiveReader reader(ArchiveLayout{});
  KeepSink sink;
  ReadStats stats = reader.ReadBytes("plain text, not a tracev3", sink);
  EXPECT_EQ(stats.records(), 0u);
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_NE(sink.errors[0].find("not a tracev3"), std::string::npos);
}

}  // namespace
}  // namespace tediag::unified_log
