// The InputReader over each unified-log style, and over mixed and damaged input.
#include "read/input_reader.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace tediag {
namespace {

using testing::ReadText;

TEST(InputReader, NdjsonSkipsPreambleAndFooterAndReportsBadLines) {
  auto result = ReadText(
      "Filtering the log data using \"process == \\\"amfid\\\"\"\n"
      R"({"timestamp":"2024-01-12 10:11:12.123456-0800","processImagePath":"\/usr\/libexec\/amfid","processID":401,"senderImagePath":"\/usr\/libexec\/amfid","subsystem":"","category":"","messageType":"Error","eventType":"logEvent","eventMessage":"\/Applications\/X.app\/Contents\/MacOS\/X not valid: Error Domain=AppleMobileFileIntegrityError Code=-423"})"
      "\n"
      R"({"eventMessage":"broken", "processID": })"
      "\n"
      R"({"traceID":45473881108119556,"eventMessage":"line one\nline two","processImagePath":"/kernel","senderImagePath":"/System/Library/Extensions/AppleMobileFileIntegrity.kext/Contents/MacOS/AppleMobileFileIntegrity","processID":0,"userID":2863311530})"
      "\n"
      R"({"count":3,"finished":1})"
      "\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["process"], "amfid");
  EXPECT_EQ(result.records[0]["process_path"], "/usr/libexec/amfid");
  EXPECT_EQ(result.records[0]["pid"], "401");
  EXPECT_EQ(result.records[0]["message_type"], "Error");
  EXPECT_EQ(result.records[0].line, 2u);
  EXPECT_EQ(result.records[1]["message"], "line one\nline two");
  EXPECT_EQ(result.records[1]["sender"], "AppleMobileFileIntegrity");
  EXPECT_EQ(result.records[1]["process"], "kernel");
  EXPECT_EQ(result.records[1].line, 4u);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].first, 3u);
  EXPECT_EQ(result.formats, std::vector<InputFormat>{InputFormat::kNdjson});
}

TEST(InputReader, JsonStyleArrayWithPreamble) {
  auto result = ReadText(R"(Skipping info and debug messages, pass --info and/or --debug to include.
[{
  "timezoneName" : "",
  "messageType" : "Default",
  "eventType" : "logEvent",
  "processImagePath" : "\/usr\/libexec\/syspolicyd",
  "eventMessage" : "GK process assessment: \/Applications\/A.app"
},{
  "processImagePath" : "\/usr\/sbin\/spindump",
  "eventMessage" : "second"
}]
)");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["process"], "syspolicyd");
  EXPECT_EQ(result.records[0].line, 2u);
  EXPECT_EQ(result.records[1]["message"], "second");
  EXPECT_EQ(result.records[1].line, 8u);
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.formats, std::vector<InputFormat>{InputFormat::kJson});
}

TEST(InputReader, JsonStyleArrayCutShortKeepsWhatCameBefore) {
  auto result = ReadText("[{\n  \"eventMessage\" : \"first\"\n},{\n  \"eventMessage\" : \"sec");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["message"], "first");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].first, 3u);
  // What follows the broken entry is still read, as text.
  EXPECT_EQ(result.records[1].line, 4u);
}

TEST(InputReader, TextAfterABrokenArrayIsStillRead) {
  auto result = ReadText(
      "[{\"eventMessage\":\"x\"}\nsome text\n"
      "ASP: Security policy would not allow process: 1, /Applications/A.app/Contents/MacOS/A\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].first, 2u);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[2].line, 3u);
}

TEST(InputReader, BracesThatAreNotJsonAreReadAsText) {
  // An NSAppleScript error dictionary as apps log it: braces, but not JSON.
  auto result = ReadText(
      "AppleScript error:\n{\n    NSAppleScriptErrorBriefMessage = \"Not authorized to send Apple "
      "events to System Events.\";\n    NSAppleScriptErrorNumber = \"-1743\";\n}\n");
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.records.size(), 5u);
  EXPECT_EQ(result.records[2]["message"],
            "NSAppleScriptErrorBriefMessage = \"Not authorized to send Apple events to System Events.\";");
}

TEST(InputReader, ManyUnclosedBracesStayLinear) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "{\"x\n";
  auto result = ReadText(text);  // would take minutes if each line scanned to the end
  EXPECT_EQ(result.records.size() + result.errors.size(), 200000u + 1u);
}

TEST(InputReader, DefaultStyleJoinsContinuationLinesAndSkipsFooter) {
  auto result = ReadText(
      "Timestamp                       Thread     Type        Activity             PID    TTL  \n"
      "2023-01-01 10:00:00.000001+0100 0x1        Default     0x0                  88     0    sharingd: Discoverable "
      "mode changed to\n"
      "    Contacts Only\n"
      "2023-01-01 10:00:00.000002+0100 0x1        Error       0x0                  0      0    kernel: "
      "(AppleSystemPolicy) ASP: Security policy would not allow process: 1, /A\n"
      "----------------------------------------------------------------------------------------------------------------"
      "----\n"
      "Log      - Default:          1, Info:                0, Debug:             0, Error:          1, Fault:         "
      " 0\n"
      "Activity - Create:           0, Transition:          0, Actions:           0\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["message"], "Discoverable mode changed to\n    Contacts Only");
  EXPECT_EQ(result.records[1]["sender"], "AppleSystemPolicy");
  EXPECT_TRUE(result.errors.empty());
}

TEST(InputReader, MixedLogThenCrashReport) {
  auto result = ReadText(
      "Here is what Console showed:\n"
      "2022-11-14 13:21:15.341 Df kernel[0:1f4918] CODE SIGNING: cs_invalid_page(0x1): p=5[Foo]\n"
      "and the crash report:\n"
      "\n"
      "Process:               Foo [5]\n"
      "Exception Type:        EXC_BAD_ACCESS (SIGKILL (Code Signature Invalid))\n"
      "Termination Reason:    Namespace CODESIGNING, Code 2 Invalid Page\n");
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[1]["process"], "kernel");
  // After a log entry, an unrecognised line is taken as the entry's continuation; one that goes
  // on mid-sentence is joined to it first, as a wrapped line (paste_normalizer.h).
  EXPECT_EQ(result.records[1]["message"], "CODE SIGNING: cs_invalid_page(0x1): p=5[Foo] and the crash report:");
  EXPECT_EQ(result.records[2].kind, RecordKind::kCrashReport);
  EXPECT_EQ(result.records[2]["termination_code"], "2");
  std::vector<InputFormat> expected{InputFormat::kText, InputFormat::kCompact, InputFormat::kCrash};
  EXPECT_EQ(result.formats, expected);
}

TEST(InputReader, LinesAfterACrashReportAreStillRead) {
  auto result = ReadText(
      "Process:               Foo [5]\n"
      "Code Type:             ARM-64 (Native)\n"
      "Exception Type:        EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
      "\n"
      "Thread 0 Crashed:\n"
      "0   dyld  0x1 _dyld_start + 0\n"
      "\n"
      "Then Console showed:\n"
      "ASP: Security policy would not allow process: 5, /Applications/Foo.app/Contents/MacOS/Foo\n");
  // Lines the crash reader does not understand are delivered as text at once; the report
  // itself when it ends.
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0]["message"], "Then Console showed:");
  EXPECT_EQ(result.records[1].line, 9u);
  EXPECT_EQ(result.records[1]["message"],
            "ASP: Security policy would not allow process: 5, /Applications/Foo.app/Contents/MacOS/Foo");
  EXPECT_EQ(result.records[2].kind, RecordKind::kCrashReport);
  EXPECT_EQ(result.records[2]["frames"], "dyld _dyld_start");
}

TEST(InputReader, HandlesCrlfAndAByteOrderMark) {
  auto result = ReadText(
      "\xEF\xBB\xBF"
      "2023-03-15 21:41:04.947799+0100 0xeee4bd   Default     0x0   0      0    kernel: hello\r\n");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0]["message"], "hello");
}

TEST(InputReader, SpctlDetailLinesStayWithTheirVerdict) {
  auto result = ReadText("BrowBro.dmg: rejected\nsource=no usable signature\nsomething else\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["message"], "BrowBro.dmg: rejected\nsource=no usable signature");
}

TEST(InputReader, OptionalJsonFieldsOfAnotherTypeAreIgnored) {
  auto result = ReadText(
      R"({"eventMessage":"exec of /A denied since it was quarantined","senderImagePath":null,"processID":18446744073709551615})");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.records[0]["pid"], "18446744073709551615");
}

TEST(InputReader, InvalidUtf8IsReplaced) {
  auto result =
      ReadText("ASP: Security policy would not allow process: 1, /Applications/\xff\xfe.app/Contents/MacOS/X\n");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(
      result.records[0]["message"],
      "ASP: Security policy would not allow process: 1, /Applications/\xEF\xBF\xBD\xEF\xBF\xBD.app/Contents/MacOS/X");
}

TEST(InputReader, EmptyInputHasNoRecordsAndNoErrors) {
  auto result = ReadText("");
  EXPECT_TRUE(result.records.empty());
  EXPECT_TRUE(result.errors.empty());
}

}  // namespace
}  // namespace tediag
