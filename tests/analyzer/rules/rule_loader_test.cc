#include "rules/rule_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <span>

#include "match/pattern_prefilter.h"
#include "tediag/embedded_rules.h"
#include "test_support.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;

// Loads `text` as a user's rule file beside the embedded rules and classes, as tediag does;
// `out` receives the user's rules.
std::vector<RuleError> Load(std::string_view text, std::vector<Rule>* out = nullptr) {
  std::vector<RuleError> errors;
  RuleSet set = EmbeddedRuleSet();
  LoadRuleText(text, "mine.yaml", set, errors);
  CheckRuleSet(set, errors);
  if (out) {
    for (Rule& rule : set.rules) {
      if (rule.source == RuleSource::kUser) out->push_back(std::move(rule));
    }
  }
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
  // Every missing key of the broken rule is named, each at the rule's line.
  ASSERT_EQ(errors.size(), 6u);
  for (const RuleError& error : errors) {
    EXPECT_EQ(error.where, "mine.yaml:19");
    EXPECT_NE(error.message.find("rule broken: missing required key"), std::string::npos) << error.message;
  }
  EXPECT_EQ(rules.size(), 1u);
}

TEST(RuleLoader, ARefinesNamingNothingIsReportedAtItsLine) {
  std::string text(kGood);
  text.replace(text.find("[ae-not-permitted]"), 18, "[ae-not-permited]");
  auto errors = Load(text);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "mine.yaml:15");
  EXPECT_NE(errors[0].message.find("refines 'ae-not-permited', which names no rule id or class"), std::string::npos)
      << errors[0].message;
}

TEST(RuleLoader, NeedsIsReadAndANameItCannotFindIsReported) {
  std::string text(kGood);
  text.replace(text.find("    refines:"), 0, "    needs: [ne-killed-at-start, no-such-class]\n");
  std::vector<Rule> rules;
  auto errors = Load(text, &rules);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "mine.yaml:2");
  EXPECT_NE(errors[0].message.find("rule mine: needs 'no-such-class', which names no rule id or class"),
            std::string::npos)
      << errors[0].message;
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].needs, (std::vector<std::string>{"ne-killed-at-start", "no-such-class"}));
}

TEST(RuleLoader, AnUnknownPlaceholderIsAProblemAtItsLine) {
  std::string text(kGood);
  text.replace(text.find("'Hello {who}'"), 13, "'Hello {whom}'");
  auto errors = Load(text);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "mine.yaml:9");
  EXPECT_NE(errors[0].message.find("{whom} names no capture of the rule's patterns (captures: who)"), std::string::npos)
      << errors[0].message;
}

TEST(RuleLoader, AUserRuleReplacesTheEmbeddedRuleOfItsId) {
  RuleSet set = EmbeddedRuleSet();
  size_t before = set.rules.size();
  std::string text(kGood);
  text.replace(text.find("id: mine"), 8, "id: ae-not-permitted");
  text.replace(text.find("refines: [ae-not-permitted]"), 27, "refines: [tcc-denied]");
  std::vector<RuleError> errors, replaced;
  LoadRuleText(text, "mine.yaml", set, errors);
  CheckRuleSet(set, errors, &replaced);
  EXPECT_TRUE(errors.empty()) << errors[0].message;
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_EQ(replaced[0].where, "mine.yaml:2");
  EXPECT_EQ(set.rules.size(), before);
  auto it = std::find_if(set.rules.begin(), set.rules.end(), [](const Rule& r) { return r.id == "ae-not-permitted"; });
  ASSERT_NE(it, set.rules.end());
  EXPECT_EQ(it->title, "Mine");
}

TEST(RuleLoader, LoadsAFileOrAFolder) {
  fs::path dir = testing::ScratchDir("rule-path");
  std::ofstream(dir / "one.rules") << kGood;  // any name, when given itself
  RuleSet set = EmbeddedRuleSet();
  std::vector<RuleError> errors;
  EXPECT_EQ(LoadRulePath((dir / "one.rules").string(), set, errors), 1u);
  EXPECT_EQ(LoadRulePath(dir.string(), set, errors), 0u) << "a folder reads *.yaml and *.yml only";
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(LoadRulePath((dir / "missing").string(), set, errors), 0u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "no such rule file or folder");
  fs::remove_all(dir);
}

TEST(RuleLoader, DuplicateIdsKeepTheFirst) {
  RuleSet set;
  set.classes = EmbeddedRuleSet().classes;
  std::string text(kGood);
  text.replace(text.find("refines: [ae-not-permitted]"), 27, "refines: [tcc-denied]");  // a class of the set
  std::vector<RuleError> errors;
  LoadRuleText(text, "a.yaml", set, errors);
  LoadRuleText(text, "b.yaml", set, errors);
  CheckRuleSet(set, errors);
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_EQ(set.rules[0].origin, "a.yaml:2");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "b.yaml:2");
  EXPECT_NE(errors[0].message.find("duplicate rule id 'mine'; this copy is ignored (first at a.yaml:2)"),
            std::string::npos)
      << errors[0].message;
}

// The database compiled in at build time is rules/*.yaml as the loader reads it: every class and
// every rule, whole (the structs' defaulted ==), so a member that compile_rules does not write fails.
TEST(RuleLoader, EmbeddedRulesAreTheRuleFilesAsLoaded) {
  RuleSet loaded_set;
  std::vector<RuleError> errors;
  LoadRuleDirectory(TEDIAG_SOURCE_DIR "/rules", loaded_set, errors);
  CheckRuleSet(loaded_set, errors);
  EXPECT_TRUE(errors.empty()) << errors[0].where << ": " << errors[0].message;
  RuleSet embedded_set = EmbeddedRuleSet();
  ASSERT_EQ(embedded_set.classes.size(), loaded_set.classes.size());
  for (size_t i = 0; i < loaded_set.classes.size(); ++i) {
    FailureClass embedded = embedded_set.classes[i];
    const FailureClass& loaded = loaded_set.classes[i];
    // The loader names files by the path it was given; the embedded copy by "rules/<file>".
    EXPECT_TRUE(loaded.origin.ends_with(embedded.origin)) << loaded.origin << " vs " << embedded.origin;
    embedded.origin = loaded.origin;
    EXPECT_TRUE(embedded == loaded) << embedded.slug;
  }
  ASSERT_EQ(embedded_set.rules.size(), loaded_set.rules.size());
  ASSERT_GE(embedded_set.rules.size(), 50u);
  for (size_t i = 0; i < embedded_set.rules.size(); ++i) {
    Rule embedded = embedded_set.rules[i];
    const Rule& loaded = loaded_set.rules[i];
    EXPECT_EQ(embedded.source, RuleSource::kEmbedded) << embedded.id;
    EXPECT_TRUE(loaded.origin.ends_with(embedded.origin)) << loaded.origin << " vs " << embedded.origin;
    embedded.origin = loaded.origin;
    embedded.source = loaded.source;
    EXPECT_TRUE(embedded == loaded) << embedded.id << " differs from its rule file as loaded";
  }
}

// The comparison above sees every member: a rule that differs from another in one member only is
// not equal to it. (A member added to Rule without a default == would not compile.)
TEST(RuleLoader, RulesDifferingInOneMemberAreNotEqual) {
  const Rule base = EmbeddedRuleSet().rules.front();
  std::vector<std::function<void(Rule&)>> edits = {
      [](Rule& r) { r.title += "x"; },
      [](Rule& r) { r.severity = r.severity == Severity::kInfo ? Severity::kError : Severity::kInfo; },
      [](Rule& r) { r.applies_to_crash = !r.applies_to_crash; },
      [](Rule& r) { r.when.push_back({}); },
      [](Rule& r) { r.unless.push_back({}); },
      [](Rule& r) { r.fix.push_back("x"); },
      [](Rule& r) {
        r.references.push_back({"t", "u"});
      },
      [](Rule& r) { r.refines.push_back("x"); },
      [](Rule& r) {
        r.examples.push_back({"x", true, 1});
      },
      [](Rule& r) { r.log_sources.push_back({}); },
      [](Rule& r) { r.source = r.source == RuleSource::kUser ? RuleSource::kEmbedded : RuleSource::kUser; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    Rule edited = base;
    edits[i](edited);
    EXPECT_FALSE(edited == base) << "edit " << i;
  }
}

// The prefilter analysis done at build time is what AnalyzePattern says now, for every pattern.
TEST(RuleLoader, EmbeddedPatternAnalysisMatchesTheAnalyzer) {
  std::span<const AnalysedPattern> patterns = EmbeddedPatternPrefilters();
  ASSERT_GE(patterns.size(), 50u);
  size_t gated = 0;
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(patterns[i - 1].pattern, patterns[i].pattern) << "not sorted at " << i;
    }
    absl::StatusOr<PatternAnalysis> analysed = AnalyzePattern(patterns[i].pattern);
    ASSERT_TRUE(analysed.ok()) << patterns[i].pattern << ": " << analysed.status();
    std::vector<std::string> stored(patterns[i].atoms.begin(), patterns[i].atoms.end());
    EXPECT_EQ(stored, analysed->prefilter.atoms) << patterns[i].pattern;
    if (!stored.empty()) ++gated;
  }
  // Nearly every rule pattern names a literal; if this drops, the prefilter has stopped working.
  EXPECT_GT(gated * 10, patterns.size() * 9) << gated << " of " << patterns.size();
}

TEST(RuleLoader, ReadsADirectory) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "tediag-rule-loader-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "nested");
  std::ofstream(dir / "nested" / "mine.yml") << kGood;
  std::ofstream(dir / "README.md") << "not a rule";
  RuleSet set;
  std::vector<RuleError> errors;
  LoadRuleDirectory(dir.string(), set, errors);
  std::vector<Rule>& rules = set.rules;
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_NE(rules[0].origin.find("mine.yml:2"), std::string::npos);
  LoadRuleDirectory((dir / "missing").string(), set, errors);
  EXPECT_EQ(errors.size(), 1u);
  fs::remove_all(dir);
}

// A failure class is data: a user's rule file may declare one and use it; an undeclared class,
// a duplicate class and a bad slug are each reported with their file and line.
TEST(RuleLoader, AUserFileMayDeclareItsOwnClass) {
  constexpr std::string_view kText = R"(classes:
  - slug: provisioning-profile
    title: Provisioning profile problem
    summary: The embedded profile is expired or does not match.
  - slug: code-signature-invalid
    title: A second copy
    summary: x
  - slug: Not A Slug
    title: x
    summary: x
rules:
  - id: my-profile-rule
    class: provisioning-profile
    title: Profile expired
    severity: error
    when: {message: 'profile has expired'}
    explanation: x
    fix: [x]
    references: [{title: x, url: x}]
  - id: my-other-rule
    class: no-such-class
    title: x
    severity: error
    when: {message: 'x'}
    explanation: x
    fix: [x]
    references: [{title: x, url: x}]
)";
  std::vector<Rule> rules;
  std::vector<RuleError> errors = Load(kText, &rules);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].class_slug, "provisioning-profile");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].where, "mine.yaml:8");
  EXPECT_NE(errors[0].message.find("lower-case letters"), std::string::npos) << errors[0].message;
  EXPECT_EQ(errors[1].where, "mine.yaml:5");
  EXPECT_NE(errors[1].message.find("duplicate class 'code-signature-invalid'"), std::string::npos);
  EXPECT_EQ(errors[2].where, "mine.yaml:20");
  EXPECT_NE(errors[2].message.find("unknown class 'no-such-class'"), std::string::npos) << errors[2].message;
}

}  // namespace
}  // namespace tediag
