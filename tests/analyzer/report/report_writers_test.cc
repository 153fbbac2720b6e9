#include "report/report_writers.h"

#include <gtest/gtest.h>

#include "analyzer.h"
#include "simdjson.h"
#include "test_support.h"

namespace tediag {
namespace {

Report SampleReport() {
  return AnalyzeText(testing::EmbeddedMatcher(), "ticket.txt",
                     "Error in ProcessFile(): 'Not authorized to send Apple events to Finder.' (-1743)\n"
                     "{\"broken json\n"
                     "bad \xff\xfe bytes and a | pipe\n");
}

TEST(JsonReport, FollowsTheSchemaAndParses) {
  std::string json = RenderJson(SampleReport(), "9.9.9");
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
                              "Not authorized to send Apple events to Fin\xff" "der. (-1743)\n");
  std::string json = RenderJson(report, "1");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  EXPECT_NE(json.find("Fin\xEF\xBF\xBD" "der"), std::string::npos);
}

TEST(JsonReport, NoFindingsMeansNullDiagnosis) {
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "x", "all good\n");
  EXPECT_NE(RenderJson(report, "1").find("\"diagnosis\": null"), std::string::npos);
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

}  // namespace
}  // namespace tediag
