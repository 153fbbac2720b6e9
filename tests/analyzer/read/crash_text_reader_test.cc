// Text crash reports, read through the InputReader as a pasted file would be.
#include "read/crash_text_reader.h"

#include <gtest/gtest.h>

#include "analyzer.h"
#include "test_support.h"
#include "util/text_util.h"

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
  EXPECT_EQ(
      r["frames"],
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
  auto result = ReadText(
      "Process: A [1]\nException Type: EXC_CRASH (SIGABRT)\n\nProcess: B [2]\nException Type: EXC_BAD_ACCESS "
      "(SIGSEGV)\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["process"], "A");
  EXPECT_EQ(result.records[1]["process"], "B");
}

using Errors = std::vector<std::pair<uint64_t, std::string>>;

// The one crash record among what was read (a report is delivered when it ends, after the text
// lines read while it was open).
testing::ReadRecord OnlyCrash(const testing::ReadResult& result) {
  std::vector<testing::ReadRecord> crashes;
  for (const auto& record : result.records) {
    if (record.kind == RecordKind::kCrashReport) crashes.push_back(record);
  }
  EXPECT_EQ(crashes.size(), 1u);
  return crashes.empty() ? testing::ReadRecord{} : crashes[0];
}

TEST(CrashTextReader, AWholeReportHasNoNotice) { EXPECT_TRUE(ReadText(kLegacyReport).errors.empty()); }

TEST(CrashTextReader, ATerminationReasonQuotedAloneInProseIsACrashReport) {
  // klpod221/kerminal#6 (grayson85): only the OS Version line and the termination block were
  // pasted, between sentences (the Reason line shortened here).
  auto result = ReadText(R"(The app will not open after I downloaded it:

OS Version:            macOS 15.3.1 

Termination Reason:    Namespace DYLD, Code 1 Library missing
Library not loaded: @rpath/Electron Framework.framework/Electron Framework
Reason: tried: '/Users/p1321318/Desktop/Kerminal.app/Contents/Frameworks/Electron Framework.framework/Electron Framework' (code signature in <4C4C443F-5555-3144-A179-1C0DD1A96A48> '/Users/p1321318/Desktop/Kerminal.app/Contents/Frameworks/Electron Framework.framework/Versions/A/Electron Framework' not valid for use in process: mapping process and mapped file (non-platform) have different Team IDs)
(terminated at launch; ignore backtrace)

Is it not signed?
)");
  ASSERT_EQ(result.records.size(), 4u);
  const auto r = OnlyCrash(result);
  EXPECT_EQ(r.line, 5u);
  EXPECT_EQ(r["termination_namespace"], "DYLD");
  EXPECT_EQ(r["termination_code"], "1");
  EXPECT_EQ(r["termination_indicator"], "Library missing");
  EXPECT_NE(r["termination_details"].find("have different Team IDs"), std::string::npos);
  EXPECT_EQ(result.records[1].text, "OS Version:            macOS 15.3.1");
  EXPECT_EQ(result.records[2].text, "Is it not signed?");
  EXPECT_EQ(result.errors, (Errors{{5, std::string(kTruncatedCrashReport)}}));
}

TEST(CrashTextReader, EveryTextFormOfTheTerminationReason) {
  // Forms from real reports in corpora/ and ../shared/realworld (macOS 10.12 to 27).
  struct Case {
    std::string_view line, ns, code, indicator;
  } cases[] = {
      {"Termination Reason:    Namespace CODESIGNING, Code 0x1", "CODESIGNING", "1", ""},
      {"Termination Reason: CODESIGNING 1 ", "CODESIGNING", "1", ""},
      {"Termination Reason: CODESIGNING 1 Taskgated Invalid Signature", "CODESIGNING", "1",
       "Taskgated Invalid Signature"},
      {"Termination Reason:  Namespace CODESIGNING, Code 2, Invalid Page", "CODESIGNING", "2", "Invalid Page"},
      {"Termination Reason: CODESIGNING 4 Launch Constraint Violation", "CODESIGNING", "4",
       "Launch Constraint Violation"},
      {"Termination Reason:    Namespace DYLD, Code 1 Library missing", "DYLD", "1", "Library missing"},
      {"Termination Reason: DYLD, [0x1] Library missing", "DYLD", "1", "Library missing"},
      {"Termination Reason:    Namespace TCC, Code 0 ", "TCC", "0", ""},
      {"Termination Reason: RUNNINGBOARD | Code 0xDEAD10CC   ", "RUNNINGBOARD", "3735883980", ""},
      {"Termination Reason: Namespace CODESIGNING, Code 1 ...", "CODESIGNING", "1", ""},
      {"Termination Reason: Namespace CODESIGNING, Code 2 Invalid Page [...]", "CODESIGNING", "2", "Invalid Page"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    auto result = ReadText(StrCat("So the report says\n", c.line, "\n\nwhat does it mean?\n"));
    ASSERT_EQ(result.records.size(), 3u);
    const auto r = OnlyCrash(result);
    EXPECT_EQ(r["termination_namespace"], c.ns);
    EXPECT_EQ(r["termination_code"], c.code);
    EXPECT_EQ(r["termination_indicator"], c.indicator);
    EXPECT_EQ(result.errors, (Errors{{2, std::string(kTruncatedCrashReport)}}));
  }
}

TEST(CrashTextReader, FieldsQuotedAloneAreOneReportTheRulesSee) {
  constexpr std::string_view kText = R"(I get this when launching:

Exception Type:    EXC_BAD_ACCESS (SIGKILL (Code Signature Invalid))
Exception Subtype: UNKNOWN_0x32 at 0x0000000104a7c000
Exception Codes:   0x0000000000000032, 0x0000000104a7c000
Termination Signal:    Killed: 9

after re-signing it still happens
)";
  auto result = ReadText(kText);
  ASSERT_EQ(result.records.size(), 3u);
  const auto r = OnlyCrash(result);
  EXPECT_EQ(r["exception_type"], "EXC_BAD_ACCESS");
  EXPECT_EQ(r["signal"], "SIGKILL (Code Signature Invalid)");
  EXPECT_EQ(r["exception_subtype"], "UNKNOWN_0x32 at 0x0000000104a7c000");
  EXPECT_EQ(r["exception_codes"], "0x0000000000000032, 0x0000000104a7c000");
  EXPECT_EQ(r.line, 3u);
  EXPECT_EQ(result.records[1].text, "after re-signing it still happens");
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "post.txt", kText);
  ASSERT_FALSE(report.diagnoses.empty());
  EXPECT_EQ((*RootCause(report)).rule->class_slug, "code-signature-invalid");
}

TEST(CrashTextReader, ApplicationSpecificInformationQuotedAlone) {
  // The ASI block of an Electron helper (electron/electron#3771), quoted without the report.
  auto result = ReadText(
      "It dies with\n\nApplication Specific Information:\n"
      "Could not set sandbox profile data: Operation not permitted (1)\n\nany ideas?\n");
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(OnlyCrash(result)["app_specific"], "Could not set sandbox profile data: Operation not permitted (1)");
  EXPECT_EQ(result.records[1].text, "any ideas?");
}

TEST(CrashTextReader, ElisionsInsideAReportDoNotEndIt) {
  // mhogomchungu/sirikali (macOS 27 beta): the reporter elided the middle with "[...]" and the
  // key and identifier with "..."; here with the termination block after an elision.
  constexpr std::string_view kText = R"(Process:             SiriKali [3035]
Path:                /Applications/SiriKali.app/Contents/MacOS/SiriKali
Crash Reporter Key:  ...
Incident Identifier: ...

[...]

Exception Type:    EXC_BAD_ACCESS (SIGKILL (Code Signature Invalid))
<…>
Exception Codes:   0x0000000000000032, 0x0000000104a7c000
…
Termination Reason:  Namespace CODESIGNING, Code 2, Invalid Page

[...]

Model: MacBookAir10,1, ...
)";
  auto result = ReadText(kText);
  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  EXPECT_EQ(r["process"], "SiriKali");
  EXPECT_EQ(r.line, 8u);
  EXPECT_EQ(r["exception_codes"], "0x0000000000000032, 0x0000000104a7c000");
  EXPECT_EQ(r["termination_code"], "2");
  EXPECT_EQ(r["termination_indicator"], "Invalid Page");
  EXPECT_EQ(result.errors, (Errors{{8, std::string(kTruncatedCrashReport)}}));
  // "..." is not an identifier: two reports elided so are not taken for copies of one.
  CrashTextReader reader;
  reader.Begin(1);
  for (std::string_view line : Split(kText, '\n')) reader.Feed(line, 1);
  EXPECT_EQ(reader.report().incident, "");
  EXPECT_TRUE(reader.incomplete());
}

}  // namespace
}  // namespace tediag

namespace tediag {
namespace {

TEST(CrashTextReader, TheRegionTableUnderVmRegionInfoNamesTheFaultingRegion) {
  // macOS 12+ text form: a summary after "VM Region Info:", then the table whose "--->" row holds
  // the faulting address (nix-darwin/nix-darwin#1570: git killed on an invalid page of its own
  // __TEXT, which is a file page, not generated code).
  constexpr std::string_view kText = R"(Exception Type:        EXC_BAD_ACCESS (SIGKILL (Code Signature Invalid))
Exception Codes:       UNKNOWN_0x32 at 0x0000000100f359fb
Exception Codes:       0x0000000000000032, 0x0000000100f359fb

Termination Reason:    Namespace CODESIGNING, Code 2 Invalid Page

VM Region Info: 0x100f359fb is in 0x100c68000-0x100fa4000;  bytes after start: 2939387  bytes before end: 452100
      REGION TYPE                    START - END         [ VSIZE] PRT/MAX SHRMOD  REGION DETAIL
      UNUSED SPACE AT START
--->  __TEXT                      100c68000-100fa4000    [ 3312K] r-x/r-x SM=COW  /Volumes/VOLUME/*/git
      __DATA_CONST                100fa4000-100fb4000    [   64K] r--/rw- SM=COW  /Volumes/VOLUME/*/git

Thread 0 Crashed::  Dispatch queue: com.apple.main-thread
0   libintl.8.dylib               	       0x1011bc638 libintl_setlocale + 52
)";
  auto result = ReadText(kText);
  const auto r = OnlyCrash(result);
  EXPECT_EQ(r["vm_region"],
            "0x100f359fb is in 0x100c68000-0x100fa4000;  bytes after start: 2939387  bytes before end: 452100\n"
            "--->  __TEXT                      100c68000-100fa4000    [ 3312K] r-x/r-x SM=COW  /Volumes/VOLUME/*/git");
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "issue.md", kText);
  ASSERT_FALSE(report.diagnoses.empty());
  EXPECT_EQ((*RootCause(report)).rule->class_slug, "code-signature-invalid");
}

}  // namespace
}  // namespace tediag
