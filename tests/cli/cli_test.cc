// Runs the built `tediag` binary as a user would, and checks output and exit status.
#include <filesystem>
#include <fstream>

#include "cli_fixture.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::CliTest;
using testing::Outcome;
using testing::Slurp;

TEST_F(CliTest, VersionAndHelp) {
  Outcome version = Tediag("--version");
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out.rfind("tediag ", 0), 0u);
  Outcome help = Tediag("analyze --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
  EXPECT_NE(help.out.find("--fail-on"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Tediag("").status, 2);
  EXPECT_EQ(Tediag("analyze --no-such-option x").status, 2);
  EXPECT_EQ(Tediag("analyze --format yaml x").status, 2);
  EXPECT_EQ(Tediag("frobnicate").status, 2);
}

TEST_F(CliTest, AnalyzesACrashReportInEveryFormat) {
  std::string crash = Corpus("code-signature-invalid/pelt-10.14.2-code0x1/Pelt.crash");
  Outcome text = Tediag("analyze " + crash);
  EXPECT_EQ(text.status, 0);
  EXPECT_NE(text.out.find("ROOT CAUSE  The code signature was rejected when the app started"), std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find('\x1b'), std::string::npos) << "no colour on a pipe";
  Outcome json = Tediag("analyze --format json " + crash);
  EXPECT_NE(json.out.find("\"class\": \"code-signature-invalid\""), std::string::npos);
  Outcome md = Tediag("analyze --format markdown " + crash);
  EXPECT_NE(md.out.find("**Class:** `code-signature-invalid`"), std::string::npos);
}

TEST_F(CliTest, FailOnSetsTheExitStatus) {
  std::string crash = Corpus("code-signature-invalid/pelt-10.14.2-code0x1/Pelt.crash");
  EXPECT_EQ(Tediag("analyze --fail-on error " + crash).status, 1);
  EXPECT_EQ(Tediag("analyze --fail-on never " + crash).status, 0);
  std::string calm = Corpus("negative/pycrashreport-monterey-sigsegv/sleep.ips");
  EXPECT_EQ(Tediag("analyze --fail-on warning " + calm).status, 0);
}

TEST_F(CliTest, ReadsStandardInputAndWritesToAFile) {
  fs::path report = dir_ / "report.json";
  Outcome run = Tediag("analyze --format json --output '" + report.string() + "' -",
                       "ASP: Security policy would not allow process: 9724, /Applications/VDF/VDF.GUI\n");
  EXPECT_EQ(run.status, 0);
  EXPECT_TRUE(run.out.empty());
  std::string json = Slurp(report);
  EXPECT_NE(json.find("\"path\": \"(stdin)\""), std::string::npos);
  EXPECT_NE(json.find("\"rule\": \"gk-asp-denied\""), std::string::npos);
}

TEST_F(CliTest, NoReadableInputExitsWithThree) {
  Outcome run = Tediag("analyze '" + (dir_ / "nope.log").string() + "'");
  EXPECT_EQ(run.status, 3);
  EXPECT_NE(run.err.find("no such file or folder"), std::string::npos);
  EXPECT_NE(run.err.find("no input could be read"), std::string::npos);
}

TEST_F(CliTest, AnUnreadableInputDoesNotHideTheOthers) {
  std::string crash = Corpus("code-signature-invalid/pelt-10.14.2-code0x1/Pelt.crash");
  Outcome run = Tediag("analyze '" + (dir_ / "nope.log").string() + "' " + crash);
  EXPECT_EQ(run.status, 4) << "a named input that was not read fails the run";
  EXPECT_NE(run.out.find("ROOT CAUSE"), std::string::npos);
  EXPECT_NE(run.out.find("nope.log  not read: no such file or folder"), std::string::npos) << run.out;
}

TEST_F(CliTest, UserRulesAddToTheEmbeddedOnesAndBadOnesAreReported) {
  fs::create_directories(dir_ / "rules");
  std::ofstream(dir_ / "rules" / "mine.yaml") << R"(rules:
  - id: my-helper-missing
    class: sandbox-inheritance
    title: Our helper was not found
    severity: error
    applies_to: log
    when:
      message: 'MyHelper: launch failed'
    explanation: The helper did not start.
    fix: [Reinstall the app.]
    references: [{title: Our docs, url: 'https://example.com/helper'}]
  - id: broken
    class: sandbox-inheritance
    title: Broken
    severity: error
    when: {message: '(unclosed'}
    explanation: x
    fix: [x]
    references: [{title: x, url: x}]
)";
  Outcome list = Tediag("rules list --rules '" + (dir_ / "rules").string() + "'");
  EXPECT_NE(list.out.find("my-helper-missing"), std::string::npos);
  EXPECT_NE(list.out.find("csi-crash-killed"), std::string::npos);
  EXPECT_NE(list.err.find("mine.yaml:16: rule broken: bad pattern"), std::string::npos) << list.err;
  Outcome run = Tediag("analyze --rules '" + (dir_ / "rules").string() + "' -", "MyHelper: launch failed\n");
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.out.find("ROOT CAUSE  Our helper was not found"), std::string::npos) << run.out;
}

TEST_F(CliTest, RulesCheckAndTestReportProblemsWithFileAndLine) {
  Outcome builtin_check = Tediag("rules check");
  EXPECT_EQ(builtin_check.status, 0) << builtin_check.out;
  EXPECT_NE(builtin_check.out.find("rules valid, 0 problems"), std::string::npos);
  Outcome builtin_test = Tediag("rules test");
  EXPECT_EQ(builtin_test.status, 0) << builtin_test.out;
  EXPECT_NE(builtin_test.out.find(" 0 failed"), std::string::npos);

  fs::create_directories(dir_ / "rules");
  std::ofstream(dir_ / "rules" / "mine.yaml") << R"(rules:
  - id: csi-crash-killed
    class: code-signature-invalid
    title: A copy of a built-in id
    severity: error
    when: {message: 'x'}
    explanation: x
    fix: [x]
    references: [{title: x, url: x}]
    examples: {match: ['x']}
  - id: wrong-example
    class: tcc-denied
    title: Says camera, tested with microphone
    severity: warning
    when: {message: 'kTCCServiceCamera'}
    explanation: x
    fix: [x]
    references: [{title: x, url: x}]
    examples:
      match: ['kTCCServiceMicrophone']
  - id: bad-key
    clas: tcc-denied
)";
  std::string dir = "'" + (dir_ / "rules").string() + "'";
  Outcome check = Tediag("rules check " + dir);
  EXPECT_EQ(check.status, 1);
  EXPECT_NE(check.out.find("mine.yaml:22: rule bad-key: unknown key 'clas'"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("mine.yaml:2: note: rule csi-crash-killed replaces the built-in rule of that id"),
            std::string::npos)
      << check.out;
  Outcome test = Tediag("rules test " + dir);
  EXPECT_EQ(test.status, 1);
  EXPECT_NE(test.out.find("FAIL "), std::string::npos);
  EXPECT_NE(test.out.find("mine.yaml:20: rule wrong-example does not match its example:"), std::string::npos)
      << test.out;
  EXPECT_NE(test.out.find("tediag rules test: 2 rules, 2 examples, 1 passed, 1 failed"), std::string::npos) << test.out;
}

// The embedded rules are named "rules/<file>" too, but a user's own folder called rules/ is the
// user's: `rules test rules/` tests the rules in it, not the embedded database.
TEST_F(CliTest, AFolderNamedRulesHoldsTheUsersRules) {
  fs::create_directories(dir_ / "rules");
  std::ofstream(dir_ / "rules" / "mine.yaml") << R"(rules:
  - id: my-camera-rule
    class: tcc-denied
    title: Camera refused
    severity: warning
    when: {message: 'kTCCServiceCamera'}
    explanation: x
    fix: [x]
    references: [{title: x, url: x}]
    examples: {match: ['Refusing kTCCServiceCamera']}
)";
  Outcome test = Tediag("rules test rules/", "", dir_);
  EXPECT_EQ(test.status, 0) << test.out << test.err;
  EXPECT_NE(test.out.find("tediag rules test: 1 rule, 1 examples, 1 passed, 0 failed"), std::string::npos) << test.out;
  Outcome check = Tediag("rules check rules", "", dir_);
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_NE(check.out.find("1 rule"), std::string::npos) << check.out;
}

}  // namespace
}  // namespace tediag
