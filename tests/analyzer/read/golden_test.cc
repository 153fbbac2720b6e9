// Reader tests as data: each folder under tests/analyzer/read/golden/ holds one input (any file
// whose name starts with "input") and expected.yaml, everything the reader delivers for it — the
// formats it saw, the errors it reported, and every record with its kind, line, text and
// non-empty fields, in order. A new case is those two files, no C++:
//
//   1. put the input in tests/analyzer/read/golden/NAME/input.EXT (real text, credited in the
//      folder's README.md line);
//   2. run `TEDIAG_UPDATE_GOLDEN=1 build/tests/tests --gtest_filter='ReaderGolden*'`, which writes
//      expected.yaml from what the reader delivers now;
//   3. read expected.yaml as a reviewer would: it is the assertion.
//
// Without the variable, any difference fails with the record and field that changed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tediag/record.h"
#include "test_support.h"
#include "yaml-cpp/yaml.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::Slurp;

const fs::path kGoldenDir = fs::path(TEDIAG_SOURCE_DIR) / "tests" / "analyzer" / "read" / "golden";

struct GoldenCase {
  std::string name;
  fs::path input;
  fs::path expected;
};

void PrintTo(const GoldenCase& c, std::ostream* out) { *out << c.name; }  // in gtest's messages

std::vector<GoldenCase> FindGoldenCases() {
  std::vector<GoldenCase> cases;
  std::error_code ec;
  for (const fs::directory_entry& dir : fs::directory_iterator(kGoldenDir, ec)) {
    if (!dir.is_directory()) continue;
    GoldenCase c{dir.path().filename().string(), {}, dir.path() / "expected.yaml"};
    for (const fs::directory_entry& file : fs::directory_iterator(dir.path())) {
      if (file.path().filename().string().starts_with("input")) c.input = file.path();
    }
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const GoldenCase& a, const GoldenCase& b) { return a.name < b.name; });
  return cases;
}

// What the reader delivered, as the YAML a reviewer reads (and the test compares).
YAML::Node ToYaml(const testing::ReadResult& result) {
  YAML::Node out;
  out["formats"] = YAML::Node(YAML::NodeType::Sequence);
  for (InputFormat format : result.formats) out["formats"].push_back(std::string(InputFormatName(format)));
  out["errors"] = YAML::Node(YAML::NodeType::Sequence);
  for (const auto& [line, message] : result.errors) {
    YAML::Node error;
    error["line"] = line;
    error["message"] = message;
    out["errors"].push_back(error);
  }
  out["records"] = YAML::Node(YAML::NodeType::Sequence);
  for (const testing::ReadRecord& record : result.records) {
    YAML::Node node;
    node["kind"] = std::string(RecordKindName(record.kind));
    node["line"] = record.line;
    node["text"] = record.text;
    for (const auto& [name, value] : record.fields) node["fields"][name] = value;
    out["records"].push_back(node);
  }
  return out;
}

std::string Emit(const YAML::Node& node) {
  YAML::Emitter emitter;
  emitter << node;
  return std::string(emitter.c_str()) + "\n";
}

class ReaderGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(ReaderGolden, DeliversTheExpectedRecords) {
  const GoldenCase& c = GetParam();
  ASSERT_FALSE(c.input.empty()) << c.name << ": no input* file";
  YAML::Node got = ToYaml(testing::ReadText(Slurp(c.input)));
  if (std::getenv("TEDIAG_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(c.expected, std::ios::binary | std::ios::trunc)
        << "# What the reader delivers for this folder's input (tests/analyzer/read/golden_test.cc).\n"
        << Emit(got);
    GTEST_SKIP() << "wrote " << c.expected;
  }
  ASSERT_TRUE(fs::exists(c.expected)) << c.name << ": no expected.yaml (TEDIAG_UPDATE_GOLDEN=1 writes it)";
  YAML::Node want = YAML::LoadFile(c.expected.string());
  // Compared item by item, so that a failure names the record and field that changed.
  EXPECT_EQ(Emit(want["formats"]), Emit(got["formats"])) << c.name << ": formats";
  EXPECT_EQ(Emit(want["errors"]), Emit(got["errors"])) << c.name << ": errors";
  ASSERT_EQ(want["records"].size(), got["records"].size()) << c.name << ": number of records";
  for (size_t i = 0; i < got["records"].size(); ++i) {
    EXPECT_EQ(Emit(want["records"][i]), Emit(got["records"][i])) << c.name << ": record " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Readers, ReaderGolden, ::testing::ValuesIn(FindGoldenCases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& param) {
                           std::string name = param.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

// The golden set covers the formats people send most; a reader change shows up here first.
TEST(ReaderGoldenSet, CoversTheCommonFormats) {
  std::set<std::string> seen;
  for (const GoldenCase& c : FindGoldenCases()) {
    if (!fs::exists(c.expected)) continue;
    for (const YAML::Node& format : YAML::LoadFile(c.expected.string())["formats"])
      seen.insert(format.as<std::string>());
  }
  for (const char* format : {"ndjson", "default", "compact", "syslog", "text", "ips", "crash", "notary-log", "spctl"}) {
    EXPECT_TRUE(seen.count(format)) << "no golden case reads as " << format;
  }
}

}  // namespace
}  // namespace tediag
