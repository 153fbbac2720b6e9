#include "test_support.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "read/input_reader.h"
#include "rules/rule_loader.h"
#include "tediag/embedded_rules.h"

namespace tediag::testing {
namespace {

class CopyingSink : public RecordSink {
 public:
  explicit CopyingSink(ReadResult& out) : out_(out) {}
  void OnRecord(const Record& record) override {
    ReadRecord copy{record.kind, record.line, std::string(record.text), {}};
    for (size_t i = 0; i < kFieldCount; ++i) {
      if (!record.fields[i].empty())
        copy.fields[std::string(FieldName(static_cast<Field>(i)))] = std::string(record.fields[i]);
    }
    out_.records.push_back(std::move(copy));
  }
  void OnError(uint64_t line, std::string_view message) override {
    out_.errors.emplace_back(line, std::string(message));
  }
  void OnFormat(InputFormat format) override { out_.formats.push_back(format); }

 private:
  ReadResult& out_;
};

}  // namespace

RuleSet LoadRules(std::string_view text, std::string_view origin, std::vector<RuleError>& errors) {
  RuleSet set;
  set.classes = EmbeddedRuleSet().classes;
  LoadRuleText(text, origin, set, errors);
  CheckRuleSet(set, errors);
  return set;
}

const Matcher& EmbeddedMatcher() {
  static const Matcher* matcher = [] {
    std::vector<Rule> rules = EmbeddedRuleSet().rules;
    std::vector<RuleError> errors;
    auto compiled = Matcher::Compile(std::move(rules), errors, EmbeddedPatternPrefilters());
    for (const RuleError& error : errors) ADD_FAILURE() << error.where << ": " << error.message;
    return compiled.release();
  }();
  return *matcher;
}

ReadResult ReadText(std::string_view text) {
  ReadResult result;
  CopyingSink sink(result);
  InputReader reader;
  reader.Read(text, sink);
  return result;
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path ScratchDir(std::string_view prefix) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tediag-" + std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return dir;
}

std::vector<std::string> RuleIds(const Report& report) {
  std::vector<std::string> ids;
  for (const Finding& finding : report.findings) ids.push_back(finding.rule->id);
  return ids;
}

}  // namespace tediag::testing
