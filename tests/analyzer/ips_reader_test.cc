#include "read/ips_reader.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace tediag {
namespace {

// Header line + compact body, in the shape of a macOS 14 report (mcastel1/thelemacus), shortened.
constexpr std::string_view kHeader =
    R"x({"app_name":"Thelemacus","timestamp":"2024-01-18 10:55:52.00 +0100","app_version":"","bug_type":"309","os_version":"macOS 14.1 (23B74)","bundleID":"com.thelemacus","incident_id":"A1B2C3D4-0000-0000-0000-000000000001","name":"Thelemacus"})x";
constexpr std::string_view kBody = R"x({
  "procName" : "Thelemacus",
  "procPath" : "\/Applications\/Thelemacus.app\/Contents\/MacOS\/Thelemacus",
  "pid" : 4242,
  "parentProc" : "launchd",
  "codeSigningID" : "com.thelemacus",
  "codeSigningTeamID" : "",
  "codeSigningFlags" : 570556929,
  "codeSigningValidationCategory" : 10,
  "exception" : {"codes":"0x0000000000000032, 0x000000010101c000","rawCodes":[50,4311859200],"type":"EXC_BAD_ACCESS","signal":"SIGKILL (Code Signature Invalid)","subtype":"UNKNOWN_0x32 at 0x000000010101c000"},
  "termination" : {"flags":0,"code":2,"namespace":"CODESIGNING","indicator":"Invalid Page"},
  "asi" : {"libsystem_c.dylib":["abort() called"]},
  "faultingThread" : 0,
  "threads" : [{"triggered":true,"frames":[{"imageOffset":4096,"symbol":"_dyld_start","imageIndex":0}]}],
  "usedImages" : [{"name":"dyld","path":"\/usr\/lib\/dyld"}]
})x";

TEST(IpsReader, ReadsHeaderAndBody) {
  IpsReader reader;
  auto report = reader.Read(kHeader, kBody);
  ASSERT_TRUE(report.ok()) << report.status();
  CrashReport& r = *report;
  EXPECT_EQ(r[Field::kProcess], "Thelemacus");
  EXPECT_EQ(r[Field::kProcessPath], "/Applications/Thelemacus.app/Contents/MacOS/Thelemacus");
  EXPECT_EQ(r[Field::kBundleId], "com.thelemacus");
  EXPECT_EQ(r[Field::kOsVersion], "macOS 14.1 (23B74)");
  EXPECT_EQ(r[Field::kPid], "4242");
  EXPECT_EQ(r[Field::kParent], "launchd");
  EXPECT_EQ(r[Field::kExceptionType], "EXC_BAD_ACCESS");
  EXPECT_EQ(r[Field::kSignal], "SIGKILL (Code Signature Invalid)");
  EXPECT_EQ(r[Field::kExceptionCodes], "0x0000000000000032, 0x000000010101c000");
  EXPECT_EQ(r[Field::kTerminationNamespace], "CODESIGNING");
  EXPECT_EQ(r[Field::kTerminationCode], "2");
  EXPECT_EQ(r[Field::kTerminationIndicator], "Invalid Page");
  EXPECT_EQ(r[Field::kAppSpecific], "abort() called");
  EXPECT_EQ(r[Field::kFrames], "dyld _dyld_start");
  EXPECT_EQ(r[Field::kCodeSigningId], "com.thelemacus");
  EXPECT_EQ(r[Field::kValidationCategory], "10 (none)");
  EXPECT_EQ(r.incident, "A1B2C3D4-0000-0000-0000-000000000001");
}

TEST(IpsReader, FindsAReportWithTextBeforeAndAfter) {
  std::string text = "My app crashes at launch, here is the report:\n\n";
  text.append(kHeader).append("\n").append(kBody).append("\nThanks for any help!\n");
  auto result = testing::ReadText(text);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0].kind, RecordKind::kLogEvent);
  EXPECT_EQ(result.records[1].kind, RecordKind::kCrashReport);
  EXPECT_EQ(result.records[1].line, 3u);
  EXPECT_EQ(result.records[1]["termination_code"], "2");
  EXPECT_EQ(result.records[2].line, 20u);
  EXPECT_TRUE(result.errors.empty());
}

TEST(IpsReader, ReadsABodyPastedWithoutItsHeader) {
  auto result = testing::ReadText(kBody);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0]["process"], "Thelemacus");
}

TEST(IpsReader, ReportsATruncatedBodyAndGoesOn) {
  std::string text(kHeader);
  text.append("\n{\n  \"procName\" : \"Thel");
  auto result = testing::ReadText(text);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].first, 1u);
  EXPECT_NE(result.errors[0].second.find("not followed by a complete JSON body"), std::string::npos);
  // The broken body's text is still read, as loose text.
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[1].line, 3u);
}

}  // namespace
}  // namespace tediag
