#include "rule_examples.h"

#include <algorithm>

#include "read/input_reader.h"

namespace tediag {
namespace {

class MatchingSink : public RecordSink {
 public:
  MatchingSink(const Matcher& matcher, std::vector<std::string>& ids) : matcher_(matcher), ids_(ids) {}
  void OnRecord(const Record& record) override {
    hits_.clear();
    matcher_.Match(record, scratch_, hits_);
    for (uint32_t hit : hits_) ids_.push_back(matcher_.rules()[hit].id);
  }
  void OnError(uint64_t, std::string_view) override {}
  void OnFormat(InputFormat) override {}

 private:
  const Matcher& matcher_;
  std::vector<std::string>& ids_;
  Matcher::Scratch scratch_;
  std::vector<uint32_t> hits_;
};

}  // namespace

std::vector<std::string> MatchingRuleIds(const Matcher& matcher, std::string_view text) {
  std::vector<std::string> ids;
  MatchingSink sink(matcher, ids);
  InputReader reader;
  reader.Read(text, sink);
  return ids;
}

namespace {

// Whether `rule` stands in the example whose records hit `ids`: it hit, and so did one of the
// rules or classes it `needs`, as FindingCollector requires of an input.
bool Stands(const Matcher& matcher, const Rule& rule, const std::vector<std::string>& ids) {
  if (std::find(ids.begin(), ids.end(), rule.id) == ids.end()) return false;
  if (rule.needs.empty()) return true;
  for (const Rule& other : matcher.rules()) {
    if (&other == &rule || std::find(ids.begin(), ids.end(), other.id) == ids.end()) continue;
    for (const std::string& name : rule.needs) {
      if (name == other.id || name == other.class_slug) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<ExampleOutcome> RunRuleExamples(const Matcher& matcher, const std::vector<const Rule*>& select) {
  std::vector<ExampleOutcome> outcomes;
  for (const Rule& rule : matcher.rules()) {
    if (!select.empty() && std::find(select.begin(), select.end(), &rule) == select.end()) continue;
    for (const RuleExample& example : rule.examples) {
      std::vector<std::string> ids = MatchingRuleIds(matcher, example.text);
      bool fired = Stands(matcher, rule, ids);
      outcomes.push_back({&rule, &example, fired == example.should_match});
    }
  }
  return outcomes;
}

}  // namespace tediag
