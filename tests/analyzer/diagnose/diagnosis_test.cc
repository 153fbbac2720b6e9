// Choosing the root cause: real message shapes through the embedded rules.
#include "diagnose/diagnosis.h"

#include <gtest/gtest.h>

#include "analyzer.h"
#include "test_support.h"

namespace tediag {
namespace {

using testing::EmbeddedMatcher;

constexpr std::string_view kInvalidPageCrash =
    "Process:               SiriKali [4321]\n"
    "Path:                  /Applications/SiriKali.app/Contents/MacOS/SiriKali\n"
    "Exception Type:    EXC_BAD_ACCESS (SIGKILL (Code Signature Invalid))\n"
    "Exception Codes:   0x0000000000000032, 0x0000000102d5c000\n"
    "Termination Reason:  Namespace CODESIGNING, Code 2, Invalid Page\n";

TEST(Diagnosis, SpecificRuleSupersedesTheGenericOneForTheSameApp) {
  Report report = AnalyzeText(EmbeddedMatcher(), "crash", kInvalidPageCrash);
  ASSERT_FALSE(report.diagnoses.empty());
  const Finding& cause = (*RootCause(report));
  EXPECT_EQ(cause.rule->id, "csi-crash-invalid-page");
  EXPECT_EQ(AppName(report, cause.app), "SiriKali");
  // One record, however specific, is medium confidence: nothing else corroborates it.
  EXPECT_EQ(report.diagnoses.front().confidence, Confidence::kMedium);
  // The generic finding repeated the same evidence, so it was folded into the specific one.
  EXPECT_EQ(testing::RuleIds(report), std::vector<std::string>{"csi-crash-invalid-page"});
}

TEST(Diagnosis, ACrashReportBeatsAnUnattributedLine) {
  std::string text(kInvalidPageCrash);
  text += "\nexecution error: Not authorized to send Apple events to System Events. (-1743)\n";
  Report report = AnalyzeText(EmbeddedMatcher(), "paste", text);
  // Two failures: SiriKali's, named, first; the -1743 line names no app, so it is not SiriKali's
  // and never more than medium confidence.
  ASSERT_EQ(report.diagnoses.size(), 2u);
  EXPECT_EQ(AppName(report, report.diagnoses[0].app), "SiriKali");
  EXPECT_FALSE(report.diagnoses[1].app.has_value());
  EXPECT_EQ(report.diagnoses[1].confidence, Confidence::kMedium);
  EXPECT_NE(report.headline.find("1 app with a trusted-execution failure: SiriKali (code signature invalid)"),
            std::string::npos)
      << report.headline;
  EXPECT_NE(report.headline.find("1 failure whose evidence names no app (apple events consent)"), std::string::npos)
      << report.headline;
}

TEST(Diagnosis, FocusedAppWinsOverOtherProcesses) {
  std::string text(kInvalidPageCrash);
  text += "\nASP: Security policy would not allow process: 9724, /Applications/Other.app/Contents/MacOS/Other\n";
  Report unfocused = AnalyzeText(EmbeddedMatcher(), "paste", text);
  Report focused = AnalyzeText(EmbeddedMatcher(), "paste", text, "other");
  ASSERT_EQ(unfocused.diagnoses.size(), 2u);
  // --app narrows the report to the app it names.
  ASSERT_EQ(focused.diagnoses.size(), 1u);
  EXPECT_EQ(AppName(focused, RootCause(focused)->app), "Other");
  EXPECT_EQ(RootCause(focused)->rule->class_slug, "quarantine-block");
  EXPECT_TRUE(focused.findings[0].about_focus);
  for (const Finding& f : focused.findings) EXPECT_NE(AppName(focused, f.app), "SiriKali");
}

TEST(Diagnosis, FocusOnAnAppWithoutEvidenceSaysSoAndListsTheAppsSeen) {
  Report report = AnalyzeText(EmbeddedMatcher(), "crash", kInvalidPageCrash, "com.example.unrelated");
  EXPECT_TRUE(report.diagnoses.empty());
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.headline, "Nothing here concerns com.example.unrelated; apps seen: SiriKali.");
}

TEST(Diagnosis, FocusMatchesAnyNameOfTheApp) {
  // The crash report names SiriKali by process, path and bundle ID: each finds it.
  std::string text(kInvalidPageCrash);
  text.insert(text.find("Exception Type"), "Identifier:            io.github.mhogomchungu.sirikali\n");
  for (const char* focus : {"sirikali", "io.github.mhogomchungu.sirikali", "/Applications/SiriKali.app"}) {
    Report report = AnalyzeText(EmbeddedMatcher(), "crash", text, focus);
    ASSERT_EQ(report.diagnoses.size(), 1u) << focus;
    EXPECT_EQ(AppName(report, report.diagnoses[0].app), "SiriKali") << focus;
  }
}

TEST(Diagnosis, DeclaredRefinementWinsAmongApps) {
  // A client's -1743 and tccd's reason: the reason is the root cause.
  Report report = AnalyzeText(EmbeddedMatcher(), "paste",
                              "Error from event: The operation couldn’t be completed. (OSStatus error -1743.)\n"
                              "AccessRequestIndirect: Policy disallows prompt for com.raphaelamorim.rio; access to "
                              "kTCCServiceAppleEvents denied\n");
  ASSERT_FALSE(report.diagnoses.empty());
  EXPECT_EQ(report.findings[0].rule->id, "ae-policy-disallows-prompt");
  EXPECT_EQ(AppName(report, report.findings[0].app), "com.raphaelamorim.rio");
  EXPECT_EQ(report.findings.size(), 2u);
  // The client's line names no app: listed, but not a failure of its own beside the reason.
  EXPECT_EQ(report.diagnoses.size(), 1u);
}

TEST(Diagnosis, WarningsAloneGiveNoDiagnosis) {
  Report report = AnalyzeText(
      EmbeddedMatcher(), "log",
      "syspolicyd: [com.apple.syspolicy.exec:default] Prompt shown (7, 0), waiting for response: PST: (path: "
      "/Applications/A.app), (team: (null))\n");
  EXPECT_TRUE(report.diagnoses.empty());
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].rule->severity, Severity::kWarning);
  EXPECT_EQ(AppName(report, report.findings[0].app), "A");
  EXPECT_EQ(report.headline, "No trusted-execution failure found.");
}

TEST(Diagnosis, EvidenceIsCappedButCounted) {
  std::string text;
  for (int i = 0; i < 25; ++i) text += "kernel[0]: Sandbox: Helper(7649) deny(1) forbidden-sandbox-reinit\n";
  Report report = AnalyzeText(EmbeddedMatcher(), "log", text);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].hits, 25u);
  EXPECT_EQ(report.findings[0].evidence.size(), kMaxEvidence);
  EXPECT_EQ(report.findings[0].evidence.back().line, kMaxEvidence);
}

TEST(Diagnosis, ExplanationIsFilledFromCaptures) {
  Report report = AnalyzeText(EmbeddedMatcher(), "log",
                              "ASP: Security policy would not allow process: 9724, /Applications/VDF/VDF.GUI\n");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].explanation.find("refused to run /Applications/VDF/VDF.GUI (pid 9724)"),
            std::string::npos)
      << report.findings[0].explanation;
}

}  // namespace
}  // namespace tediag
