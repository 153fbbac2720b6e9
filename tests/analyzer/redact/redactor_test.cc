#include "redact/redactor.h"

#include <gtest/gtest.h>

#include "analyzer.h"
#include "report/report_writers.h"
#include "simdjson.h"
#include "test_support.h"

namespace tediag {
namespace {

bool Has(std::string_view haystack, std::string_view needle) { return haystack.find(needle) != std::string_view::npos; }

TEST(Redactor, HomeFolderTeachesTheUserNameWhichIsThenReplacedAsAWord) {
  Redactor redactor;
  std::string out = redactor.Redact(
      "dyld: Library not loaded: /Users/jappleseed/Downloads/Tool.app/Contents/Frameworks/A.framework/A\n"
      "jappleseed ran it from Terminal; JAPPLESEED again; jappleseedx is another word\n");
  EXPECT_EQ(out,
            "dyld: Library not loaded: /Users/<user-1>/Downloads/Tool.app/Contents/Frameworks/A.framework/A\n"
            "<user-1> ran it from Terminal; <user-1> again; jappleseedx is another word\n");
}

TEST(Redactor, SameValueSamePlaceholderAcrossCallsAndNumbersInReadingOrder) {
  Redactor redactor;
  EXPECT_EQ(redactor.Redact("from 192.168.17.42 and 10.0.0.7"), "from <ip-1> and <ip-2>");
  EXPECT_EQ(redactor.Redact("again 10.0.0.7, then 192.168.17.42:443"), "again <ip-2>, then <ip-1>:443");
  EXPECT_EQ(redactor.PlaceholderFor("10.0.0.7"), "<ip-2>");
  Redaction summary = redactor.Summary();
  ASSERT_EQ(summary.replaced.size(), 1u);
  EXPECT_EQ(summary.replaced[0].kind, "ip");
  EXPECT_EQ(summary.replaced[0].values, 2u);
  EXPECT_EQ(summary.replaced[0].occurrences, 4u);
}

TEST(Redactor, LearnFirstThenRedactCatchesANameSeenOnlyInAnotherText) {
  Redactor redactor;
  redactor.Learn(
      "Anonymous UUID: 0F0E0D0C-AAAA-BBBB-CCCC-DDDDEEEEFFFF\n"
      "Hardware UUID: 5B3C1E2A-9F4D-4C8B-A1E2-3D4F5A6B7C8D\nSerial Number (system): C02XK1ZZJGH5\n");
  EXPECT_EQ(redactor.PlaceholderFor("5B3C1E2A-9F4D-4C8B-A1E2-3D4F5A6B7C8D"), "");  // learned, not yet used
  EXPECT_EQ(redactor.Redact("powerd: wake 5b3c1e2a-9f4d-4c8b-a1e2-3d4f5a6b7c8d on C02XK1ZZJGH5."),
            "powerd: wake <machine-uuid-1> on <serial-1>.");
}

TEST(Redactor, EmailsHostsAndComputerNames) {
  Redactor redactor;
  std::string out = redactor.Redact(
      "Sent by johnny.appleseed@icloud.com from Johnny's MacBook Pro (orchard-07.local, Johnnys-MacBook-Pro-2)\n"
      "Computer Name: Johnny\xE2\x80\x99s iMac\n"
      "May  1 10:10:10 buildbox-3 kernel[0]: AMFI: denying\n"
      "2024-05-01 10:10:10.123456+0200 ci-runner-9 syspolicyd[123]: assessment denied\n"
      "again: buildbox-3, ci-runner-9, orchard-07, Johnny's MacBook Pro\n");
  EXPECT_EQ(out,
            "Sent by <email-1> from <host-1> (<host-2>.local, <host-3>)\n"
            "Computer Name: <host-4>\n"
            "May  1 10:10:10 <host-5> kernel[0]: AMFI: denying\n"
            "2024-05-01 10:10:10.123456+0200 <host-6> syspolicyd[123]: assessment denied\n"
            "again: <host-5>, <host-6>, <host-2>, <host-1>\n");
}

TEST(Redactor, ShellPromptsAndLegacyCrashReportNames) {
  Redactor redactor;
  EXPECT_EQ(redactor.Redact("a2@mac-01 ~ % sudo syspolicy_check distribution /Applications/Santa.app\n"
                            "Saved crash report for Messenger Helper[7649] to /Users/bryan.jowers/Library/Logs/"
                            "DiagnosticReports/Messenger Helper_2016-02-29-112415-1_SFBJOWERS.crash\n"
                            "ran by a2 on mac-01, then by bryan.jowers on SFBJOWERS\n"),
            "<user-1>@<host-1> ~ % sudo syspolicy_check distribution /Applications/Santa.app\n"
            "Saved crash report for Messenger Helper[7649] to /Users/<user-2>/Library/Logs/"
            "DiagnosticReports/Messenger Helper_2016-02-29-112415-1_<host-2>.crash\n"
            "ran by <user-1> on <host-1>, then by <user-2> on <host-2>\n");
}

TEST(Redactor, MachineIdentifiersFromCrashReportsAndJson) {
  Redactor redactor;
  std::string out = redactor.Redact(
      "Anonymous UUID:       A1B2C3D4-1111-2222-3333-444455556666\n"
      "Sleep/Wake UUID:      0F0E0D0C-AAAA-BBBB-CCCC-DDDDEEEEFFFF\n"
      "{\"crashReporterKey\" : \"9C8B7A69-5D4E-3F2A-1B0C-ABCDEF012345\",\"storeInfo\":{\"deviceIdentifierForVendor\":"
      "\"11112222-3333-4444-5555-666677778888\"}}\n"
      "\"IOPlatformSerialNumber\" = \"C02ZZ9XYMD6R\"\n"
      "en0: ether a4:83:e7:12:34:56 inet6 fe80::1c2b:3d4e:5f60:7a8b%en0 inet 172.16.4.20\n");
  EXPECT_EQ(out,
            "Anonymous UUID:       <machine-uuid-1>\n"
            "Sleep/Wake UUID:      <machine-uuid-2>\n"
            "{\"crashReporterKey\" : \"<machine-uuid-3>\",\"storeInfo\":{\"deviceIdentifierForVendor\":"
            "\"<machine-uuid-4>\"}}\n"
            "\"IOPlatformSerialNumber\" = \"<serial-1>\"\n"
            "en0: ether <mac-1> inet6 <ip-1>%en0 inet <ip-2>\n");
}

TEST(Redactor, KeepsWhatADiagnosisNeeds) {
  // Nothing here identifies a person or a machine: it must come back unchanged.
  const std::string_view kept =
      "Identifier=com.jappleseed.tool TeamIdentifier=ABCDE12345 CDHash=0f1e2d3c4b5a69788796a5b4c3d2e1f001020304\n"
      "/System/Library/Frameworks/AppKit.framework /Library/Apple/System /Applications/Tool.app /usr/lib/dyld\n"
      "/private/var/folders/xy/abcd1234/T/AppTranslocation/5A6B7C8D-0000-1111-2222-333344445555/d/Tool.app\n"
      "0x104e5c000 - 0x104e63fff Tool (1.0) <4044151C-2EEE-3A42-9F88-BDEE75975064> /Applications/Tool.app/Tool\n"
      "Termination Reason: CODESIGNING 1 Taskgated Invalid Signature; error -67062, OSStatus -1743, errno 163\n"
      "2024-05-01 10:10:10.123456+0200 0x1a2b Default 0x0 123 0 kernel: [12:34:56] code 0x22020201 at 15:22:01.5\n"
      "localhost 127.0.0.1 ::1 0.0.0.0 version 12.6.3 icon@2x.png std::string Foo::bar Thread 0 Crashed::\n"
      "Binary Images: /Users/Shared/Tool.app and the bootUUID are kept; /Users/USER/ is anonymous: the user\n"
      "2024-05-01 10:10:10.123456+0200 Error mdworker[123]: an Error level is not a host\n";
  Redactor redactor;
  EXPECT_EQ(redactor.Redact(kept), kept);
  EXPECT_TRUE(redactor.Summary().replaced.empty());
}

TEST(Redactor, ShortUserNamesOnlyInHomeFoldersAndRedactingTwiceChangesNothing) {
  Redactor redactor;
  std::string once = redactor.Redact("/Users/jo/Desktop/App.app by jo; /Users/mlee/x and the mlee");
  EXPECT_EQ(once, "/Users/<user-1>/Desktop/App.app by jo; /Users/<user-2>/x and the <user-2>");
  EXPECT_EQ(redactor.Redact(once), once);
}

TEST(Redactor, JsonEscapedPaths) {
  Redactor redactor;
  EXPECT_EQ(redactor.Redact(R"({"procPath":"\/Users\/jappleseed\/Apps\/Tool.app\/Contents\/MacOS\/Tool"})"),
            R"({"procPath":"\/Users\/<user-1>\/Apps\/Tool.app\/Contents\/MacOS\/Tool"})");
}

TEST(Redactor, ReportIsRedactedAndSaysWhat) {
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "/Users/jappleseed/Desktop/ticket.txt",
                              "Error: 'Not authorized to send Apple events to Finder.' (-1743) "
                              "for /Users/jappleseed/Apps/Tool.app on orchard-07.local\n");
  ASSERT_FALSE(report.diagnoses.empty());
  Redactor redactor;
  redactor.RedactReport(report);
  ASSERT_TRUE(report.redaction);
  ASSERT_EQ(report.redaction->replaced.size(), 2u);
  EXPECT_EQ(report.redaction->replaced[0].kind, "user");
  EXPECT_EQ(report.redaction->replaced[1].kind, "host");

  std::string text = RenderText(report, {});
  EXPECT_TRUE(Has(text, "/Users/<user-1>/Desktop/ticket.txt"));
  EXPECT_TRUE(Has(text, "Redacted: replaced 1 user name (<user-N>"));
  EXPECT_FALSE(Has(text, "jappleseed"));
  std::string md = RenderMarkdown(report);
  EXPECT_TRUE(Has(md, "Redacted: replaced 1 user name (`<user-N>`"));
  EXPECT_FALSE(Has(md, "jappleseed"));

  std::string json = RenderJson(report, {.tool_version = "1"});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  EXPECT_TRUE(bool(root["redaction"]["applied"]));
  EXPECT_EQ(std::string_view(root["redaction"]["replaced"].at(0)["kind"]), "user");
  EXPECT_EQ(uint64_t(root["redaction"]["replaced"].at(1)["values"]), 1u);
  EXPECT_FALSE(Has(json, "jappleseed"));
  EXPECT_FALSE(Has(json, "orchard-07"));
}

TEST(Redactor, UnredactedReportSaysSoInJson) {
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "x", "all good\n");
  std::string json = RenderJson(report, {.tool_version = "1"});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  EXPECT_FALSE(bool(root["redaction"]["applied"]));
  EXPECT_FALSE(Has(RenderText(report, {}), "Redacted"));
}

}  // namespace
}  // namespace tediag
