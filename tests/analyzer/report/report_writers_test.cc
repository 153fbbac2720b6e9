#include "report/report_writers.h"

#include <gtest/gtest.h>

#include <set>

#include "analyzer.h"
#include "read/tediag_output.h"
#include "simdjson.h"
#include "test_support.h"
#include "util/text_util.h"

namespace tediag {
namespace {

Report SampleReport() {
  return AnalyzeText(testing::EmbeddedMatcher(), "ticket.txt",
                     "Error in ProcessFile(): 'Not authorized to send Apple events to Finder.' (-1743)\n"
                     "{\"broken json\n"
                     "bad \xff\xfe bytes and a | pipe\n");
}

TEST(JsonReport, FollowsTheSchemaAndParses) {
  std::string json = RenderJson(SampleReport(), {.tool_version = "9.9.9"});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(root["schema"]), "tediag.report/2");
  EXPECT_EQ(std::string_view(root["status"]), "diagnosed");
  EXPECT_TRUE(root["focus_app"].is_null());
  EXPECT_EQ(std::string_view(root["tool"]["name"]), "tediag");
  EXPECT_EQ(std::string_view(root["tool"]["version"]), "9.9.9");
  simdjson::dom::element input = root["inputs"].at(0);
  EXPECT_EQ(std::string_view(input["path"]), "ticket.txt");
  EXPECT_EQ(std::string_view(input["format"]), "text");
  EXPECT_EQ(uint64_t(input["records"]), 2u);
  EXPECT_EQ(uint64_t(input["errors"].at(0)["line"]), 2u);
  simdjson::dom::element diagnosis = root["diagnoses"].at(0);
  EXPECT_EQ(std::string_view(diagnosis["class"]), "apple-events-consent");
  EXPECT_EQ(std::string_view(diagnosis["rule"]), "ae-not-authorized");
  EXPECT_EQ(std::string_view(diagnosis["confidence"]), "medium");  // one record
  // The line names no app: null, not a display string.
  EXPECT_TRUE(diagnosis["app"].is_null());
  EXPECT_EQ(std::string_view(diagnosis["root_cause"]), "F1");
  simdjson::dom::element finding = diagnosis["findings"].at(0);
  EXPECT_EQ(std::string_view(finding["id"]), "F1");
  EXPECT_TRUE(finding["app"].is_null());
  EXPECT_EQ(std::string_view(finding["scope"]), "ticket.txt");
  EXPECT_EQ(std::string_view(finding["severity"]), "error");
  EXPECT_EQ(uint64_t(finding["evidence"].at(0)["line"]), 1u);
  EXPECT_GT(simdjson::dom::array(finding["fix"]).size(), 0u);
  EXPECT_NE(std::string_view(finding["references"].at(0)["url"]).find("https://"), std::string_view::npos);
}

TEST(JsonReport, ReplacesInvalidUtf8) {
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "x",
                              "Not authorized to send Apple events to Fin\xff"
                              "der. (-1743)\n");
  std::string json = RenderJson(report, {.tool_version = "1"});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  EXPECT_NE(json.find("Fin\xEF\xBF\xBD"
                      "der"),
            std::string::npos);
}

TEST(JsonReport, NoFindingsMeansNoDiagnoses) {
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "x", "all good\n");
  std::string json = RenderJson(report, {.tool_version = "1"});
  EXPECT_NE(json.find("\"diagnoses\": []"), std::string::npos) << json;
  EXPECT_NE(json.find("\"status\": \"no-failure\""), std::string::npos) << json;
}

TEST(JsonReport, AnAppIsNamedOnceWithItsBundleIdAndPathsAndTimesAreIso8601) {
  // The crash report's own header (Pelt's, from corpora/code-signature-invalid): process, path,
  // bundle ID and a time with its zone.
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "Pelt.crash",
                              "Process:               Pelt [1493]\n"
                              "Path:                  /Applications/Pelt.app/Contents/MacOS/Pelt\n"
                              "Identifier:            iko.eviathan.Pelt\n"
                              "Date/Time:             2022-01-25 10:25:44.8117 +0100\n"
                              "Exception Type:        EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
                              "Termination Reason:    Namespace CODESIGNING, Code 0x1\n");
  std::string json = RenderJson(report, {.tool_version = "1"});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  simdjson::dom::element app = root["diagnoses"].at(0)["app"];
  EXPECT_EQ(std::string_view(app["name"]), "Pelt") << json;
  EXPECT_EQ(std::string_view(app["bundle_id"]), "iko.eviathan.Pelt");
  EXPECT_EQ(std::string_view(app["paths"].at(0)), "/Applications/Pelt.app/Contents/MacOS/Pelt");
  simdjson::dom::element e = root["diagnoses"].at(0)["findings"].at(0)["evidence"].at(0);
  EXPECT_EQ(std::string_view(e["timestamp"]), "2022-01-25 10:25:44.8117 +0100");
  EXPECT_EQ(std::string_view(e["time"]), "2022-01-25T10:25:44.8117+01:00");
  EXPECT_EQ(std::string_view(root["inputs"].at(0)["format"]), "crash");
}

TEST(MarkdownReport, PastesIntoATicket) {
  std::string md = RenderMarkdown(SampleReport());
  EXPECT_EQ(md.rfind("## tediag diagnosis", 0), 0u);
  EXPECT_NE(md.find("**Root cause:** Not authorized to send Apple events to the target app"), std::string::npos);
  EXPECT_NE(md.find("```text\nticket.txt:1"), std::string::npos) << md;
  EXPECT_NE(md.find("- [NSAppleEventsUsageDescription (Apple documentation)](https://"), std::string::npos);
  EXPECT_NE(md.find("| `ticket.txt` | text | 2 | line 2: "), std::string::npos) << md;
}

TEST(TextReport, ColourOnlyWhenAsked) {
  Report report = SampleReport();
  EXPECT_EQ(RenderText(report, {.color = false}).find('\x1b'), std::string::npos);
  EXPECT_NE(RenderText(report, {.color = true}).find("\x1b[1;31mROOT CAUSE"), std::string::npos);
}

TEST(TextReport, FitsTheScreenItIsGiven) {
  // A log line far wider than any screen, with a tab, as Console copies it.
  std::string line =
      "default\t10:21:02.243864+0100\tkernel\tASP: Security policy would not allow process: 16036, "
      "/Applications/FedoraMediaWriter.app/Contents/MacOS/FedoraMediaWriter";
  for (int i = 0; i < 20; ++i) line += " and a great deal more text that no screen holds on one line";
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "console.log", line + "\n");
  ASSERT_FALSE(report.diagnoses.empty());
  for (size_t width : {40u, 80u, 100u}) {
    std::string text = RenderText(report, {.width = width});
    for (std::string_view l : Split(text, '\n')) {
      size_t columns = 0;
      for (char c : l) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      EXPECT_LE(columns, width) << l;
    }
    EXPECT_EQ(text.find('\t'), std::string::npos);
    // The cut evidence says so on its second screen line (a 40-column screen has no room for it whole).
    if (width >= 80) {
      EXPECT_NE(text.find("more bytes; --format json has all)\n"), std::string::npos) << text;
    }
  }
  // Without a screen (a file, a pipe), nothing is cut.
  EXPECT_EQ(RenderText(report, {}).find("--format json has all"), std::string::npos);
}

TEST(TextReport, SaysPlainlyWhenNothingWasFound) {
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "calm.log", "nothing to see\n");
  std::string text = RenderText(report, {});
  EXPECT_EQ(text.rfind("No trusted-execution failure found.", 0), 0u);
  EXPECT_NE(text.find("Read 1 input, 1 record"), std::string::npos);
  EXPECT_NE(text.find("calm.log  text, 1 record"), std::string::npos);
}

TEST(ReportWriters, OneRowPerFormatWithDistinctNamesAndBundleFiles) {
  std::set<std::string_view> names, files;
  for (const ReportWriter& writer : ReportWriters()) {
    EXPECT_TRUE(names.insert(writer.name).second) << writer.name;
    EXPECT_EQ(FindReportWriter(writer.name), &writer);
    if (writer.bundle_file.empty()) continue;
    EXPECT_TRUE(files.insert(writer.bundle_file).second) << writer.bundle_file;
    EXPECT_NE(writer.bundle_file, "manifest.json");  // the collector's own
  }
  EXPECT_EQ(ReportWriters().front().name, "text");  // the default --format
  EXPECT_EQ(FindReportWriter("yaml"), nullptr);
}

// Whatever a writer puts into a bundle, `analyze` must know for tediag's own and skip (L7): the
// writers and read/tediag_output.cc share their constants, and this holds them to it.
TEST(ReportWriters, EveryBundledReportIsRecognisedAsTediagsOwn) {
  Report report = SampleReport();
  for (const ReportWriter& writer : ReportWriters()) {
    if (writer.bundle_file.empty()) continue;
    std::string out = writer.render(report, {.tool_version = "1"});
    EXPECT_TRUE(IsTediagJson(out) || IsTediagMarkdown(out)) << writer.name << ":\n" << out;
  }
  EXPECT_TRUE(IsTediagMarkdown(RenderMarkdown(report)));
  EXPECT_TRUE(IsTediagJson(RenderJson(report)));
  EXPECT_FALSE(IsTediagMarkdown(RenderText(report)));
}

TEST(ReportWriters, TextAndMarkdownShowTheSameEvidence) {
  // Seven hits of one rule: five are shown for the root cause, "… and 2 more" in both writers.
  std::string log;
  for (int i = 0; i < 7; ++i) {
    log += "Error in ProcessFile(): 'Not authorized to send Apple events to Finder.' (-1743)\n";
  }
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "ticket.txt", log);
  ASSERT_FALSE(report.diagnoses.empty());
  std::string text = RenderText(report), md = RenderMarkdown(report);
  for (int line = 1; line <= 5; ++line) {
    EXPECT_NE(text.find(StrCat("ticket.txt:", line, "\n")), std::string::npos) << line << text;
    EXPECT_NE(md.find(StrCat("ticket.txt:", line, "\n")), std::string::npos) << line << md;
  }
  EXPECT_EQ(text.find("ticket.txt:6\n"), std::string::npos) << text;
  EXPECT_EQ(md.find("ticket.txt:6\n"), std::string::npos) << md;
  EXPECT_NE(text.find("… and 2 more records"), std::string::npos) << text;
  EXPECT_NE(md.find("_… and 2 more records._"), std::string::npos) << md;
}

TEST(ReportWriters, TextAndMarkdownSayTheSameOfATimeWindow) {
  Report report = SampleReport();
  report.window = "since 2026-12-01 10:00:00+0000";
  report.outside_window = 1;
  report.chunksets_outside_window = 3;
  std::string sentence =
      "ime window since 2026-12-01 10:00:00+0000: 1 record outside it, read but not matched; 3 unified log "
      "chunksets wholly after it, not decompressed";
  EXPECT_NE(RenderText(report).find("  t" + sentence + "\n"), std::string::npos) << RenderText(report);
  EXPECT_NE(RenderMarkdown(report).find(" T" + sentence + "."), std::string::npos) << RenderMarkdown(report);
  report.window.clear();
  EXPECT_EQ(RenderText(report).find("ime window"), std::string::npos);
  EXPECT_EQ(RenderMarkdown(report).find("ime window"), std::string::npos);
}

}  // namespace
}  // namespace tediag
