// Writing a rule in one loop: `rules check` finds every problem at its line, `rules show`
// prints a rule, `rules list --format json`, --rules FILE, --disable-rule, a user rule that
// replaces a built-in one, TEDIAG_RULES, and `analyze --explain` for a rule that does not match.
#include <string>

#include "cli_fixture.h"

namespace tediag {
namespace {

using testing::CliTest;
using testing::Outcome;

// The line Gatekeeper's AppleSystemPolicy logs (corpora/quarantine-block/…; rule gk-asp-denied).
constexpr const char* kAspLine = "ASP: Security policy would not allow process: 9724, /Applications/VDF/VDF.GUI\n";

// One rule with five problems, each on its own line (numbers in the comments).
constexpr const char* kBrokenRule = R"(rules:
  - id: many-problems
    class: no-such-class
    title: Five problems
    severity: error
    colour: red
    when:
      message: 'MyHelper: (?P<helper>\w+) failed'
      process: '(unclosed'
    explanation: The helper {helper} of {helpr} did not start.
    fix: [Reinstall the app.]
    references: [{title: Our docs, url: 'https://example.com/helper'}]
    refines: [no-such-rule]
)";
// line 3: class; 6: unknown key; 9: bad pattern; 10: {helpr}; 13: refines (once the rest is fixed)

TEST_F(CliTest, RulesCheckReportsEveryProblemOfARuleAtItsLine) {
  Write(dir_ / "mine.yaml", kBrokenRule);
  Outcome check = Tediag("rules check " + Quoted(dir_ / "mine.yaml"));  // a file, not a folder
  EXPECT_EQ(check.status, 1);
  EXPECT_NE(check.out.find("mine.yaml:6: rule many-problems: unknown key 'colour'"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("mine.yaml:9: rule many-problems: bad pattern for process '(unclosed'"), std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("mine.yaml:10: rule many-problems: explanation: {helpr} names no capture of the rule's "
                           "patterns (captures: helper)"),
            std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("3 problems"), std::string::npos) << check.out;

  // Fixed but for its class and refines: both found by the check of the whole set.
  std::string fixed = kBrokenRule;
  fixed.replace(fixed.find("    colour: red\n"), 16, "");
  fixed.replace(fixed.find("      process: '(unclosed'\n"), 27, "");
  fixed.replace(fixed.find("{helpr}"), 7, "{app}");
  Write(dir_ / "mine.yaml", fixed);
  Outcome whole = Tediag("rules check " + Quoted(dir_ / "mine.yaml"));
  EXPECT_EQ(whole.status, 1);
  EXPECT_NE(whole.out.find("mine.yaml:2: rule many-problems: unknown class 'no-such-class' (classes: "
                           "code-signature-invalid, "),
            std::string::npos)
      << whole.out;
  fixed.replace(fixed.find("no-such-class"), 13, "sandbox-inheritance");
  Write(dir_ / "mine.yaml", fixed);
  Outcome refines = Tediag("rules check " + Quoted(dir_ / "mine.yaml"));
  EXPECT_EQ(refines.status, 1);
  EXPECT_NE(
      refines.out.find("mine.yaml:11: rule many-problems: refines 'no-such-rule', which names no rule id or class"),
      std::string::npos)
      << refines.out;
}

TEST_F(CliTest, AnEmptyRuleFolderIsAWarning) {
  std::filesystem::create_directories(dir_ / "empty");
  Outcome check = Tediag("rules check " + Quoted(dir_ / "empty"));
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_NE(check.out.find("empty: warning: holds no rule file"), std::string::npos) << check.out;
  Outcome analyze = Tediag("analyze --rules " + Quoted(dir_ / "empty") + " -", kAspLine);
  EXPECT_EQ(analyze.status, 0);
  EXPECT_NE(analyze.err.find("warning: " + (dir_ / "empty").string() + ": holds no rule file"), std::string::npos)
      << analyze.err;
}

TEST_F(CliTest, RulesShowPrintsOneRule) {
  Outcome show = Tediag("rules show gk-asp-denied");
  EXPECT_EQ(show.status, 0) << show.err;
  EXPECT_NE(show.out.find("gk-asp-denied  Gatekeeper"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("from rules/quarantine-block.yaml:"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("    message: (?:ASP: )?Security policy would not allow process"), std::string::npos)
      << show.out;
  for (const char* part : {"explanation\n", "fix\n    1. ", "references\n", "examples that must match\n"}) {
    EXPECT_NE(show.out.find(part), std::string::npos) << part << "\n" << show.out;
  }
  Outcome missing = Tediag("rules show gk-nothing");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no rule has the id 'gk-nothing'"), std::string::npos);
}

TEST_F(CliTest, RulesListAsJson) {
  Outcome list = Tediag("rules list --format json");
  EXPECT_EQ(list.status, 0);
  EXPECT_EQ(list.out.front(), '[');
  EXPECT_NE(list.out.find("\"id\": \"gk-asp-denied\""), std::string::npos) << list.out.substr(0, 500);
  EXPECT_NE(list.out.find("\"source\": \"embedded\""), std::string::npos);
}

TEST_F(CliTest, DisableRuleLeavesItOut) {
  Outcome run = Tediag("analyze --format json --disable-rule gk-asp-denied", kAspLine);
  EXPECT_EQ(run.out.find("\"rule\": \"gk-asp-denied\""), std::string::npos) << run.out;
  Outcome unknown = Tediag("analyze --disable-rule gk-asp-denyed", kAspLine);
  EXPECT_NE(unknown.err.find("no rule has the id 'gk-asp-denyed'"), std::string::npos) << unknown.err;
}

// A team's own version of gk-asp-denied, loaded from --rules or from TEDIAG_RULES.
constexpr const char* kTeamRule = R"(rules:
  - id: gk-asp-denied
    class: quarantine-block
    title: Our build was blocked by Gatekeeper
    severity: error
    when:
      message: 'Security policy would not allow process: (?P<pid>\d+), (?P<path>/.*\S)'
    explanation: Gatekeeper refused {path}; see the team wiki.
    fix: [Notarize the build with the team's script.]
    references: [{title: Team wiki, url: 'https://example.com/wiki/gatekeeper'}]
    examples: {match: ['ASP: Security policy would not allow process: 1, /Applications/A.app/Contents/MacOS/A']}
)";

TEST_F(CliTest, AUserRuleReplacesTheBuiltInRuleOfItsIdAndTheReportSaysSo) {
  Write(dir_ / "team" / "gk.yaml", kTeamRule);
  Outcome run = Tediag("analyze --rules " + Quoted(dir_ / "team" / "gk.yaml"), kAspLine);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("ROOT CAUSE  Our build was blocked by Gatekeeper"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("rule gk-asp-denied replaces the built-in rule of that id"), std::string::npos) << run.out;
  // `rules test` takes the file too: it tests that file's rule alone.
  Outcome test = Tediag("rules test " + Quoted(dir_ / "team" / "gk.yaml"));
  EXPECT_NE(test.out.find("tediag rules test: 1 rule, 1 examples, 1 passed, 0 failed"), std::string::npos) << test.out;
  Outcome json = Tediag("analyze --format json --rules " + Quoted(dir_ / "team"), kAspLine);
  EXPECT_NE(json.out.find("replaces the built-in rule"), std::string::npos) << json.out;
  // The Markdown report, pasted into a ticket, says so too, naming the file and line of the rule.
  Outcome markdown = Tediag("analyze --format markdown --rules " + Quoted(dir_ / "team"), kAspLine);
  EXPECT_NE(markdown.out.find("**Root cause:** Our build was blocked by Gatekeeper"), std::string::npos)
      << markdown.out;
  EXPECT_NE(markdown.out.find("- **Rule replaced** `" + (dir_ / "team" / "gk.yaml").string() +
                              ":2`: rule gk-asp-denied replaces the built-in rule of that id"),
            std::string::npos)
      << markdown.out;
}

TEST_F(CliTest, TediagRulesLoadsATeamsRulesEveryTime) {
  Write(dir_ / "team" / "gk.yaml", kTeamRule);
  std::string env = "NO_COLOR=1 TEDIAG_RULES='" + (dir_ / "nowhere").string() + ":" + (dir_ / "team").string() + "'";
  Outcome run = Tediag("analyze", kAspLine, {}, env);
  EXPECT_NE(run.out.find("ROOT CAUSE  Our build was blocked by Gatekeeper"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("nowhere: no such rule file or folder"), std::string::npos) << run.err;
  Outcome test = Tediag("rules test", "", {}, env);
  EXPECT_NE(test.out.find("tediag rules test: 1 rule, 1 examples, 1 passed, 0 failed"), std::string::npos) << test.out;
}

// A rule with `needs` is shown matched with the condition it is kept on (the lines of
// freecodexyz/free-code#29, Anthony2cc, 2026-04-12).
TEST_F(CliTest, ExplainSaysWhatARuleWithNeedsIsKeptOn) {
  Outcome run = Tediag("analyze --explain -", "cli-dev: invalid or unsupported format for signature\n");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("  matched  csi-malformed-signature-killed  (kept only beside ne-killed-at-start from this "
                         "input)\n"),
            std::string::npos)
      << run.out;
}

TEST_F(CliTest, ExplainShowsHowEachLineWasReadAndWhichRulesCameClose) {
  // The ASP line retold with a name where the pid and path go: the literal is there, the pattern
  // (which wants a pid, or its elision, then a path) does not match. An elided pid ("<pid>, /path")
  // does match: the verdict is still the kernel's (quarantine-block.yaml, gk-asp-denied).
  Outcome run = Tediag("analyze --explain -", std::string(kAspLine) +
                                                  "ASP: Security policy would not allow process: "
                                                  "VDF.GUI\n");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("(stdin):1  log record, read as text"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("    message: ASP: Security policy would not allow process: 9724"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  matched  gk-asp-denied"), std::string::npos) << run.out;
  size_t second = run.out.find("(stdin):2  log record");
  ASSERT_NE(second, std::string::npos) << run.out;
  EXPECT_NE(run.out.find("  came close  gk-asp-denied (rules/quarantine-block.yaml:", second), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("(literal present, pattern did not match)", second), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2 records described."), std::string::npos) << run.out;
}

}  // namespace
}  // namespace tediag
