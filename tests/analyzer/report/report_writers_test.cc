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
  EXPECT_EQ(std::string_view(root["schema"]), "tediag.report/1");
  EXPECT_EQ(std::string_view(root["tool"]["name"]), "tediag");
  EXPECT_EQ(std::string_view(root["tool"]["version"]), "9.9.9");
  simdjson::dom::element input = root["inputs"].at(0);
  EXPECT_EQ(std::string_view(input["path"]), "ticket.txt");
  EXPECT_EQ(std::string_view(input["format"]), "text");
  EXPECT_EQ(uint64_t(input["records"]), 2u);
  EXPECT_EQ(uint64_t(input["errors"].at(0)["line"]), 2u);
  EXPECT_EQ(std::string_view(root["diagnosis"]["class"]), "apple-events-consent");
  EXPECT_EQ(std::string_view(root["diagnosis"]["rule"]), "ae-not-authorized");
  EXPECT_EQ(std::string_view(root["diagnosis"]["confidence"]), "medium");  // one record
  simdjson::dom::element finding = root["findings"].at(0);
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

TEST(JsonReport, NoFindingsMeansNullDiagnosis) {
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "x", "all good\n");
  EXPECT_NE(RenderJson(report, {.tool_version = "1"}).find("\"diagnosis\": null"), std::string::npos);
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
  ASSERT_TRUE(report.diagnosis.has_value());
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

}  // namespace
}  // namespace tediag
