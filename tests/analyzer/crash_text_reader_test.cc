// Text crash reports, read through the InputReader as a pasted file would be.
#include <gtest/gtest.h>

#include "analyzer.h"
#include "test_support.h"

namespace tediag {
namespace {

using testing::ReadText;

// Shape of a macOS 10.14 report (eviathan/Pelt#14), shortened.
constexpr std::string_view kLegacyReport = R"(Process:               Pelt [1234]
Path:                  /Applications/Pelt.app/Contents/MacOS/Pelt
Identifier:            com.eviathan.Pelt
Version:               1.0 (1)
Code Type:             X86-64 (Native)
Parent Process:        ??? [1]
Responsible:           Pelt [1234]
Date/Time:             2019-01-06 15:40:16.745 +0000
OS Version:            Mac OS X 10.14.2 (18C54)

Crashed Thread:        0

Exception Type:        EXC_CRASH (Code Signature Invalid)
Exception Codes:       0x0000000000000000, 0x0000000000000000
Exception Note:        EXC_CORPSE_NOTIFY

Termination Reason:    Namespace CODESIGNING, Code 0x1

kernel messages:

Thread 0 Crashed:
0   dyld                          	0x000000010c9c6000 _dyld_start + 0

Thread 0 crashed with X86 Thread State (64-bit):
  rax: 0x0000000000000000  rbx: 0x0000000000000000

Binary Images:
       0x10c9c5000 -        0x10ca2f70f  dyld (655.1) <D5E0F1F3-0D6D-3A51-8E10-2B4E76E2F8C3> /usr/lib/dyld

)";

TEST(CrashTextReader, ReadsALegacyReport) {
  auto result = ReadText(kLegacyReport);
  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  EXPECT_EQ(r.kind, RecordKind::kCrashReport);
  EXPECT_EQ(r.line, 13u);  // the Exception Type line
  EXPECT_EQ(r["process"], "Pelt");
  EXPECT_EQ(r["pid"], "1234");
  EXPECT_EQ(r["process_path"], "/Applications/Pelt.app/Contents/MacOS/Pelt");
  EXPECT_EQ(r["bundle_id"], "com.eviathan.Pelt");
  EXPECT_EQ(r["parent"], "???");
  EXPECT_EQ(r["os_version"], "Mac OS X 10.14.2 (18C54)");
  EXPECT_EQ(r["exception_type"], "EXC_CRASH");
  EXPECT_EQ(r["signal"], "Code Signature Invalid");
  EXPECT_EQ(r["termination_namespace"], "CODESIGNING");
  EXPECT_EQ(r["termination_code"], "1");
  EXPECT_EQ(r["frames"], "dyld _dyld_start");
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.formats, std::vector<InputFormat>{InputFormat::kCrash});
}

TEST(CrashTextReader, ReadsAppSpecificInformationAndTheCrashedThreadOnly) {
  auto result = ReadText(R"(Process:               Electron Helper [86207]
Parent Process:        Electron [86206]
Crashed Thread:        0  Dispatch queue: com.apple.main-thread

Exception Type:        EXC_BAD_INSTRUCTION (SIGILL)

Application Specific Information:
Could not set sandbox profile data: Operation not permitted (1)

Application Specific Signatures:
SYSCALL_SET_PROFILE

Thread 0 Crashed:: Dispatch queue: com.apple.main-thread
0   libsystem_secinit.dylib       	0x00007fff99b2249c _libsecinit_setup_app_sandbox + 768
1   libsystem_secinit.dylib       	0x00007fff99b21b21 _libsecinit_initialize_once + 20

Thread 1:
0   libsystem_kernel.dylib        	0x00007fff9a1f5f72 __workq_kernreturn + 10
)");
  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  EXPECT_EQ(r["parent"], "Electron");
  EXPECT_EQ(r["signal"], "SIGILL");
  EXPECT_EQ(r["app_specific"], "Could not set sandbox profile data: Operation not permitted (1)\nSYSCALL_SET_PROFILE");
  EXPECT_EQ(r["frames"],
            "libsystem_secinit.dylib _libsecinit_setup_app_sandbox\nlibsystem_secinit.dylib _libsecinit_initialize_once");
}

TEST(CrashTextReader, TranslatedReportAndItsFullReportCountOnce) {
  constexpr std::string_view kText = R"txt(-------------------------------------
Translated Report (Full Report Below)
-------------------------------------

Incident Identifier: CC173D06-68EA-4811-8C3C-CBB60CB93A20
Process:             Kap [6749]
Exception Type:  EXC_CRASH (SIGKILL (Code Signature Invalid))
Termination Reason: CODESIGNING 1

-----------
Full Report
-----------

{"app_name":"Kap","bug_type":"309","incident_id":"CC173D06-68EA-4811-8C3C-CBB60CB93A20"}
{
  "procName" : "Kap",
  "exception" : {"type":"EXC_CRASH","signal":"SIGKILL (Code Signature Invalid)"},
  "termination" : {"code":1,"namespace":"CODESIGNING"}
}
Model: MacBookPro16,1, BootROM 1715.81.2.0.0
)txt";
  // The reader delivers both copies, each with the report's incident id ...
  auto result = ReadText(kText);
  ASSERT_EQ(result.records.size(), 3u) << "the crash twice, and the trailing hardware line as text";
  EXPECT_EQ(result.records[0]["process"], "Kap");
  EXPECT_EQ(result.records[0]["termination_code"], "1");
  EXPECT_EQ(result.records[1]["termination_code"], "1");
  EXPECT_EQ(result.records[2].kind, RecordKind::kLogEvent);
  EXPECT_TRUE(result.errors.empty());
  // ... and the analysis counts the report once.
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "kap.txt", kText);
  EXPECT_EQ(report.inputs[0].records, 2u);
  ASSERT_FALSE(report.findings.empty());
  EXPECT_EQ(report.findings[0].hits, 1u);
}

TEST(CrashTextReader, TwoReportsInOnePasteAreTwoRecords) {
  auto result = ReadText("Process: A [1]\nException Type: EXC_CRASH (SIGABRT)\n\nProcess: B [2]\nException Type: EXC_BAD_ACCESS (SIGSEGV)\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["process"], "A");
  EXPECT_EQ(result.records[1]["process"], "B");
}

}  // namespace
}  // namespace tediag
