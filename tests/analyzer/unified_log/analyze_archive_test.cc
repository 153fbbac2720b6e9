// A unified log archive through the whole pipeline: recognised by layout among other inputs,
// read in place, diagnosed by the embedded rules. Uses the macOS 12.6.3 tree of plaso PR #4557
// (see unified_log_test.cc); its kernel logged real AMFI refusals of an unsigned EC2 helper.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "analyzer.h"
#include "input/input_files.h"
#include "test_support.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;

fs::path PlasoTree() {
  fs::path root = std::getenv("TEDIAG_UNIFIED_LOG_DATA")
                      ? fs::path(std::getenv("TEDIAG_UNIFIED_LOG_DATA"))
                      : fs::path(TEDIAG_SOURCE_DIR) / ".." / "shared" / "data" / "unified-logging";
  return root / "plaso-macos-12.6.3" / "private" / "var" / "db";
}

void Touch(const fs::path& path) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << "x";
}

TEST(UnifiedLogInputs, ArchiveFoldersAreMarkedNotWalked) {
  fs::path dir = testing::ScratchDir("unified-log-inputs");
  Touch(dir / "sysdiagnose" / "system_logs.logarchive" / "Persist" / "0000000000000001.tracev3");
  Touch(dir / "sysdiagnose" / "system_logs.logarchive" / "Persist" / "._0000000000000001.tracev3");
  Touch(dir / "sysdiagnose" / "system_logs.logarchive" / "dsc" / "ABCD");
  fs::create_directories(dir / "sysdiagnose" / "crashes_and_spins");
  std::ofstream(dir / "sysdiagnose" / "crashes_and_spins" / "App.ips")
      << "{\"app_name\":\"App\",\"bug_type\":\"309\",\"timestamp\":\"2026-12-01 10:00:00.00 +0100\"}\n{}\n";
  Touch(dir / "sysdiagnose" / "ps.txt");  // not a crash report: counted, not read
  Touch(dir / "sysdiagnose" / "logs" / "state.plist");
  Touch(dir / "db" / "Diagnostics" / "Special" / "0000000000000002.tracev3");
  Touch(dir / "db" / "uuidtext" / "00" / "AB");
  Touch(dir / "lone" / "x.tracev3");
  std::vector<InputFile> files =
      ExpandInputs({(dir / "sysdiagnose").string(), (dir / "db").string(), (dir / "lone" / "x.tracev3").string()});
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[0].path, (dir / "sysdiagnose" / "crashes_and_spins" / "App.ips").string());
  EXPECT_FALSE(files[0].unified_log);
  EXPECT_EQ(files[1].path, (dir / "sysdiagnose" / "system_logs.logarchive").string());
  EXPECT_TRUE(files[1].unified_log);
  EXPECT_EQ(files[2].path, (dir / "sysdiagnose").string());  // the rest, in one line
  EXPECT_EQ(files[2].problem.substr(0, 36), "2 other files of this sysdiagnose (o");
  EXPECT_FALSE(files[2].named);
  EXPECT_EQ(files[3].path, (dir / "db").string());
  EXPECT_TRUE(files[3].unified_log);
  EXPECT_TRUE(files[4].unified_log);
  EXPECT_FALSE(IsUnifiedLogArchive((dir / "sysdiagnose").string()));
}

TEST(UnifiedLogInputs, AnArchiveThatIsNotOneIsAnErrorNotACrash) {
  fs::path dir = testing::ScratchDir("unified-log-fake");
  Touch(dir / "fake.logarchive" / "Persist" / "0000000000000001.tracev3");  // one byte, "x"
  AnalyzeOptions options;
  options.inputs = {(dir / "fake.logarchive").string()};
  Report report = Analyze(testing::EmbeddedMatcher(), options);
  ASSERT_EQ(report.inputs.size(), 1u);
  EXPECT_EQ(report.inputs[0].format, InputFormat::kTracev3);
  ASSERT_FALSE(report.inputs[0].errors.empty());
  EXPECT_NE(report.inputs[0].errors[0].message.find("not a tracev3"), std::string::npos);
  EXPECT_TRUE(report.findings.empty());
}

TEST(UnifiedLogAnalyze, PlasoTreeIsDiagnosedFromItsTracev3) {
  if (!fs::exists(PlasoTree()))
    GTEST_SKIP() << "unified-logging test data absent (" << PlasoTree() << "); see README.md";
  AnalyzeOptions options;
  options.inputs = {PlasoTree().string()};
  options.threads = 2;
  Report report = Analyze(testing::EmbeddedMatcher(), options);
  ASSERT_EQ(report.inputs.size(), 3u);
  EXPECT_EQ(report.inputs[0].records, 82995u);
  EXPECT_EQ(report.inputs[1].records, 12154u);
  EXPECT_EQ(report.inputs[2].records, 2461u);
  for (const InputSummary& input : report.inputs) {
    EXPECT_EQ(input.format, InputFormat::kTracev3) << input.path;
    ASSERT_EQ(input.errors.size(), 1u) << input.path;
    EXPECT_NE(input.errors[0].message.find("messages are partial"), std::string::npos);
  }
  ASSERT_NE(RootCause(report), nullptr);
  const Finding& root = *RootCause(report);
  EXPECT_EQ(root.rule->class_slug, "code-signature-invalid");
  ASSERT_FALSE(root.evidence.empty());
  EXPECT_TRUE(root.evidence[0].input.ends_with("Persist/0000000000000001.tracev3")) << root.evidence[0].input;
  EXPECT_EQ(root.evidence[0].text.substr(0, 58), "AMFI: '/usr/local/libexec/ec2-macos-init' has no CMS blob?");
  EXPECT_EQ(root.evidence[0].timestamp, "2023-01-12 01:36:30.474454+0000");
  EXPECT_EQ(root.evidence[0].process, "kernel");
}

uint64_t Records(const Report& report) {
  uint64_t n = 0;
  for (const InputSummary& input : report.inputs) n += input.records;
  return n;
}

// --since / --until on the unified log: records outside are counted but not matched, chunksets
// wholly outside are not even decompressed, and no evidence outside the window reaches the
// report; two windows that split the log find every record once.
TEST(UnifiedLogAnalyze, ATimeWindowLeavesOutTheRecordsOutsideIt) {
  if (!fs::exists(PlasoTree()))
    GTEST_SKIP() << "unified-logging test data absent (" << PlasoTree() << "); see README.md";
  AnalyzeOptions options;
  options.inputs = {PlasoTree().string()};
  options.threads = 1;
  Report all = Analyze(testing::EmbeddedMatcher(), options);
  EXPECT_TRUE(all.window.empty());
  options.window.since = *ParseWindowBound("2023-01-12 01:36:30.474454+0000");  // the first AMFI refusal
  Report since = Analyze(testing::EmbeddedMatcher(), options);
  EXPECT_GT(since.outside_window, 0u);
  EXPECT_LT(since.outside_window, Records(since));
  EXPECT_EQ(since.window, "since 2023-01-12 01:36:30+0000");
  ASSERT_NE(RootCause(since), nullptr);
  EXPECT_EQ(RootCause(since)->evidence[0].timestamp, "2023-01-12 01:36:30.474454+0000");
  for (const Finding& f : since.findings)
    for (const Evidence& e : f.evidence) EXPECT_GE(e.timestamp, std::string("2023-01-12 01:36:30.474454")) << e.text;
  // Until a microsecond before it: that refusal is not evidence any more; the two windows split the log.
  options.window = TimeWindow{};
  options.window.until = *ParseWindowBound("2023-01-12 01:36:30.474453+0000");
  Report until = Analyze(testing::EmbeddedMatcher(), options);
  EXPECT_EQ(Records(since) - since.outside_window + Records(until) - until.outside_window, Records(all));
  EXPECT_GT(since.chunksets_outside_window + until.chunksets_outside_window, 0u);
  for (const Finding& f : until.findings)
    for (const Evidence& e : f.evidence) EXPECT_LT(e.timestamp, std::string("2023-01-12 01:36:30.474454")) << e.text;
  // --last: counted back from the newest record, on one thread or two alike.
  options.window = {};
  options.last = std::chrono::seconds(60);
  Report last = Analyze(testing::EmbeddedMatcher(), options);
  options.threads = 2;
  Report last2 = Analyze(testing::EmbeddedMatcher(), options);
  EXPECT_FALSE(last.window.empty());
  EXPECT_GT(last.outside_window, 0u);
  EXPECT_LT(last.outside_window, Records(last));
  EXPECT_EQ(last2.outside_window, last.outside_window);
  EXPECT_EQ(last2.window, last.window);
}

// --last reads the inputs twice, and progress counts both passes: it rises steadily to a total
// of twice their size, past the half when the first pass (finding the newest record) is done.
TEST(UnifiedLogAnalyze, ProgressWithLastCountsBothPasses) {
  if (!fs::exists(PlasoTree()))
    GTEST_SKIP() << "unified-logging test data absent (" << PlasoTree() << "); see README.md";
  AnalyzeOptions options;
  options.inputs = {PlasoTree().string()};
  options.threads = 1;
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  options.progress = [&](uint64_t read, uint64_t total) { calls.emplace_back(read, total); };
  Analyze(testing::EmbeddedMatcher(), options);
  ASSERT_FALSE(calls.empty());
  const uint64_t size = calls.back().second;
  EXPECT_EQ(calls.back().first, size);
  calls.clear();
  options.last = std::chrono::seconds(60);
  Analyze(testing::EmbeddedMatcher(), options);
  ASSERT_FALSE(calls.empty());
  uint64_t before = 0;
  size_t first_pass = 0;
  for (const auto& [read, total] : calls) {
    EXPECT_EQ(total, 2 * size);
    EXPECT_GE(read, before);
    before = read;
    first_pass += read <= size;
  }
  EXPECT_GT(first_pass, 1u) << "the first pass shows progress too";
  EXPECT_EQ(calls.back().first, 2 * size);
}

}  // namespace
}  // namespace tediag
