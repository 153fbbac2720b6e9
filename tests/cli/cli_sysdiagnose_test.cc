// A sysdiagnose, as support receives it, through the built binary: its unified log and its crash
// reports are read, the rest is named in one line; and the time window options on it and on a
// log export. The log is the macOS 12.6.3 tree of plaso PR
// #4557 (../shared/data/unified-logging/, see tests/analyzer/unified_log/unified_log_test.cc),
// laid out as a sysdiagnose's system_logs.logarchive; the crash report is Kap's, from corpora/.
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_fixture.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::CliTest;
using testing::Outcome;

fs::path PlasoDb() {
  fs::path root = std::getenv("TEDIAG_UNIFIED_LOG_DATA")
                      ? fs::path(std::getenv("TEDIAG_UNIFIED_LOG_DATA"))
                      : fs::path(TEDIAG_SOURCE_DIR) / ".." / "shared" / "data" / "unified-logging";
  return root / "plaso-macos-12.6.3" / "private" / "var" / "db";
}

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class SysdiagnoseTest : public CliTest {
 protected:
  // dir_/sysdiagnose_…/: system_logs.logarchive (the plaso stores, their uuidtext at its top),
  // crashes_and_spins/Kap.crash, and files that are neither, AppleDouble copies among them.
  fs::path MakeSysdiagnose() {
    fs::path root = dir_ / "sysdiagnose_2023.01.12_01-40-00+0000_macOS_Macmini9-1_21G320";
    fs::path log = root / "system_logs.logarchive";
    fs::create_directories(log);
    for (const char* store : {"Persist", "Special", "Signpost", "timesync"})
      fs::copy(PlasoDb() / "Diagnostics" / store, log / store, fs::copy_options::recursive);
    fs::copy(PlasoDb() / "uuidtext", log, fs::copy_options::recursive);
    Write(log / "Persist" / "._0000000000000001.tracev3", std::string("\0\5\26\7\0\2\0\0", 8));
    Write(log / "Info.plist", "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict/></plist>\n");
    fs::create_directories(root / "crashes_and_spins");
    fs::copy_file(fs::path(TEDIAG_SOURCE_DIR) / "corpora" / "code-signature-invalid" /
                      "kap-12.4-codesigning1-no-backtrace" / "Kap.crash",
                  root / "crashes_and_spins" / "Kap.crash");
    Write(root / "crashes_and_spins" / "._Kap.crash", std::string("\0\5\26\7\0\2\0\0", 8));
    Write(root / "ps.txt", "USER  PID  %CPU %MEM COMMAND\nroot    1   0.0  0.1 /sbin/launchd\n");
    Write(root / "logs" / "powermanagement" / "state.plist", "<?xml version=\"1.0\"?>\n<plist/>\n");
    Write(root / "summaries" / "crashes.txt", "no crash report text here\n");
    return root;
  }
};

TEST_F(SysdiagnoseTest, ATarGzIsDiagnosedFromItsLogAndItsCrashReport) {
  if (!fs::exists(PlasoDb())) GTEST_SKIP() << "unified-logging test data absent (" << PlasoDb() << "); see README.md";
  fs::path root = MakeSysdiagnose();
  std::string tgz = (dir_ / "sysdiagnose.tar.gz").string();
  ASSERT_EQ(
      std::system(("cd '" + dir_.string() + "' && tar czf '" + tgz + "' '" + root.filename().string() + "'").c_str()),
      0);
  fs::remove_all(root);
  fs::path tmp = dir_ / "tmp";
  fs::create_directories(tmp);
  Outcome run = Tediag("analyze --format json -j2 '" + tgz + "'", "", {}, "NO_COLOR=1 TMPDIR='" + tmp.string() + "'");
  EXPECT_EQ(run.status, 0) << run.err;
  // The three tracev3 files, by their names inside the archive, with every entry read.
  std::string persist =
      "sysdiagnose.tar.gz:" + root.filename().string() + "/system_logs.logarchive/Persist/0000000000000001.tracev3";
  EXPECT_NE(run.out.find(persist), std::string::npos) << run.out.substr(0, 4000);
  EXPECT_NE(run.out.find("\"records\": 82995"), std::string::npos);
  EXPECT_NE(run.out.find("\"records\": 12154"), std::string::npos);
  EXPECT_NE(run.out.find("\"records\": 2461"), std::string::npos);
  // Both diagnoses: the kernel's AMFI refusal from the log, Kap's from its crash report.
  EXPECT_NE(run.out.find("has no CMS blob?"), std::string::npos);
  EXPECT_NE(run.out.find("crashes_and_spins/Kap.crash"), std::string::npos);
  EXPECT_NE(run.out.find("com.wulkano.kap"), std::string::npos);
  // The rest in one line; nothing read as a binary file, no AppleDouble copy read.
  EXPECT_EQ(Count(run.out, "other files of this sysdiagnose (only its unified log"), 1u);
  EXPECT_NE(run.out.find("\"3 other files of this sysdiagnose (only"), std::string::npos);
  EXPECT_EQ(run.out.find("binary file"), std::string::npos);
  EXPECT_EQ(run.out.find("._"), std::string::npos);
  EXPECT_EQ(run.out.find("cannot read here"), std::string::npos);
  // The temporary folder the log was unpacked into is gone.
  EXPECT_TRUE(fs::is_empty(tmp)) << fs::directory_iterator(tmp)->path();
  // The tracev3 files read on two threads at once give the report one thread gives.
  Outcome one = Tediag("analyze --format json -j1 '" + tgz + "'", "", {}, "NO_COLOR=1 TMPDIR='" + tmp.string() + "'");
  EXPECT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(one.out, run.out);
}

TEST_F(SysdiagnoseTest, AFolderReadsTheSameAndNamesTheRestInOneLine) {
  if (!fs::exists(PlasoDb())) GTEST_SKIP() << "unified-logging test data absent (" << PlasoDb() << "); see README.md";
  fs::path root = MakeSysdiagnose();
  Outcome run = Tediag("analyze " + Quoted(root));
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("ROOT CAUSE"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Persist/0000000000000001.tracev3  tracev3"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("crashes_and_spins/Kap.crash"), std::string::npos) << run.out;
  EXPECT_EQ(Count(run.out, "other files of this sysdiagnose (only its unified log"), 1u) << run.out;
  EXPECT_NE(run.out.find("not read: 3 other files of this sysdiagnose (only"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("binary file"), std::string::npos) << run.out;
}

// --since / --until / --last through the binary: the report says the window and what it left
// out; the AMFI refusal at 01:36:30.474 is evidence inside the window and absent before it.
TEST_F(SysdiagnoseTest, TimeWindowsAreSaidInTheReportAndBadOnesAreUsageErrors) {
  if (!fs::exists(PlasoDb())) GTEST_SKIP() << "unified-logging test data absent (" << PlasoDb() << "); see README.md";
  Outcome since = Tediag("analyze --since '2023-01-12 01:36:30+0000' " + Quoted(PlasoDb()));
  EXPECT_EQ(since.status, 0) << since.err;
  EXPECT_NE(since.out.find("time window since 2023-01-12 01:36:30+0000: "), std::string::npos) << since.out;
  EXPECT_NE(since.out.find(" records outside it, read but not matched"), std::string::npos) << since.out;
  EXPECT_NE(since.out.find("has no CMS blob?"), std::string::npos);
  Outcome until = Tediag("analyze --format json --until '2023-01-12 01:36:00+0000' " + Quoted(PlasoDb()));
  EXPECT_EQ(until.status, 0) << until.err;
  EXPECT_EQ(until.out.find("has no CMS blob?"), std::string::npos);
  EXPECT_NE(until.out.find("\"description\": \"until 2023-01-12 01:36:00+0000\""), std::string::npos);
  Outcome last = Tediag("analyze --last 1m " + Quoted(PlasoDb()));
  EXPECT_EQ(last.status, 0) << last.err;
  EXPECT_NE(last.out.find("time window since "), std::string::npos) << last.out;
  Outcome bad = Tediag("analyze --since yesterday " + Quoted(PlasoDb()));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--since: 'yesterday' is not a time"), std::string::npos) << bad.err;
  EXPECT_EQ(Tediag("analyze --last 5m --since 2023-01-12 " + Quoted(PlasoDb())).status, 2);
  EXPECT_EQ(Tediag("analyze --last 0 " + Quoted(PlasoDb())).status, 2);
}

// --explain describes a tracev3 file's entries as the unified log stage makes them into records:
// the first entry of plaso's Persist file is launchd's, with its image path and UTC time.
TEST_F(SysdiagnoseTest, ExplainDescribesUnifiedLogRecords) {
  if (!fs::exists(PlasoDb())) GTEST_SKIP() << "unified-logging test data absent (" << PlasoDb() << "); see README.md";
  fs::path file = PlasoDb() / "Diagnostics" / "Persist" / "0000000000000001.tracev3";
  Outcome run = Tediag("analyze --explain " + Quoted(file));
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("log record, read as tracev3\n    timestamp: 2023-01-12 01:35:54."), std::string::npos)
      << run.out.substr(0, 2000);
  EXPECT_NE(run.out.find("    process_path: /sbin/launchd\n"), std::string::npos) << run.out.substr(0, 2000);
  EXPECT_NE(run.out.find("200 records described; the rest of the input is not"), std::string::npos);
  EXPECT_EQ(run.out.find("not explained"), std::string::npos);
}

// A window on a log export (the two real kernel lines of corpora/code-signature-invalid/
// conda-pack-log-stream-invalid-page, 21:41:04.947799 and .947811 at +0100): a bound without a
// zone is the clock the lines show, one with a zone an instant.
TEST_F(CliTest, ALogExportsWindowIsItsOwnClockOrAnInstant) {
  std::string log = Corpus("code-signature-invalid/conda-pack-log-stream-invalid-page/kernel.log");
  Outcome between = Tediag("analyze --since '2023-03-15 21:41:04.947800+0100' " + log);
  EXPECT_EQ(between.status, 0) << between.err;
  EXPECT_NE(between.out.find(": 1 record outside it"), std::string::npos) << between.out;
  EXPECT_NE(between.out.find("ROOT CAUSE"), std::string::npos) << "the second line is still evidence\n" << between.out;
  Outcome later = Tediag("analyze --since '2023-03-15 21:42:00' " + log);  // the lines' own clock
  EXPECT_NE(later.out.find(": 2 records outside it"), std::string::npos) << later.out;
  EXPECT_EQ(later.out.find("ROOT CAUSE"), std::string::npos) << later.out;
  Outcome instant = Tediag("analyze --since '2023-03-15 20:41:00+0000' " + log);  // 21:41 at +0100
  EXPECT_NE(instant.out.find(": 0 records outside it"), std::string::npos) << instant.out;
}

}  // namespace
}  // namespace tediag
