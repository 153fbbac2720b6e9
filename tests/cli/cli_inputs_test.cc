// What `analyze` reads, and the exit status that tells what it could not: archives of every
// kind, named or found in a folder; a tediag bundle's own files; a crash report given twice; a
// unified log archive; an empty input.
#include <filesystem>
#include <string>

#include "cli_fixture.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::CliTest;
using testing::Outcome;

constexpr const char* kKap = "code-signature-invalid/kap-12.4-codesigning1-no-backtrace/Kap.crash";

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST_F(CliTest, ANamedInputThatCannotBeReadExitsWithFour) {
  Write(dir_ / "picture.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  Outcome run = Tediag("analyze " + Corpus(kKap) + " " + Quoted(dir_ / "picture.png"));
  EXPECT_EQ(run.status, 4) << run.err;
  EXPECT_NE(run.out.find("ROOT CAUSE"), std::string::npos) << "the other input is still analysed";
  EXPECT_NE(run.err.find("picture.png: binary file"), std::string::npos) << run.err;
  // Found in a folder rather than named, the same file is reported but fails nothing.
  fs::copy_file(std::string(TEDIAG_SOURCE_DIR) + "/corpora/" + kKap, dir_ / "Kap.crash");
  Outcome folder = Tediag("analyze " + Quoted(dir_));
  EXPECT_EQ(folder.status, 0) << folder.err;
  EXPECT_NE(folder.out.find("picture.png  not read: binary file"), std::string::npos) << folder.out;
  // --fail-on's finding wins over an input not read.
  EXPECT_EQ(Tediag("analyze --fail-on error " + Corpus(kKap) + " " + Quoted(dir_ / "nope")).status, 1);
}

TEST_F(CliTest, AnEmptyInputIsReportedAsEmpty) {
  Outcome stdin_empty = Tediag("analyze -");
  EXPECT_EQ(stdin_empty.status, 3);
  EXPECT_NE(stdin_empty.err.find("(stdin): the input is empty"), std::string::npos) << stdin_empty.err;
  Write(dir_ / "empty.log", "");
  Outcome beside = Tediag("analyze " + Quoted(dir_ / "empty.log") + " " + Corpus(kKap));
  EXPECT_EQ(beside.status, 0);
  EXPECT_NE(beside.err.find("empty.log: the input is empty"), std::string::npos) << beside.err;
}

// A collector bundle as support receives it: its own manifest and reports beside the evidence,
// and a copy of the crash report in a zip next to the folder's own.
TEST_F(CliTest, ABundlesOwnFilesAreSkippedAndACrashReportFoundTwiceCountsOnce) {
  fs::path bundle = dir_ / "tediag-Kap";
  Write(bundle / "manifest.json", "{\n  \"schema\": \"tediag.bundle/1\",\n  \"app_name\": \"Kap\"\n}\n");
  Write(bundle / "report.json", "{\n  \"schema\": \"tediag.report/1\",\n  \"findings\": []\n}\n");
  Write(bundle / "report.md", "## tediag diagnosis\n\nKap: code signature invalid\n");
  fs::create_directories(bundle / "crash-reports");
  fs::copy_file(std::string(TEDIAG_SOURCE_DIR) + "/corpora/" + kKap, bundle / "crash-reports" / "Kap.crash");
  ASSERT_EQ(std::system(("cd '" + bundle.string() + "' && zip -q copy.zip crash-reports/Kap.crash").c_str()), 0);
  Outcome run = Tediag("analyze --format json " + Quoted(bundle));
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.find("manifest.json"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("report.json"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("report.md"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("copy.zip:crash-reports/Kap.crash"), std::string::npos) << "the zip in the folder is read";
  EXPECT_NE(run.out.find("\"hits\": 1,"), std::string::npos) << run.out;
  EXPECT_EQ(run.err, "");
}

TEST_F(CliTest, ReadsEveryKindOfArchiveNamedOrInAFolder) {
  fs::path src = dir_ / "src";
  fs::create_directories(src);
  fs::copy_file(std::string(TEDIAG_SOURCE_DIR) + "/corpora/" + kKap, src / "Kap.crash");
  fs::path packed = dir_ / "packed";
  fs::create_directories(packed);
  std::string cd = "cd '" + src.string() + "' && ";
  for (const std::string& make : {"tar cf '" + (packed / "a.tar").string() + "' Kap.crash",
                                  "tar cJf '" + (packed / "b.tar.xz").string() + "' Kap.crash",
                                  "tar cjf '" + (packed / "c.tar.bz2").string() + "' Kap.crash",
                                  "gzip -c Kap.crash > '" + (packed / "Kap.crash.gz").string() + "'"}) {
    ASSERT_EQ(std::system((cd + make).c_str()), 0) << make;
  }
  for (const char* name : {"a.tar", "b.tar.xz", "c.tar.bz2", "Kap.crash.gz"}) {
    Outcome named = Tediag("analyze --format json " + Quoted(packed / name));
    EXPECT_EQ(named.status, 0) << name << ": " << named.err;
    EXPECT_NE(named.out.find("\"class\": \"code-signature-invalid\""), std::string::npos) << name << named.out;
  }
  Outcome gz = Tediag("analyze --format json " + Quoted(packed / "Kap.crash.gz"));
  EXPECT_NE(gz.out.find("Kap.crash.gz:Kap.crash"), std::string::npos) << "a single .gz is named without .gz";
  Outcome folder = Tediag("analyze --format json " + Quoted(packed));
  EXPECT_EQ(folder.status, 0);
  for (const char* member :
       {"a.tar:Kap.crash", "b.tar.xz:Kap.crash", "c.tar.bz2:Kap.crash", "Kap.crash.gz:Kap.crash"}) {
    EXPECT_NE(folder.out.find(member), std::string::npos) << member << " " << folder.out;
  }
  EXPECT_NE(folder.out.find("\"hits\": 1,"), std::string::npos) << "one crash report, four copies";
}

// A sysdiagnose holds system_logs.logarchive: binary tracev3 files, never read as text. A log
// archive in a folder is read in place by the unified log reader (its tracev3 files here are
// junk, so each is named with the reader's problem, never as a "binary file"); inside a tar.gz
// it is unpacked to a temporary folder and read the same way, named by its place in the tar.
TEST_F(CliTest, AUnifiedLogArchiveIsReadInPlaceAndOneInsideATarIsUnpacked) {
  fs::path sysdiagnose = dir_ / "sysdiagnose_2026.12.01_10-10-10+0100_Mac";
  fs::path archive = sysdiagnose / "system_logs.logarchive";
  Write(archive / "Info.plist", "<?xml version=\"1.0\"?>\n<plist/>\n");
  for (const char* file : {"Persist/0000000000000001.tracev3", "Persist/0000000000000002.tracev3",
                           "Special/0000000000000003.tracev3", "timesync/0000000000000001.timesync"}) {
    Write(archive / file, std::string("\x00\x10\x00\x00\x11\x00\x00\x00", 8));
  }
  fs::copy_file(std::string(TEDIAG_SOURCE_DIR) + "/corpora/" + kKap, sysdiagnose / "Kap.crash");
  Outcome run = Tediag("analyze " + Quoted(sysdiagnose));
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("Persist/0000000000000001.tracev3  tracev3"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("not a tracev3 file"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("ROOT CAUSE"), std::string::npos) << "the crash report beside it is still read\n" << run.out;
  EXPECT_EQ(run.out.find("binary file"), std::string::npos) << run.out;
  Outcome named = Tediag("analyze " + Quoted(archive) + "/");
  EXPECT_EQ(named.status, 3);
  EXPECT_NE(named.err.find("not a tracev3 file"), std::string::npos) << named.err;
  // Inside a tar.gz, as a sysdiagnose is sent.
  std::string tgz = (dir_ / "sysdiagnose.tar.gz").string();
  ASSERT_EQ(
      std::system(
          ("cd '" + dir_.string() + "' && tar czf '" + tgz + "' '" + sysdiagnose.filename().string() + "'").c_str()),
      0);
  Outcome packed = Tediag("analyze '" + tgz + "'");
  EXPECT_EQ(packed.status, 0) << packed.err;
  EXPECT_NE(packed.out.find("ROOT CAUSE"), std::string::npos) << packed.out;
  EXPECT_NE(packed.err.find("sysdiagnose.tar.gz:" + sysdiagnose.filename().string() +
                            "/system_logs.logarchive/Persist/0000000000000001.tracev3: not a tracev3 file"),
            std::string::npos)
      << packed.err;
  EXPECT_EQ(Count(packed.err, "not a tracev3 file"), 3u) << packed.err;
  EXPECT_EQ(packed.err.find("cannot read here"), std::string::npos) << packed.err;
  EXPECT_EQ(packed.out.find("binary file"), std::string::npos) << packed.out;
}

// The .ips layout of macOS 11 and iOS 14 and before: the JSON header line, then a text report
// (tests/analyzer/read/golden/ips-text-body-ios13, credited in that folder's README).
TEST_F(CliTest, AnOlderIpsWithATextBodyIsReadWithoutAProblem) {
  std::string ips = "'" + std::string(TEDIAG_SOURCE_DIR) + "/tests/analyzer/read/golden/ips-text-body-ios13/input.ips'";
  Outcome run = Tediag("analyze --format json " + ips);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("\"errors_total\": 0"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("truncated"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"exception_type\": \"EXC_BAD_ACCESS\""), std::string::npos) << run.out;
}

}  // namespace
}  // namespace tediag
