// Every rule's inline examples: a `match` text must make the rule fire, a `no_match` text must not.
// Examples are read exactly as an input file would be, so they exercise the readers too.
#include "rule_examples.h"

#include <gtest/gtest.h>

#include "rules/rule_loader.h"
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
  std::vector<ExampleOutcome> outcomes = RunRuleExamples(matcher);
  for (const ExampleOutcome& o : outcomes) {
    EXPECT_TRUE(o.passed) << o.rule->origin.substr(0, o.rule->origin.rfind(':')) << ":" << o.example->line << ": rule "
                          << o.rule->id << (o.example->should_match ? " did not match" : " matched")
                          << " its example:\n"
                          << o.example->text;
  }
  EXPECT_GT(outcomes.size(), matcher.rules().size());
}

TEST(RuleExamples, AFailingExampleIsCaught) {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  rules = testing::LoadRules(R"(rules:
  - id: picky
    class: tcc-denied
    title: t
    severity: info
    when: {message: 'kTCCServiceCamera'}
    explanation: e
    fix: [f]
    references: [{title: r, url: u}]
    examples:
      match: ['kTCCServiceMicrophone']
      no_match: ['kTCCServiceCamera denied']
)",
                             "picky.yaml", errors)
              .rules;
  auto matcher = Matcher::Compile(std::move(rules), errors);
  std::vector<ExampleOutcome> outcomes = RunRuleExamples(*matcher);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_FALSE(outcomes[1].passed);
  EXPECT_EQ(outcomes[0].example->line, 11u);
}

}  // namespace
}  // namespace tediag
