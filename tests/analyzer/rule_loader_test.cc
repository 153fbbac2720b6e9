#include "rule_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tediag {
namespace {

std::vector<RuleError> Load(std::string_view text, std::vector<Rule>* out = nullptr) {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  LoadRuleText(text, "mine.yaml", rules, errors);
  if (out) *out = std::move(rules);
  return errors;
}

constexpr std::string_view kGood = R"(rules:
  - id: mine
    class: apple-events-consent
    title: Mine
    severity: warning
    applies_to: log
    when:
      message: 'hello (?P<who>\w+)'
    explanation: 'Hello {who}'
    fix:
      - one
    references:
      - title: Doc
        url: https://developer.apple.com/
    refines: [ae-not-permitted]
    examples:
      match: ['hello world']
      no_match: ['goodbye']
)";

TEST(RuleLoader, LoadsEveryKey) {
  std::vector<Rule> rules;
  ASSERT_TRUE(Load(kGood, &rules).empty());
  ASSERT_EQ(rules.size(), 1u);
  const Rule& r = rules[0];
  EXPECT_EQ(r.id, "mine");
  EXPECT_EQ(r.origin, "mine.yaml:2");
  EXPECT_EQ(r.severity, Severity::kWarning);
  EXPECT_TRUE(r.applies_to_log);
  EXPECT_FALSE(r.applies_to_crash);
  ASSERT_EQ(r.when.size(), 1u);
  EXPECT_EQ(r.when[0][0].field, Field::kMessage);
  EXPECT_EQ(r.refines, std::vector<std::string>{"ae-not-permitted"});
  ASSERT_EQ(r.examples.size(), 2u);
  EXPECT_TRUE(r.examples[0].should_match);
  EXPECT_EQ(r.examples[0].line, 17u);
  EXPECT_FALSE(r.examples[1].should_match);
}

TEST(RuleLoader, UnknownKeyIsNamedWithItsLine) {
  std::string text(kGood);
  text.replace(text.find("    severity"), 0, "    sevrity: error\n");
  auto errors = Load(text);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "mine.yaml:5");
  EXPECT_NE(errors[0].message.find("rule mine: unknown key 'sevrity'"), std::string::npos) << errors[0].message;
}

TEST(RuleLoader, UnknownFieldAndClassAndMissingKeysAreErrors) {
  std::string field(kGood);
  field.replace(field.find("message: 'hello"), 7, "mesage");
  EXPECT_NE(Load(field)[0].message.find("unknown field 'mesage'"), std::string::npos);

  std::string slug(kGood);
  slug.replace(slug.find("apple-events-consent"), 20, "apple-events");
  EXPECT_NE(Load(slug)[0].message.find("unknown class 'apple-events'"), std::string::npos);

  std::string no_refs(kGood.substr(0, kGood.find("    references:")));
  EXPECT_NE(Load(no_refs)[0].message.find("missing required key 'references'"), std::string::npos);
}

TEST(RuleLoader, BrokenYamlIsReportedWithItsLine) {
  auto errors = Load("rules:\n  - id: x\n    when: [unclosed\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("YAML syntax"), std::string::npos);
  EXPECT_EQ(errors[0].where.substr(0, 10), "mine.yaml:");
}

TEST(RuleLoader, OneBadRuleLeavesTheOthers) {
  std::string text(kGood);
  text += "  - id: broken\n    class: quarantine-block\n";
  std::vector<Rule> rules;
  auto errors = Load(text, &rules);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(rules.size(), 1u);
}

TEST(RuleLoader, DuplicateIdsKeepTheFirst) {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  LoadRuleText(kGood, "a.yaml", rules, errors);
  LoadRuleText(kGood, "b.yaml", rules, errors);
  RemoveDuplicateIds(rules, errors);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].origin, "a.yaml:2");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "b.yaml:2");
}

TEST(RuleLoader, EmbeddedRulesLoadCleanly) {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  LoadEmbeddedRules(rules, errors);
  EXPECT_TRUE(errors.empty()) << errors[0].where << ": " << errors[0].message;
  EXPECT_GE(rules.size(), 4u);
}

TEST(RuleLoader, ReadsADirectory) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "tediag-rule-loader-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "nested");
  std::ofstream(dir / "nested" / "mine.yml") << kGood;
  std::ofstream(dir / "README.md") << "not a rule";
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
  LoadRuleDirectory(dir.string(), rules, errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_NE(rules[0].origin.find("mine.yml:2"), std::string::npos);
  LoadRuleDirectory((dir / "missing").string(), rules, errors);
  EXPECT_EQ(errors.size(), 1u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tediag
