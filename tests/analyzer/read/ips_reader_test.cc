#include "read/ips_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer.h"
#include "test_support.h"
#include "util/text_util.h"

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

TEST(IpsReader, ATruncatedBodyGivesWhatItsHeaderHolds) {
  // Cut inside the first member: nothing of the body is whole, the header still names the app.
  std::string text(kHeader);
  text.append("\n{\n  \"procName\" : \"Thel");
  auto result = testing::ReadText(text);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].kind, RecordKind::kCrashReport);
  EXPECT_EQ(result.records[0].line, 1u);
  EXPECT_EQ(result.records[0]["process"], "Thelemacus");
  EXPECT_EQ(result.records[0]["bundle_id"], "com.thelemacus");
  EXPECT_EQ(result.records[0]["process_path"], "") << "a value cut in its middle is left out";
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0], (std::pair<uint64_t, std::string>{1, std::string(kTruncatedCrashReport)}));
}

// A real macOS 14.1 report, the file of corpora/code-signature-invalid/thelemacus-14.1-invalid-page-ips
// (from mcastel1/thelemacus, main.cpp): header line, pretty body of 11 KB. The corpus keeps it as
// published, inside a source comment that indents every line by one space; the report as the system
// wrote it is that text without the comment's space.
std::string ThelemacusReport() {
  std::ifstream in(std::string(TEDIAG_SOURCE_DIR) +
                   "/corpora/code-signature-invalid/thelemacus-14.1-invalid-page-ips/Thelemacus-2024-01-18-105552.ips");
  std::string report, line;
  while (std::getline(in, line)) report += (line.starts_with(' ') ? line.substr(1) : line) + "\n";
  return report;
}

TEST(IpsReader, AWholeRealReportReadsWithoutNotice) {
  auto result = testing::ReadText(ThelemacusReport());
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_TRUE(result.errors.empty());
  const auto& r = result.records[0];
  EXPECT_EQ(r["termination_code"], "2");
  EXPECT_EQ(r["codesigning_flags"].substr(0, 10), "0x23020200");
  EXPECT_NE(r["frames"].find("dyld start"), std::string::npos);
}

// Pasted into an issue, a report is cut at the site's limit. Each cut gives the fields of the
// whole report that lie before it, with the same values, and a notice at the header's line.
TEST(IpsReader, ARealReportCutAtSizeLimitsGivesTheFieldsBeforeTheCut) {
  const std::string whole = ThelemacusReport();
  auto full = testing::ReadText(whole);
  ASSERT_EQ(full.records.size(), 1u);
  for (size_t size : {2048, 4096, 8192, 10000}) {
    SCOPED_TRACE(size);
    auto cut = testing::ReadText(std::string_view(whole).substr(0, size));
    ASSERT_EQ(cut.records.size(), 1u);
    const auto& r = cut.records[0];
    EXPECT_EQ(r.kind, RecordKind::kCrashReport);
    EXPECT_EQ(r.line, 1u);
    for (const auto& [name, value] : r.fields) {
      EXPECT_EQ(value, full.records[0][name]) << name;
    }
    EXPECT_EQ(r["process"], "Thelemacus");
    EXPECT_EQ(r["bundle_id"], "org.wxwidgets.Thelemacus");
    EXPECT_EQ(r["process_path"], "/Users/USER/Desktop/Thelemacus.app/Contents/MacOS/Thelemacus");
    EXPECT_EQ(r["codesigning_flags"].empty(), size < 1700);
    EXPECT_EQ(r["exception_type"].empty(), size < 2700) << "the exception line ends at byte 2680";
    if (size >= 4096) {
      EXPECT_EQ(r["signal"], "SIGKILL (Code Signature Invalid)");
      EXPECT_EQ(r["exception_codes"], "0x0000000000000032, 0x000000010101c000");
      EXPECT_EQ(r["termination_namespace"], "CODESIGNING");
      EXPECT_EQ(r["termination_indicator"], "Invalid Page");
      EXPECT_NE(r["vm_region"].find("--->  mapped file"), std::string::npos);
    }
    // The images come after the threads: a frame list without them would name no image.
    if (size <= 8192) {
      EXPECT_EQ(r["frames"], "");
    }
    ASSERT_EQ(cut.errors.size(), 1u);
    EXPECT_EQ(cut.errors[0], (std::pair<uint64_t, std::string>{1, std::string(kTruncatedCrashReport)}));
  }
  // And the rules see it: the 4 KB top already names the cause the whole report gives.
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "cut.ips", std::string_view(whole).substr(0, 4096));
  ASSERT_TRUE(report.diagnosis.has_value());
  EXPECT_EQ(report.findings[report.diagnosis->finding].rule->id, "csi-crash-invalid-page");
}

TEST(IpsReader, TextAfterACutReportIsReadOnItsOwnLines) {
  // As in an issue: a fence, the cut report, the fence's end and a comment. The fence lines are
  // markup (the paste normaliser drops them); what is around the report keeps its own lines.
  std::string whole = ThelemacusReport();
  std::string text = "The crash report:\n```\n" + whole.substr(0, 4096) + "\n```\n\nThanks for any help!\n";
  auto result = testing::ReadText(text);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0].text, "The crash report:");
  EXPECT_EQ(result.records[1].kind, RecordKind::kCrashReport);
  EXPECT_EQ(result.records[1].line, 3u);
  EXPECT_EQ(result.records[1]["termination_code"], "2");
  size_t cut_end = text.find("\n```\n\n");
  uint64_t fence_line =
      static_cast<uint64_t>(std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(cut_end), '\n')) + 2;
  EXPECT_EQ(result.records[2].text, "Thanks for any help!");
  EXPECT_EQ(result.records[2].line, fence_line + 2);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].first, 3u);
}

// Every .ips in corpora/, cut every 256 bytes: each cut gives one report whose fields are those of
// the whole report (a multi-line field may hold its first lines only), and the notice.
TEST(IpsReader, EveryCorpusReportCutAnywhereGivesFieldsOfTheWholeReport) {
  size_t reports = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(TEDIAG_SOURCE_DIR) + "/corpora")) {
    if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".")) continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string whole = buffer.str();
    if (!IpsReader::IsHeader(whole.substr(0, whole.find('\n')))) continue;
    auto full = testing::ReadText(whole);
    if (full.records.size() != 1 || !full.errors.empty()) continue;
    ++reports;
    SCOPED_TRACE(entry.path().string());
    for (size_t size = whole.find('\n') + 2; size < whole.size() - 2; size += 256) {
      SCOPED_TRACE(size);
      auto cut = testing::ReadText(std::string_view(whole).substr(0, size));
      ASSERT_EQ(cut.records.size(), 1u);
      EXPECT_EQ(cut.records[0].kind, RecordKind::kCrashReport);
      for (const auto& [name, value] : cut.records[0].fields) {
        std::string expected = full.records[0][name];
        bool lines = name == "frames" || name == "app_specific" || name == "termination_details";
        if (lines && expected.size() > value.size() && expected[value.size()] == '\n') expected.resize(value.size());
        EXPECT_EQ(value, expected) << name;
      }
      EXPECT_EQ(cut.errors, (std::vector<std::pair<uint64_t, std::string>>{{1, std::string(kTruncatedCrashReport)}}));
    }
  }
  EXPECT_GE(reports, 3u) << "the corpus holds .ips reports";
}

TEST(IpsReader, ACompactBodyCutInItsOneLine) {
  // The same body written compact, on one line, as some tools save it, cut inside "threads".
  std::string compact;
  for (std::string_view line : Split(kBody, '\n')) compact.append(StripWhitespace(line));
  auto result = testing::ReadText(StrCat(kHeader, "\n", compact.substr(0, compact.find("\"frames\""))));
  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  EXPECT_EQ(r["process_path"], "/Applications/Thelemacus.app/Contents/MacOS/Thelemacus");
  EXPECT_EQ(r["termination_code"], "2");
  EXPECT_EQ(r["app_specific"], "abort() called");
  EXPECT_EQ(r["validation_category"], "10 (none)");
  EXPECT_EQ(r["frames"], "");
  EXPECT_EQ(result.errors.size(), 1u);
}

TEST(IpsReader, ATranslatedReportAndItsCutFullReportCountOnce) {
  // Console's copy: the Translated Report, then the Full Report's JSON, cut by the site.
  std::string text = StrCat("Incident Identifier: A1B2C3D4-0000-0000-0000-000000000001\nProcess: Thelemacus [4242]\n",
                            "Exception Type:  EXC_BAD_ACCESS (SIGKILL (Code Signature Invalid))\n",
                            "Termination Reason: Namespace CODESIGNING, Code 2 Invalid Page\n\n", kHeader, "\n",
                            kBody.substr(0, kBody.find("\"asi\"")));
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "console.txt", text);
  EXPECT_EQ(report.inputs[0].records, 1u);
  ASSERT_FALSE(report.findings.empty());
  EXPECT_EQ(report.findings[0].hits, 1u);
}

// The body lines the issue quotes (mcastel1/thelemacus' report), with the elisions people make:
// "0x..." inside a string, "[50,...]" inside an array, whole lines cut out ("...", "[...]", "<…>").
constexpr std::string_view kElidedBody = R"x({
  "procName" : "Thelemacus",
  ...
  "codeSigningID" : "Thelemacus",
  "codeSigningTeamID" : "",
  [...]
  "exception" : {"codes":"0x0000000000000032, 0x...","rawCodes":[50,...],"type":"EXC_BAD_ACCESS","signal":"SIGKILL (Code Signature Invalid)","subtype":"UNKNOWN_0x32 at 0x..."},
  "termination" : {"flags":0,"code":2,"namespace":"CODESIGNING","indicator":"Invalid Page"},
  <…>
  "threads" : [{"triggered":true,"id":12922,"threadState":{"x":[{"value":4311859200},<…>
  "usedImages" : [...]
}
After the report.)x";

TEST(IpsReader, ElisionsInsideABodyDoNotEndIt) {
  auto result = testing::ReadText(StrCat(kHeader, "\n", kElidedBody));
  ASSERT_EQ(result.records.size(), 2u);
  const auto& r = result.records[0];
  EXPECT_EQ(r["process"], "Thelemacus");
  EXPECT_EQ(r["codesigning_id"], "Thelemacus");
  EXPECT_EQ(r["exception_type"], "EXC_BAD_ACCESS");
  EXPECT_EQ(r["signal"], "SIGKILL (Code Signature Invalid)");
  EXPECT_EQ(r["exception_codes"], "0x0000000000000032, 0x...");
  EXPECT_EQ(r["exception_subtype"], "UNKNOWN_0x32 at 0x...");
  EXPECT_EQ(r["termination_code"], "2");
  EXPECT_EQ(r["termination_indicator"], "Invalid Page");
  EXPECT_EQ(result.records[1].text, "After the report.");
  EXPECT_EQ(result.records[1].line, 14u);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].second, kTruncatedCrashReport);
}

TEST(IpsReader, BodyLinesQuotedAloneInProseAreACrashReport) {
  // The issue's own example: two lines of a body quoted between sentences, no braces around them.
  constexpr std::string_view kText = R"x(Here is what the report says:

  "exception" : {"codes":"0x0000000000000032, 0x...","rawCodes":[50,...],"type":"EXC_BAD_ACCESS","signal":"SIGKILL (Code Signature Invalid)","subtype":"UNKNOWN_0x32 at 0x..."},
  "termination" : {"flags":0,"code":2,"namespace":"CODESIGNING","indicator":"Invalid Page"},

Any idea?
)x";
  auto result = testing::ReadText(kText);
  ASSERT_EQ(result.records.size(), 5u);
  EXPECT_EQ(result.records[1].kind, RecordKind::kCrashReport);
  EXPECT_EQ(result.records[1].line, 3u);
  EXPECT_EQ(result.records[1]["signal"], "SIGKILL (Code Signature Invalid)");
  EXPECT_EQ(result.records[1]["termination_namespace"], "CODESIGNING");
  // The quoted lines are read as text as well, as before, and the prose after them.
  EXPECT_EQ(result.records[2].line, 3u);
  EXPECT_EQ(result.records[3].line, 4u);
  EXPECT_EQ(result.records[4].text, "Any idea?");
  EXPECT_EQ(result.errors, (std::vector<std::pair<uint64_t, std::string>>{{3, std::string(kTruncatedCrashReport)}}));
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "post.txt", kText);
  ASSERT_TRUE(report.diagnosis.has_value());
  EXPECT_EQ(report.findings[report.diagnosis->finding].rule->id, "csi-crash-invalid-page");
}

TEST(IpsReader, ATerminationLineCutInItsReasons) {
  // jaesung-0o0/study-ios (a note on a crash log received in App Review, 2023): one body line,
  // cut inside its "reasons" array (quoted there behind "> ", which the normaliser removes).
  auto result = testing::ReadText(
      R"x("termination" : {"code":1,"flags":518,"namespace":"DYLD","indicator":"Library missing","details":["(terminated at launch; ignore backtrace)"],"reasons":["Library not loaded: @rpath\/KuringSDK.framework\/KuringSDK")x");
  ASSERT_EQ(result.records.size(), 2u);
  const auto& r = result.records[0];
  EXPECT_EQ(r.kind, RecordKind::kCrashReport);
  EXPECT_EQ(r["termination_namespace"], "DYLD");
  EXPECT_EQ(r["termination_code"], "1");
  EXPECT_EQ(r["termination_indicator"], "Library missing");
  EXPECT_EQ(r["termination_details"],
            "(terminated at launch; ignore backtrace)\nLibrary not loaded: @rpath/KuringSDK.framework/KuringSDK");
  EXPECT_EQ(result.errors.size(), 1u);
}

TEST(IpsReader, AKeyLineWithoutCrashEvidenceStaysText) {
  auto result = testing::ReadText("  \"procName\" : \"Thelemacus\",\n  \"pid\" : 1055,\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].kind, RecordKind::kLogEvent);
  EXPECT_TRUE(result.errors.empty());
}

// Bad input on the salvage path: each is read to its end without a crash, and the line after it is read.
TEST(IpsReader, SalvageSurvivesBadInput) {
  const std::string header = "{\"app_name\":\"X\",\"bug_type\":\"309\"}\n";
  const std::string after = "\nkernel: after\n";
  std::vector<std::string> bodies = {
      "{\n  \"procPath\" : \"" + std::string(size_t{16} << 20, 'a'),  // a 16 MiB line, cut
      "{\n  \"procName\" : \"bad \xFF\xFE utf-8\",\n  \"exception\" : {\"type\":\"EXC_CRASH\"},",
      std::string(100000, '{'),  // braces without end
      "{\"exception\":" + std::string(100000, '[') + "\n  \"termination\" : {\"code\":1}",
      "{\n  \"exception\" : {\"type\":\"\\ud800\\u0041\", \"codes\":1e999, \"x\":-, \"y\":tru, "
      "\"z\":123456789012345678901234567890}",
      "{\n" + std::string(5000, '"') + "\n" + std::string(5000, ':') + std::string(5000, ','),
  };
  for (const std::string& body : bodies) {
    SCOPED_TRACE(body.substr(0, 40));
    for (const std::string& text : {header + body + after, body + after}) {
      auto result = testing::ReadText(text);
      ASSERT_FALSE(result.records.empty());
      EXPECT_EQ(result.records.back().text, "kernel: after");
    }
  }
}

}  // namespace
}  // namespace tediag
