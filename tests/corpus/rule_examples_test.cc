// Every rule's inline examples: a `match` text must make the rule fire, a `no_match` text must not.
// Examples are read exactly as an input file would be, so they exercise the readers too.
#include <gtest/gtest.h>

#include "test_support.h"

namespace tediag {
namespace {

TEST(RuleExamples, EveryRuleHasAMatchingExample) {
  for (const Rule& rule : testing::EmbeddedMatcher().rules()) {
    bool has_match = false;
    for (const RuleExample& example : rule.examples) has_match |= example.should_match;
    EXPECT_TRUE(has_match) << rule.origin << ": rule " << rule.id << " has no match example";
  }
}

TEST(RuleExamples, MatchAndNoMatchAsWritten) {
  const Matcher& matcher = testing::EmbeddedMatcher();
  size_t checked = 0;
  for (const Rule& rule : matcher.rules()) {
    for (const RuleExample& example : rule.examples) {
      std::vector<std::string> ids = testing::MatchingRuleIds(matcher, example.text);
      bool fired = std::find(ids.begin(), ids.end(), rule.id) != ids.end();
      EXPECT_EQ(fired, example.should_match)
          << rule.origin.substr(0, rule.origin.rfind(':')) << ":" << example.line << ": rule " << rule.id
          << (example.should_match ? " did not match" : " matched") << " its example:\n" << example.text;
      ++checked;
    }
  }
  EXPECT_GT(checked, matcher.rules().size());
}

}  // namespace
}  // namespace tediag
