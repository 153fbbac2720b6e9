// docs/report.schema.json and the JSON writer agree, and the validator the suite checks every
// report with (tests/schema_validator.h) does reject what the schema forbids.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "analyzer.h"
#include "report/report_writers.h"
#include "schema_validator.h"
#include "simdjson.h"
#include "test_support.h"
#include "util/text_util.h"

namespace tediag {
namespace {

const std::string kSchema = (std::filesystem::path(TEDIAG_SOURCE_DIR) / "docs/report.schema.json").string();

std::string SampleJson() {
  Report report = AnalyzeText(testing::EmbeddedMatcher(), "ticket.txt",
                              "Error in ProcessFile(): 'Not authorized to send Apple events to Finder.' (-1743)\n"
                              "kernel: ASP: Security policy would not allow process: 16036, "
                              "/Applications/FedoraMediaWriter.app/Contents/MacOS/FedoraMediaWriter\n");
  return RenderJson(report, {.tool_version = "test"});
}

TEST(ReportSchema, TheWritersReportsFollowIt) {
  testing::SchemaValidator validator(kSchema);
  ASSERT_EQ(validator.problems(), std::vector<std::string>{});
  EXPECT_EQ(validator.Validate(SampleJson()), std::vector<std::string>{});
  Report empty = AnalyzeText(testing::EmbeddedMatcher(), "calm.log", "");
  EXPECT_EQ(validator.Validate(RenderJson(empty)), std::vector<std::string>{});
}

TEST(ReportSchema, WhatItForbidsIsRejected) {
  testing::SchemaValidator validator(kSchema);
  std::string json = SampleJson();
  // /1's display string for an unnamed app, a field /2 does not have, a wrong schema name.
  std::string app_string = ReplaceAll(json, "\"app\": null", "\"app\": \"(unknown app)\"");
  ASSERT_NE(app_string, json);
  EXPECT_FALSE(validator.Validate(app_string).empty());
  EXPECT_FALSE(validator.Validate(ReplaceAll(json, "\"headline\":", "\"diagnosis\": null, \"headline\":")).empty());
  EXPECT_FALSE(validator.Validate(ReplaceAll(json, "tediag.report/2", "tediag.report/1")).empty());
  EXPECT_FALSE(validator.Validate(ReplaceAll(json, "\"format\": \"text\"", "\"format\": \"txt\"")).empty());
  EXPECT_FALSE(validator.Validate(ReplaceAll(json, "\"id\": \"F1\"", "\"id\": 1")).empty());
}

TEST(ReportSchema, ListsEveryInputFormat) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.load(kSchema).get(root), simdjson::SUCCESS);
  std::set<std::string> listed, formats;
  for (simdjson::dom::element name : simdjson::dom::array(root["$defs"]["format"]["enum"])) {
    listed.emplace(std::string_view(name));
  }
  for (size_t f = 0; f < kInputFormatCount; ++f) formats.emplace(InputFormatName(static_cast<InputFormat>(f)));
  formats.emplace(InputFormatName(InputFormat::kUnknown));
  EXPECT_EQ(listed, formats);
}

}  // namespace
}  // namespace tediag
