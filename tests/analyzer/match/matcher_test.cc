#include "match/matcher.h"

#include <gtest/gtest.h>

#include "re2/re2.h"
#include "rules/rule_loader.h"
#include "test_support.h"

namespace tediag {
namespace {

constexpr std::string_view kRules = R"(
rules:
  - id: amfid-not-valid
    class: code-signature-invalid
    title: t
    severity: error
    applies_to: log
    when:
      process: '^amfid$'
      message: '(?P<path>/\S+) not valid'
    unless:
      message: 'simulated'
    explanation: '{path} is not valid'
    fix: [f]
    references: [{title: r, url: 'https://example.com'}]
  - id: either
    class: quarantine-block
    title: t
    severity: warning
    applies_to: any
    when:
      - message: 'alpha'
      - termination_namespace: '^CODESIGNING$'
    explanation: e
    fix: [f]
    references: [{title: r, url: 'https://example.com'}]
)";

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Rule> rules;
    std::vector<RuleError> errors;
    rules = testing::LoadRules(kRules, "test.yaml", errors).rules;
    matcher_ = Matcher::Compile(std::move(rules), errors);
    ASSERT_TRUE(errors.empty()) << errors[0].message;
  }
  std::vector<std::string> Hits(const Record& record) {
    std::vector<uint32_t> hits;
    matcher_->Match(record, scratch_, hits);
    std::vector<std::string> ids;
    for (uint32_t h : hits) ids.push_back(matcher_->rules()[h].id);
    return ids;
  }
  std::unique_ptr<Matcher> matcher_;
  Matcher::Scratch scratch_;
};

Record Log(std::string_view process, std::string_view message) {
  Record r;
  r.Set(Field::kProcess, process);
  r.Set(Field::kMessage, message);
  return r;
}

TEST_F(MatcherTest, AllConditionsOfASelectionMustHold) {
  EXPECT_EQ(Hits(Log("amfid", "/A/B not valid: -423")), std::vector<std::string>{"amfid-not-valid"});
  EXPECT_TRUE(Hits(Log("trustd", "/A/B not valid: -423")).empty());
}

TEST_F(MatcherTest, UnlessVetoesTheRule) { EXPECT_TRUE(Hits(Log("amfid", "/A/B not valid (simulated)")).empty()); }

TEST_F(MatcherTest, AnySelectionIsEnoughAndKindsAreKeptApart) {
  EXPECT_EQ(Hits(Log("x", "alpha")), std::vector<std::string>{"either"});
  Record crash;
  crash.kind = RecordKind::kCrashReport;
  crash.Set(Field::kTerminationNamespace, "CODESIGNING");
  crash.Set(Field::kProcess, "amfid");
  crash.Set(Field::kMessage, "/A not valid");  // the log-only rule must not see crash reports
  EXPECT_EQ(Hits(crash), std::vector<std::string>{"either"});
}

TEST_F(MatcherTest, ScratchIsCleanBetweenRecords) {
  // A record that satisfies half a selection must not leave that half for the next record.
  EXPECT_TRUE(Hits(Log("amfid", "nothing here")).empty());
  EXPECT_TRUE(Hits(Log("other", "/A not valid")).empty());
}

TEST_F(MatcherTest, ExtractsNamedCaptures) {
  Record r = Log("amfid", "/Applications/X.app/Contents/MacOS/X not valid: -423");
  Captures captures = matcher_->ExtractCaptures(0, r);
  ASSERT_EQ(captures.size(), 1u);
  EXPECT_EQ(captures[0].first, "path");
  EXPECT_EQ(captures[0].second, "/Applications/X.app/Contents/MacOS/X");
}

TEST(MatcherCaptures, ComeFromTheSelectionThatHeld) {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  rules = testing::LoadRules(R"(
rules:
  - id: two-ways
    class: tcc-denied
    title: t
    severity: error
    when:
      - message: 'service (?P<service>\w+) denied'
        process: '^tccd$'
      - message: 'access to (?P<service>\w+)'
    explanation: e
    fix: [f]
    references: [{title: r, url: u}]
)",
                             "t.yaml", errors)
              .rules;
  auto matcher = Matcher::Compile(std::move(rules), errors);
  ASSERT_TRUE(errors.empty());
  // The first selection's message pattern matches but its process condition does not: the
  // capture must come from the second selection, which holds.
  Record r = Log("other", "service Camera denied; access to Microphone");
  Matcher::Scratch scratch;
  std::vector<uint32_t> hits;
  matcher->Match(r, scratch, hits);
  ASSERT_EQ(hits.size(), 1u);
  Captures captures = matcher->ExtractCaptures(0, r);
  ASSERT_EQ(captures.size(), 1u);
  EXPECT_EQ(captures[0].second, "Microphone");
}

TEST(MatcherCompile, ABadPatternDropsOnlyItsRule) {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  rules = testing::LoadRules(R"(
rules:
  - id: bad
    class: quarantine-block
    title: t
    severity: error
    when: {message: 'unclosed (group'}
    explanation: e
    fix: [f]
    references: [{title: r, url: u}]
  - id: good
    class: quarantine-block
    title: t
    severity: error
    when: {message: 'fine'}
    explanation: e
    fix: [f]
    references: [{title: r, url: u}]
)",
                             "user.yaml", errors)
              .rules;
  ASSERT_TRUE(errors.empty());
  auto matcher = Matcher::Compile(std::move(rules), errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "user.yaml:3");
  EXPECT_NE(errors[0].message.find("rule bad: bad pattern for message"), std::string::npos) << errors[0].message;
  ASSERT_EQ(matcher->rules().size(), 1u);
  EXPECT_EQ(matcher->rules()[0].id, "good");
}

// The prefilter only ever skips patterns that cannot match. Rules whose patterns take every path
// (gated by a literal, needing none, in a field with so many of those that a set pass is used,
// non-ASCII text under (?i), one pattern shared by rules and kinds) give the same hits as trying
// every pattern on every value.
TEST(MatcherPrefilter, AgreesWithTryingEveryPatternOnEveryValue) {
  std::string text = "rules:\n";
  const std::vector<std::pair<std::string, std::string>> when = {
      {"message", "code signature invalid"},          // gated by a literal
      {"message", "^\\d+$"},                          // needs no literal
      {"message", "(?i)überprüfung fehlgeschlagen"},  // non-ASCII under (?i): tried on every value
      {"message", "deny(\\(\\d+\\))? file-read"},     // gated; shared with the next rule
      {"message", "deny(\\(\\d+\\))? file-read"},
      {"process", "^[a-z]{3}$"},  // the process field: six patterns that need no literal
      {"process", "^\\w+d$"},
      {"process", "^.$"},
      {"process", "^[0-9]+$"},
      {"process", "^\\S+ \\S+$"},
      {"process", "^(a|b)c$"},
      {"process", "^amfid$"},  // and one that does
  };
  for (size_t i = 0; i < when.size(); ++i) {
    text += "  - id: r" + std::to_string(i) + "\n    class: quarantine-block\n    title: t\n    severity: error\n" +
            "    applies_to: " + (i % 2 ? "any" : "log") + "\n    when: {" + when[i].first + ": '" + when[i].second +
            "'}\n    explanation: e\n    fix: [f]\n    references: [{title: r, url: u}]\n";
  }
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  rules = testing::LoadRules(text, "prefilter.yaml", errors).rules;
  ASSERT_TRUE(errors.empty()) << errors[0].where << ": " << errors[0].message;
  auto matcher = Matcher::Compile(rules, errors);
  ASSERT_TRUE(errors.empty()) << errors[0].message;
  ASSERT_EQ(matcher->rules().size(), when.size());

  const std::vector<std::string> values = {"",
                                           "12345",
                                           "CODE SIGNATURE INVALID for /Applications/Foo.app",
                                           "ÜBERPRÜFUNG FEHLGESCHLAGEN: Foo",
                                           "Sandbox: Foo(12) deny(1) file-read-data /etc",
                                           "deny file-read",
                                           "amfid",
                                           "abc",
                                           "x",
                                           "trustd",
                                           "two words",
                                           "bc",
                                           "überprüfung",
                                           "42 is not 12345"};
  Matcher::Scratch scratch;
  for (RecordKind kind : {RecordKind::kLogEvent, RecordKind::kCrashReport}) {
    for (const std::string& process : values) {
      for (const std::string& message : values) {
        Record record = Log(process, message);
        record.kind = kind;
        std::vector<uint32_t> hits;
        matcher->Match(record, scratch, hits);
        std::vector<uint32_t> expected;
        for (uint32_t r = 0; r < rules.size(); ++r) {
          if (kind == RecordKind::kCrashReport && !rules[r].applies_to_crash) continue;
          std::string_view value = when[r].first == "process" ? process : message;
          if (!value.empty() && RE2::PartialMatch(value, RE2(when[r].second))) expected.push_back(r);
        }
        EXPECT_EQ(hits, expected) << "process '" << process << "', message '" << message << "'";
      }
    }
  }
}

}  // namespace
}  // namespace tediag
