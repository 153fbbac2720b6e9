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
  Touch(dir / "sysdiagnose" / "crashes_and_spins" / "App.ips");
  Touch(dir / "db" / "Diagnostics" / "Special" / "0000000000000002.tracev3");
  Touch(dir / "db" / "uuidtext" / "00" / "AB");
  Touch(dir / "lone" / "x.tracev3");
  std::vector<InputFile> files =
      ExpandInputs({(dir / "sysdiagnose").string(), (dir / "db").string(), (dir / "lone" / "x.tracev3").string()});
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0].path, (dir / "sysdiagnose" / "crashes_and_spins" / "App.ips").string());
  EXPECT_FALSE(files[0].unified_log);
  EXPECT_EQ(files[1].path, (dir / "sysdiagnose" / "system_logs.logarchive").string());
  EXPECT_TRUE(files[1].unified_log);
  EXPECT_EQ(files[2].path, (dir / "db").string());
  EXPECT_TRUE(files[2].unified_log);
  EXPECT_TRUE(files[3].unified_log);
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

}  // namespace
}  // namespace tediag
