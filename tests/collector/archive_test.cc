// Bundles as archives: written by the collector, read back by the analyzer within limits.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "analyzer.h"
#include "archive_writer.h"
#include "input/archive_input.h"
#include "input/chunk_source.h"
#include "input/input_files.h"
#include "process.h"
#include "read/line_parsers.h"
#include "test_support.h"

namespace tediag {
namespace {
namespace fs = std::filesystem;

// Options naming one input and nothing else (a brace list leaving members out warns under -Wextra).
AnalyzeOptions OneInput(std::string path) {
  AnalyzeOptions options;
  options.inputs = {std::move(path)};
  return options;
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::ScratchDir("archive");
    fs::create_directories(dir_ / "bundle" / "signing");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
  fs::path dir_;
};

TEST_F(ArchiveTest, WritesAZipThatReadsBackIntoOneFolder) {
  Write(dir_ / "bundle" / "events.ndjson",
        "{\"eventMessage\":\"Disallowing: "
        "com.example.foo\",\"processImagePath\":\"\\/usr\\/libexec\\/taskgated-helper\"}\n");
  Write(dir_ / "bundle" / "signing" / "spctl-assess.txt",
        "/Applications/Foo.app: accepted\nsource=Notarized Developer ID\n");
  Write(dir_ / "bundle" / ".manifest.json.tmp", "left over");
  absl::StatusOr<std::string> archive =
      collector::ArchiveFolder((dir_ / "bundle").string(), (dir_ / "bundle").string());
  ASSERT_TRUE(archive.ok()) << archive.status();
  EXPECT_EQ(*archive, (dir_ / "bundle.zip").string());
  EXPECT_TRUE(LooksLikeArchive(*archive));

  ArchiveContents contents = ReadArchive(*archive);
  EXPECT_EQ(contents.problem, "");
  ASSERT_EQ(contents.members.size(), 2u);  // the hidden temporary file is left out
  EXPECT_EQ(contents.members[0].name, "bundle/events.ndjson");
  EXPECT_EQ(contents.members[1].name, "bundle/signing/spctl-assess.txt");
  EXPECT_EQ(contents.members[1].data, "/Applications/Foo.app: accepted\nsource=Notarized Developer ID\n");

  // The same bytes from memory (as the bundle fuzzer reads them): the same members; cut short,
  // what was read and a problem.
  std::ifstream in(*archive, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ArchiveContents from_memory = ReadArchiveData(bytes);
  EXPECT_EQ(from_memory.problem, "");
  ASSERT_EQ(from_memory.members.size(), 2u);
  EXPECT_EQ(from_memory.members[1].data, contents.members[1].data);
  EXPECT_NE(ReadArchiveData(std::string_view(bytes).substr(0, bytes.size() / 2)).problem, "");

  // A damaged zip after which libarchive gives no message (found by fuzz-bundle; it used to
  // crash on the null message): a problem, said in words.
  std::ifstream damaged(fs::path(TEDIAG_SOURCE_DIR) / "tests/fuzz-regressions/bundle/damaged-zip-null-error-message",
                        std::ios::binary);
  std::string damaged_bytes((std::istreambuf_iterator<char>(damaged)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(damaged_bytes.empty());
  EXPECT_NE(ReadArchiveData(damaged_bytes).problem.find("damaged archive after 0 entries: "), std::string::npos)
      << ReadArchiveData(damaged_bytes).problem;

  Report report = Analyze(testing::EmbeddedMatcher(), OneInput(*archive));
  ASSERT_EQ(report.inputs.size(), 2u);
  EXPECT_EQ(report.inputs[0].path, *archive + ":bundle/events.ndjson");
  EXPECT_EQ(report.inputs[0].records, 1u);
  EXPECT_EQ(testing::RuleIds(report), std::vector<std::string>{"re-no-eligible-profile"});
}

TEST_F(ArchiveTest, ReadsATarGzToo) {
  Write(dir_ / "bundle" / "events.ndjson",
        "{\"eventMessage\":\"Disallowing: "
        "com.example.foo\",\"processImagePath\":\"\\/usr\\/libexec\\/taskgated-helper\"}\n");
  fs::path tgz = dir_ / "bundle.tar.gz";
  absl::StatusOr<collector::CommandResult> tar = collector::RunCommand(
      {"/usr/bin/env", "tar", "-czf", tgz.string(), "-C", dir_.string(), "bundle"}, std::chrono::seconds(20));
  ASSERT_TRUE(tar.ok() && tar->status.code == 0);
  EXPECT_TRUE(LooksLikeArchive(tgz.string()));
  Report report = Analyze(testing::EmbeddedMatcher(), OneInput(tgz.string()));
  ASSERT_EQ(report.inputs.size(), 1u);
  EXPECT_EQ(report.inputs[0].path, tgz.string() + ":bundle/events.ndjson");
  EXPECT_EQ(testing::RuleIds(report), std::vector<std::string>{"re-no-eligible-profile"});
}

TEST_F(ArchiveTest, AZipBombStopsAtTheRatioLimitWithAnError) {
  Write(dir_ / "bundle" / "zeros.log", std::string(4 << 20, '0'));  // compresses about a thousand times
  absl::StatusOr<std::string> archive =
      collector::ArchiveFolder((dir_ / "bundle").string(), (dir_ / "bundle").string());
  ASSERT_TRUE(archive.ok()) << archive.status();
  ArchiveContents contents =
      ReadArchive(*archive, {.max_total_bytes = uint64_t{1} << 30, .max_entries = 100, .max_ratio = 50});
  EXPECT_TRUE(contents.members.empty());
  EXPECT_NE(contents.problem.find("expands more than 50 times its own size"), std::string::npos) << contents.problem;

  std::vector<InputFile> inputs = ExpandInputs({*archive});
  ASSERT_EQ(inputs.size(), 1u);
  auto read = ChunkSource::Open(inputs[0], IsWholeEntryLine);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("archive: expands more than 200 times"), std::string::npos)
      << read.status().message();
}

TEST_F(ArchiveTest, EntryAndByteLimitsAreReportedAndEarlierEntriesKept) {
  for (int i = 0; i < 5; ++i)
    Write(dir_ / "bundle" / ("f" + std::to_string(i) + ".txt"), "line " + std::to_string(i) + "\n");
  absl::StatusOr<std::string> archive =
      collector::ArchiveFolder((dir_ / "bundle").string(), (dir_ / "bundle").string());
  ASSERT_TRUE(archive.ok());
  ArchiveContents few = ReadArchive(*archive, {.max_total_bytes = 1000, .max_entries = 3, .max_ratio = 1000});
  EXPECT_EQ(few.members.size(), 3u);
  EXPECT_EQ(few.problem, "more than 3 entries; the rest is not read (limit)");
  ArchiveContents small = ReadArchive(*archive, {.max_total_bytes = 15, .max_entries = 100, .max_ratio = 1000});
  EXPECT_EQ(small.members.size(), 2u);
  EXPECT_NE(small.problem.find("expands to more than 15 bytes; stopped at bundle/f2.txt"), std::string::npos)
      << small.problem;
}

TEST_F(ArchiveTest, ADamagedArchiveIsAnErrorNamingIt) {
  Write(dir_ / "broken.zip", std::string("PK\x03\x04", 4) + "not really a zip");
  std::vector<InputFile> inputs = ExpandInputs({(dir_ / "broken.zip").string()});
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].path, (dir_ / "broken.zip").string());
  EXPECT_NE(inputs[0].problem.find("archive: "), std::string::npos);
}

// A log archive inside a tar is unpacked to a private temporary folder, within its own limit,
// and the folder goes with the last input holding it; a name that would leave it is refused.
TEST_F(ArchiveTest, ALogArchiveInsideIsUnpackedWithinItsLimitAndRemovedAfter) {
  fs::create_directories(dir_ / "x.logarchive" / "Persist");
  Write(dir_ / "x.logarchive" / "Persist" / "0000000000000001.tracev3", std::string(3000, 'a'));
  Write(dir_ / "x.logarchive" / "Info.plist", "<plist/>\n");
  std::string tar = (dir_ / "x.tar").string();
  ASSERT_EQ(std::system(("cd '" + dir_.string() + "' && tar cf '" + tar + "' x.logarchive").c_str()), 0);
  fs::path tmp;
  {
    ArchiveContents contents = ReadArchive(tar);
    EXPECT_EQ(contents.problem, "");
    ASSERT_EQ(contents.log_archives.size(), 1u);
    EXPECT_EQ(contents.log_archives[0].name, "x.logarchive");
    ASSERT_FALSE(contents.log_archives[0].location.empty());
    fs::path tracev3 = contents.log_archives[0].location / "Persist" / "0000000000000001.tracev3";
    EXPECT_EQ(fs::file_size(tracev3), 3000u);
    EXPECT_EQ(fs::status(contents.log_archives[0].location.parent_path()).permissions() & fs::perms::all,
              fs::perms::owner_all);
    tmp = contents.log_archives[0].location.parent_path();
    std::vector<InputFile> inputs;
    AppendArchiveInputs(tar, {}, inputs);
    ASSERT_EQ(inputs.size(), 1u);
    EXPECT_EQ(inputs[0].path, tar + ":x.logarchive");
    EXPECT_TRUE(inputs[0].unified_log);
  }
  EXPECT_FALSE(fs::exists(tmp)) << "removed with the last holder";
  ArchiveLimits small;
  small.max_extracted_bytes = 1000;
  ArchiveContents limited = ReadArchive(tar, small);
  EXPECT_NE(limited.problem.find("unpacks to more than 1000 bytes (limit)"), std::string::npos) << limited.problem;
  small.max_extracted_bytes = 0;  // the fuzzer's setting
  ArchiveContents noted = ReadArchive(tar, small);
  ASSERT_EQ(noted.log_archives.size(), 1u);
  EXPECT_TRUE(noted.log_archives[0].location.empty());
  EXPECT_EQ(noted.unpacked, nullptr);
}

}  // namespace
}  // namespace tediag
