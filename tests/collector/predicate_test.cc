// The log predicate: built from the rule database, with names quoted so none can escape.
#include "predicate.h"

#include <gtest/gtest.h>

#include "rules/rule_loader.h"
#include "test_support.h"

namespace tediag::collector {
namespace {

TEST(PredicateTest, QuotesBackslashQuoteAndControlCharacters) {
  EXPECT_EQ(QuotePredicateLiteral("Foo"), "\"Foo\"");
  EXPECT_EQ(QuotePredicateLiteral("x\"; rm -rf ~ #"), "\"x\\\"; rm -rf ~ #\"");
  EXPECT_EQ(QuotePredicateLiteral("a\\\"b"), "\"a\\\\\\\"b\"");
  EXPECT_EQ(QuotePredicateLiteral("two\nlines\x01"), "\"two\\nlines\\u0001\"");
}

TEST(PredicateTest, HostileNameStaysInsideOneLiteral) {
  std::string predicate = BuildPredicate({}, {"x\"; rm -rf ~ #", ""});
  EXPECT_EQ(predicate, "process == \"x\\\"; rm -rf ~ #\"");
  // Unescaped quotes balance: the name never closes its literal early.
  size_t unescaped = 0;
  for (size_t i = 0; i < predicate.size(); ++i) {
    if (predicate[i] == '\\') {
      ++i;
      continue;
    }
    unescaped += predicate[i] == '"';
  }
  EXPECT_EQ(unescaped, 2u);
}

TEST(PredicateTest, EmbeddedRulesSelectTheTrustedExecutionSources) {
  std::string predicate = BuildPredicate(testing::EmbeddedMatcher().rules(), {"Foo", "com.example.foo"});
  for (const char* clause :
       {"process == \"amfid\"", "sender == \"AppleMobileFileIntegrity\"", "sender == \"AppleSystemPolicy\"",
        "process == \"taskgated-helper\"", "process == \"taskgated\"", "process == \"syspolicyd\"",
        "subsystem == \"com.apple.TCC\"", "sender == \"Sandbox\"", "subsystem == \"com.apple.xprotect\"",
        "(process == \"kernel\" AND eventMessage CONTAINS \"CODE SIGNING:\")", "process == \"Foo\"",
        "eventMessage CONTAINS \"com.example.foo\""}) {
    EXPECT_NE(predicate.find(clause), std::string::npos) << clause << "\nin: " << predicate;
  }
  // Each clause once, however many rules name it.
  size_t first = predicate.find("process == \"syspolicyd\"");
  EXPECT_EQ(predicate.find("process == \"syspolicyd\"", first + 1), std::string::npos);
}

TEST(PredicateTest, FollowsTheLoadedRulesNotAFixedList) {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  rules = testing::LoadRules(R"(rules:
  - id: my-helper
    class: sandbox-inheritance
    title: t
    severity: error
    applies_to: log
    log_sources:
      - subsystem: com.example.helper
      - process: MyDaemon
        message: 'refused'
    when:
      process: '^my\.helperd$'
      message: 'x'
    explanation: e
    fix: [f]
    references: [{title: r, url: 'https://example.com'}]
)",
                             "mine.yaml", errors)
              .rules;
  ASSERT_TRUE(errors.empty()) << errors[0].message;
  EXPECT_EQ(BuildPredicate(rules, {}),
            "subsystem == \"com.example.helper\" OR (process == \"MyDaemon\" AND eventMessage CONTAINS \"refused\") "
            "OR process == \"my.helperd\"");
}

TEST(PredicateTest, LogSourcesRejectsFieldsAPredicateCannotTest) {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  rules = testing::LoadRules(R"(rules:
  - id: bad
    class: sandbox-inheritance
    title: t
    severity: error
    log_sources: {team_id: ABC}
    when: {message: 'x'}
    explanation: e
    fix: [f]
    references: [{title: r, url: 'https://example.com'}]
)",
                             "bad.yaml", errors)
              .rules;
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "bad.yaml:6");
  EXPECT_NE(errors[0].message.find("not one of process, sender, subsystem, message"), std::string::npos);
}

}  // namespace
}  // namespace tediag::collector
