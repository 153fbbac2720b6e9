// Walks corpora/<class>/<case>/: the case's files are analysed together, as `tediag analyze` on
// the folder would (which skips hidden files); .expect.yaml beside them names the source and the
// expected diagnosis (a class slug, or none). Adding a case needs no C++.
// Each case is checked in all three report formats.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer.h"
#include "report/report_writers.h"
#include "simdjson.h"
#include "test_support.h"
#include "yaml-cpp/yaml.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;

struct CorpusCase {
  std::string name;  // "<class>/<case>"
  fs::path dir;
};

std::vector<CorpusCase> FindCases() {
  std::vector<CorpusCase> cases;
  fs::path root = fs::path(TEDIAG_SOURCE_DIR) / "corpora";
  for (const auto& group : fs::directory_iterator(root)) {
    if (!group.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(group.path())) {
      if (fs::exists(entry.path() / ".expect.yaml")) {
        cases.push_back({group.path().filename().string() + "/" + entry.path().filename().string(), entry.path()});
      }
    }
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

// Names the case in test output instead of dumping its bytes.
void PrintTo(const CorpusCase& c, std::ostream* os) { *os << c.name; }

class CorpusTest : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(CorpusTest, DiagnosesTheExpectedClassInEveryFormat) {
  const CorpusCase& c = GetParam();
  YAML::Node expect = YAML::LoadFile((c.dir / ".expect.yaml").string());
  for (const char* key : {"source", "credit", "kind", "diagnosis"}) {
    ASSERT_TRUE(expect[key]) << c.name << ": .expect.yaml lacks '" << key << "'";
  }
  const std::string kind = expect["kind"].as<std::string>();
  ASSERT_TRUE(kind == "real" || kind == "constructed") << c.name << ": kind must be real or constructed";
  const std::string expected = expect["diagnosis"].as<std::string>();

  AnalyzeOptions options;
  options.inputs = {c.dir.string()};  // the folder, as a user would give it
  Report report = Analyze(testing::EmbeddedMatcher(), options);
  ASSERT_FALSE(report.inputs.empty());
  for (const InputSummary& input : report.inputs) {
    EXPECT_TRUE(input.readable) << input.path;
    EXPECT_EQ(input.path.find(".expect.yaml"), std::string::npos) << "the expectations file was read as input";
  }

  std::string got = report.diagnosis ? report.findings[report.diagnosis->finding].rule->class_slug : "none";
  ASSERT_EQ(got, expected) << c.name << "\n" << RenderText(report, {});

  // The same verdict in JSON (parsed back), Markdown and text.
  std::string json = RenderJson(report, "test");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  simdjson::dom::element diagnosis = root["diagnosis"];
  std::string markdown = RenderMarkdown(report);
  std::string text = RenderText(report, {});
  if (expected == "none") {
    EXPECT_TRUE(diagnosis.is_null());
    EXPECT_NE(markdown.find("No trusted-execution failure found"), std::string::npos);
    EXPECT_NE(text.find("No trusted-execution failure found"), std::string::npos);
  } else {
    std::string_view json_class;
    ASSERT_EQ(diagnosis["class"].get(json_class), simdjson::SUCCESS);
    EXPECT_EQ(json_class, expected);
    EXPECT_NE(markdown.find("**Class:** `" + expected + "`"), std::string::npos) << markdown;
    EXPECT_NE(text.find("ROOT CAUSE"), std::string::npos);
    EXPECT_NE(text.find("class " + expected), std::string::npos) << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpora, CorpusTest, ::testing::ValuesIn(FindCases()),
                         [](const ::testing::TestParamInfo<CorpusCase>& param_info) {
                           std::string name = param_info.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(Corpus, HasAtLeastEightRealCasesPerClassAndTwentyFiveNegatives) {
  std::map<std::string, int> real;
  for (const CorpusCase& c : FindCases()) {
    YAML::Node expect = YAML::LoadFile((c.dir / ".expect.yaml").string());
    if (expect["kind"].as<std::string>() == "real") ++real[expect["diagnosis"].as<std::string>()];
  }
  for (const char* slug : {"code-signature-invalid", "quarantine-block", "sandbox-inheritance", "apple-events-consent",
                           "library-validation", "restricted-entitlements", "launch-constraint", "hardened-runtime",
                           "tcc-denied", "not-executable", "notarization", "xprotect-malware"}) {
    EXPECT_GE(real[slug], 8) << slug;
  }
  EXPECT_GE(real["none"], 25);
}

}  // namespace
}  // namespace tediag
