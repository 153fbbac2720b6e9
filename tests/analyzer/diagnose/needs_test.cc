// A rule with `needs:` stands only beside a finding of a rule it needs, from the same input:
// csi-malformed-signature-killed (codesign's "invalid or unsupported format for signature")
// needs the shell's "killed" (ne-killed-at-start). The lines are real: the report of
// freecodexyz/free-code#29 (Anthony2cc, 2026-04-12) and, alone, the re-signing error of
// Urinx/iOSAppHook#19 (iphone-andy, 2017-01-20).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analyzer.h"
#include "test_support.h"

namespace tediag {
namespace {

using testing::EmbeddedMatcher;

constexpr std::string_view kKilled = "zsh: killed     free-code /login\n";
constexpr std::string_view kRefused =
    "However, when trying to manually apply an ad-hoc signature to bypass Gatekeeper (codesign --force --deep -s - "
    "cli-dev), the built-in codesign tool rejects the file: cli-dev: invalid or unsupported format for signature.\n";

bool HasRule(const Report& report, std::string_view id) {
  for (const Finding& f : report.findings) {
    if (f.rule->id == id) return true;
  }
  return false;
}

TEST(RuleNeeds, StandsBesideTheFindingItNeeds) {
  Report report = AnalyzeText(EmbeddedMatcher(), "issue.md", std::string(kKilled) + "\n" + std::string(kRefused));
  ASSERT_FALSE(report.diagnoses.empty());
  EXPECT_EQ(RootCause(report)->rule->id, "csi-malformed-signature-killed");
  EXPECT_TRUE(HasRule(report, "ne-killed-at-start"));
}

TEST(RuleNeeds, AloneItIsDroppedAndItsLineListedAsUnexplained) {
  Report report = AnalyzeText(EmbeddedMatcher(), "issue.md",
                              "+1 注入就报错invalid or unsupported format for signature In architecture: x86_64\n");
  EXPECT_FALSE(HasRule(report, "csi-malformed-signature-killed"));
  EXPECT_TRUE(report.diagnoses.empty());
  ASSERT_EQ(report.unexplained.size(), 1u);
  EXPECT_EQ(report.unexplained[0].line, 1u);
  EXPECT_NE(report.unexplained[0].text.find("invalid or unsupported format for signature"), std::string::npos);
}

TEST(RuleNeeds, TheNeededFindingMustComeFromTheSameInput) {
  std::filesystem::path dir = testing::ScratchDir("rule-needs");
  std::ofstream(dir / "shell.txt") << kKilled;
  std::ofstream(dir / "codesign.txt") << kRefused;
  AnalyzeOptions apart;
  apart.inputs = {(dir / "shell.txt").string(), (dir / "codesign.txt").string()};
  EXPECT_FALSE(HasRule(Analyze(EmbeddedMatcher(), apart), "csi-malformed-signature-killed"));
  std::ofstream(dir / "both.txt") << kKilled << kRefused;
  AnalyzeOptions together;
  together.inputs = {(dir / "both.txt").string()};
  EXPECT_TRUE(HasRule(Analyze(EmbeddedMatcher(), together), "csi-malformed-signature-killed"));
}

}  // namespace
}  // namespace tediag
