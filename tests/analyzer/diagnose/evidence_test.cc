// What a report shows of its evidence (issue 11): the lines a rule matched, each at its own line;
// explanations filled from all of a finding's records; a negative result that says what was seen;
// and the lines that mention the diagnosed machinery but that no rule explains.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer.h"
#include "match/matcher.h"
#include "match/watch_list.h"
#include "report/report_writers.h"
#include "rules/rule_loader.h"
#include "simdjson.h"
#include "test_support.h"
#include "util/text_util.h"

namespace tediag {
namespace {

using testing::EmbeddedMatcher;

std::string ReadCorpusFile(std::string_view relative) {
  std::ifstream in(std::filesystem::path(TEDIAG_SOURCE_DIR) / relative, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// An excerpt of a real macOS 10.14.2 crash report, as posted in igorkulman/iOSLocalizationEditor
// issue #20 (CoderMaurice, 2018-12-29): Application Specific Information holds the sandbox's
// registration failure; line numbers below are those of this excerpt.
constexpr std::string_view kSandboxRegistrationCrash =
    "Process:               LocalizationEditor [18659]\n"  // 1
    "Path:                  /Applications/LocalizationEditor.app/Contents/MacOS/LocalizationEditor\n"
    "Identifier:            com.qihui.LocalizationEditor\n"
    "OS Version:            Mac OS X 10.14.2 (18C54)\n"
    "\n"  // 5
    "Exception Type:        EXC_BAD_INSTRUCTION (SIGILL)\n"
    "Exception Codes:       0x0000000000000001, 0x0000000000000000\n"
    "Exception Note:        EXC_CORPSE_NOTIFY\n"
    "\n"
    "Termination Signal:    Illegal instruction: 4\n"  // 10
    "Termination Reason:    Namespace SIGNAL, Code 0x4\n"
    "Terminating Process:   exc handler [18659]\n"
    "\n"
    "Application Specific Information:\n"
    "dyld: launch, running initializers\n"  // 15
    "/usr/lib/libSystem.B.dylib\n"
    "Sandbox registration failed: The code signature is not valid: The operation couldn\xE2\x80\x99t be completed. "
    "(OSStatus error -2147409622.)\n"  // 17
    "\n"
    "Application Specific Signatures:\n"
    "Registration error: The code signature is not valid: The operation couldn\xE2\x80\x99t b\n";  // 20

// A rule a user might write for that report, given with --rules.
constexpr std::string_view kSandboxRegistrationRule = R"(rules:
  - id: user-sandbox-registration
    class: sandbox-inheritance
    title: The sandbox could not be registered
    severity: error
    applies_to: crash
    when:
      - app_specific: 'Sandbox registration failed: The code signature is not valid'
    explanation: >-
      {process} could not register its App Sandbox.[[ Team {team_id}.]] [[Signed as {codesigning_id}.]]
    fix:
      - Re-sign the app.
    references:
      - title: Resolving Trusted Execution Problems (Apple DTS)
        url: https://developer.apple.com/forums/thread/706442
    examples:
      match:
        - |
          Exception Type:        EXC_BAD_INSTRUCTION (SIGILL)
          Application Specific Information:
          Sandbox registration failed: The code signature is not valid: x
)";

std::unique_ptr<Matcher> UserMatcher(std::string_view yaml) {
  std::vector<RuleError> errors;
  std::vector<Rule> rules = testing::LoadRules(yaml, "user.yaml", errors).rules;
  EXPECT_TRUE(errors.empty()) << errors.front().message;
  auto matcher = Matcher::Compile(std::move(rules), errors);
  EXPECT_TRUE(errors.empty());
  return matcher;
}

TEST(Evidence, ACrashReportShowsTheLineTheRuleMatchedAtItsOwnNumber) {
  auto matcher = UserMatcher(kSandboxRegistrationRule);
  Report report = AnalyzeText(*matcher, "LocalizationEditor.crash", kSandboxRegistrationCrash);
  ASSERT_FALSE(report.diagnoses.empty());
  const Finding& cause = (*RootCause(report));
  ASSERT_EQ(cause.evidence.size(), 1u);
  const Evidence& e = cause.evidence[0];
  ASSERT_EQ(e.lines.size(), 1u);
  EXPECT_EQ(e.lines[0].line, 17u);
  EXPECT_EQ(e.line, 17u);
  EXPECT_EQ(e.record_line, 6u);  // the report itself is located at its Exception Type line
  EXPECT_EQ(e.lines[0].field, "app_specific");
  EXPECT_TRUE(e.lines[0].text.starts_with("Sandbox registration failed: The code signature is not valid")) << e.text;
  EXPECT_EQ(e.text.find("EXC_BAD_INSTRUCTION"), std::string::npos) << "a summary of other fields: " << e.text;
  // What the report does not record is left out, not printed as "(unknown)" or "not recorded".
  EXPECT_EQ(cause.explanation, "LocalizationEditor could not register its App Sandbox.");

  std::string text = RenderText(report, {});
  EXPECT_NE(text.find("LocalizationEditor.crash:17"), std::string::npos) << text;
  // The signature line says the same but no rule matched it: it is listed for a rule writer.
  ASSERT_EQ(report.unexplained.size(), 1u);
  EXPECT_EQ(report.unexplained[0].line, 20u);
  EXPECT_TRUE(report.unexplained[0].text.starts_with("Registration error: The code signature is not valid"));
}

TEST(Evidence, SeveralMatchedLinesOfACrashReportEachKeepTheirNumber) {
  // A rule on the signal (line 3) and the termination namespace (line 5).
  auto matcher = UserMatcher(R"(rules:
  - id: user-killed
    class: code-signature-invalid
    title: Killed for its signature
    severity: error
    applies_to: crash
    when:
      - signal: '(?i)code signature invalid'
        termination_namespace: '^CODESIGNING$'
    explanation: >-
      {process} was killed (CODESIGNING {termination_code}).[[ Team {team_id}.]]
    fix:
      - Re-sign the app.
    references:
      - title: Resolving Code Signing Crashes on Launch (Apple DTS)
        url: https://developer.apple.com/forums/thread/706427
    examples:
      match:
        - |
          Exception Type:  EXC_CRASH (SIGKILL (Code Signature Invalid))
          Termination Reason: CODESIGNING 1
)");
  Report report = AnalyzeText(*matcher, "Kap.crash",
                              "Process:               Kap [853]\n"
                              "\n"
                              "Exception Type:  EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
                              "Exception Codes: 0x0000000000000000, 0x0000000000000000\n"
                              "Termination Reason: CODESIGNING 9 Some Future Reason\n");
  ASSERT_FALSE(report.diagnoses.empty());
  const Finding& cause = (*RootCause(report));
  EXPECT_EQ(cause.rule->id, "user-killed");
  EXPECT_EQ(cause.explanation, "Kap was killed (CODESIGNING 9).");
  const Evidence& e = cause.evidence.at(0);
  ASSERT_EQ(e.lines.size(), 2u) << e.text;
  EXPECT_EQ(e.lines[0].line, 3u);
  EXPECT_EQ(e.lines[0].text, "Exception Type:  EXC_CRASH (SIGKILL (Code Signature Invalid))");
  EXPECT_EQ(e.lines[1].line, 5u);
  EXPECT_EQ(e.lines[1].text, "Termination Reason: CODESIGNING 9 Some Future Reason");
  std::string text = RenderText(report, {});
  EXPECT_NE(text.find("line 3  Exception Type:"), std::string::npos) << text;
  EXPECT_NE(text.find("line 5  Termination Reason:"), std::string::npos) << text;
  EXPECT_EQ(cause.explanation.find("not recorded"), std::string::npos) << cause.explanation;
  std::string md = RenderMarkdown(report);
  EXPECT_NE(md.find("    line 5  Termination Reason: CODESIGNING 9"), std::string::npos) << md;
}

TEST(Evidence, AnIpsReportCitesTheLineOfTheKeyThatMatched) {
  // corpora/code-signature-invalid/thelemacus-14.1-invalid-page-ips: a real pretty-printed .ips, kept
  // as published in a source comment that indents each line by one space, taken out of the comment.
  std::string published = ReadCorpusFile(
      "corpora/code-signature-invalid/thelemacus-14.1-invalid-page-ips/Thelemacus-2024-01-18-105552.ips");
  ASSERT_FALSE(published.empty());
  std::string ips;
  for (std::string_view line : Split(published, '\n'))
    ips += std::string(line.starts_with(' ') ? line.substr(1) : line) + "\n";
  size_t line_of_termination = 1;
  for (size_t i = 0; i < ips.find("\"termination\" :"); ++i) line_of_termination += ips[i] == '\n';
  Report report = AnalyzeText(EmbeddedMatcher(), "Thelemacus.ips", ips);
  ASSERT_FALSE(report.diagnoses.empty());
  const Evidence& e = (*RootCause(report)).evidence.at(0);
  EXPECT_EQ(e.line, line_of_termination);
  EXPECT_EQ(e.record_line, 1u);
  EXPECT_TRUE(e.text.starts_with("\"termination\" : {")) << e.text;
  EXPECT_NE(e.text.find("\"namespace\":\"CODESIGNING\""), std::string::npos) << e.text;
}

TEST(Evidence, AnIpsApplicationSpecificLineIsCitedAtItsOwnString) {
  // corpora/negative/lldb-asi-sigabrt-uncaught-exception: a real .ips whose "asi" holds two lines.
  std::string ips = ReadCorpusFile("corpora/negative/lldb-asi-sigabrt-uncaught-exception/asi.ips");
  size_t line_of_asi = 1;
  for (size_t i = 0; i < ips.find("\"asi\" :"); ++i) line_of_asi += ips[i] == '\n';
  auto matcher = UserMatcher(R"(rules:
  - id: user-abort
    class: sandbox-inheritance
    title: Aborted
    severity: error
    applies_to: crash
    when:
      - app_specific: 'abort\(\) called'
    explanation: >-
      {process} aborted.
    fix:
      - Nothing.
    references:
      - title: Resolving Trusted Execution Problems (Apple DTS)
        url: https://developer.apple.com/forums/thread/706442
    examples:
      match:
        - |
          Exception Type:        EXC_CRASH (SIGABRT)
          Application Specific Information:
          abort() called
)");
  Report report = AnalyzeText(*matcher, "asi.ips", ips);
  ASSERT_FALSE(report.diagnoses.empty());
  const Evidence& e = (*RootCause(report)).evidence.at(0);
  ASSERT_EQ(e.lines.size(), 1u);
  EXPECT_EQ(e.lines[0].line, line_of_asi);
  EXPECT_NE(e.lines[0].text.find("\"libsystem_c.dylib\":[\"abort() called\"]"), std::string::npos) << e.lines[0].text;
}

TEST(Evidence, NotaryIssuesAreCitedAtTheirOwnLines) {
  // The layout `xcrun notarytool log` prints (messages as Apple's service words them).
  constexpr std::string_view kLog = R"({
  "logFormatVersion": 1,
  "jobId": "2d3a1f5e-0000-0000-0000-000000000000",
  "status": "Invalid",
  "statusSummary": "Archive contains critical validation errors",
  "statusCode": 4000,
  "archiveFilename": "Foo.zip",
  "uploadDate": "2023-05-02T10:11:12.345Z",
  "sha256": "00",
  "ticketContents": null,
  "issues": [
    {
      "severity": "error",
      "code": null,
      "path": "Foo.zip/Foo.app/Contents/MacOS/Foo",
      "message": "The binary is not signed with a valid Developer ID certificate.",
      "docUrl": "https://developer.apple.com/documentation/security/notarizing_macos_software_before_distribution/resolving_common_notarization_issues#3087721",
      "architecture": "arm64"
    },
    {
      "severity": "error",
      "code": null,
      "path": "Foo.zip/Foo.app/Contents/MacOS/Foo",
      "message": "The signature does not include a secure timestamp.",
      "docUrl": "https://developer.apple.com/documentation/security/notarizing_macos_software_before_distribution/resolving_common_notarization_issues#3087733",
      "architecture": "arm64"
    }
  ]
}
)";
  Report report = AnalyzeText(EmbeddedMatcher(), "notary.json", kLog);
  std::vector<uint64_t> lines;
  for (const Finding& f : report.findings) {
    for (const Evidence& e : f.evidence) lines.push_back(e.line);
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  EXPECT_EQ(std::count(lines.begin(), lines.end(), 1u), 0) << "an issue cited at the log's first line";
  EXPECT_NE(std::find(lines.begin(), lines.end(), 16u), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), 24u), lines.end());
}

TEST(Explanation, IsFilledFromEveryRecordOfTheFinding) {
  // corpora/code-signature-invalid/conda-pack-log-stream-invalid-page: only the second line names the file.
  Report report =
      AnalyzeText(EmbeddedMatcher(), "kernel.log",
                  ReadCorpusFile("corpora/code-signature-invalid/conda-pack-log-stream-invalid-page/kernel.log"));
  ASSERT_FALSE(report.diagnoses.empty());
  const Finding& cause = (*RootCause(report));
  EXPECT_EQ(cause.hits, 2u);
  EXPECT_NE(cause.explanation.find("/lib/libcrypto.3.dylib"), std::string::npos) << cause.explanation;
  EXPECT_EQ(cause.explanation.find("not named"), std::string::npos) << cause.explanation;
}

TEST(Seen, AnOrdinaryCrashIsNamedAsSuch) {
  // corpora/negative/pycrashreport-monterey-sigsegv: a real SIGSEGV of /bin/sleep.
  Report report = AnalyzeText(EmbeddedMatcher(), "sleep.ips",
                              ReadCorpusFile("corpora/negative/pycrashreport-monterey-sigsegv/sleep.ips"));
  ASSERT_TRUE(report.diagnoses.empty());
  ASSERT_EQ(report.seen.crashes.size(), 1u);
  EXPECT_EQ(report.seen.crashes[0].kind, "bad-access");
  EXPECT_EQ(report.seen.crashes[0].process, "sleep");
  const std::string& summary = report.seen.summary;
  EXPECT_NE(summary.find("sleep"), std::string::npos) << summary;
  EXPECT_NE(summary.find("EXC_BAD_ACCESS (SIGSEGV)"), std::string::npos) << summary;
  EXPECT_NE(summary.find("SIGNAL 11"), std::string::npos) << summary;
  EXPECT_NE(summary.find("ordinary crash"), std::string::npos) << summary;
  // A crash report was given: the next steps ask for what is missing, not for it.
  bool asks_crash = false, asks_codesign = false;
  for (const std::string& step : report.seen.next) {
    asks_crash |= step.find("DiagnosticReports") != std::string::npos;
    asks_codesign |= step.find("codesign --verify --deep --strict -vvv") != std::string::npos;
  }
  EXPECT_FALSE(asks_crash);
  EXPECT_TRUE(asks_codesign);
  std::string text = RenderText(report, {});
  EXPECT_EQ(text.rfind("No trusted-execution failure found.", 0), 0u);
  EXPECT_NE(text.find("ordinary crash"), std::string::npos);
  EXPECT_NE(text.find("Collect next"), std::string::npos);
  EXPECT_NE(RenderMarkdown(report).find("**Collect next**"), std::string::npos);
}

TEST(Seen, AMissingLibraryIsNotLibraryValidation) {
  // corpora/negative/injectgui-dyld-library-missing-sonoma: dyld could not find a framework.
  Report report =
      AnalyzeText(EmbeddedMatcher(), "AppCleaner8.crash",
                  ReadCorpusFile("corpora/negative/injectgui-dyld-library-missing-sonoma/AppCleaner8.crash"));
  ASSERT_TRUE(report.diagnoses.empty());
  ASSERT_EQ(report.seen.crashes.size(), 1u);
  EXPECT_EQ(report.seen.crashes[0].kind, "missing-library");
  EXPECT_NE(report.seen.summary.find("Library not loaded: @rpath/NektonyFallManager.framework"), std::string::npos)
      << report.seen.summary;
  EXPECT_NE(report.seen.summary.find("not library validation"), std::string::npos);
  EXPECT_NE(report.seen.summary.find("termination DYLD 1 Library missing"), std::string::npos);

  std::string json = RenderJson(report, {.tool_version = "t"});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(root["seen"]["crashes"].at(0)["kind"]), "missing-library");
  EXPECT_EQ(std::string_view(root["seen"]["summary"]), report.seen.summary);
  // dyld's line is listed for a rule writer: no rule read it.
  EXPECT_EQ(uint64_t(root["unexplained"]["total"]), 1u);
  EXPECT_TRUE(std::string_view(root["unexplained"]["lines"].at(0)["text"])
                  .starts_with("Library not loaded: @rpath/NektonyFallManager"));
}

TEST(Unexplained, LinesNoRuleExplainsAreListedOnceEachAndBounded) {
  // The shape of real AMFI kernel lines (shared/realworld: zoia-librarian), for 30 libraries;
  // the first one is logged 3 times. A line a rule does explain is not listed.
  std::string log;
  for (int i = 0; i < 30; ++i) {
    int times = i == 0 ? 3 : 1;
    for (int k = 0; k < times; ++k) {
      log += "default\t20:07:34.101395 -0700\tkernel\tAMFI: '/Applications/Z.app/Contents/MacOS/lib" +
             std::to_string(i) + ".dylib' is adhoc signed.\n";
    }
  }
  log += "execution error: Not authorized to send Apple events to Finder. (-1743)\n";
  log += "an ordinary line about nothing\n";
  Report report = AnalyzeText(EmbeddedMatcher(), "paste.txt", log);
  ASSERT_EQ(report.unexplained.size(), kMaxUnexplained);
  EXPECT_EQ(report.unexplained_total, 32u);
  EXPECT_EQ(report.unexplained[0].count, 3u);
  EXPECT_EQ(report.unexplained[0].line, 1u);
  EXPECT_EQ(report.unexplained[1].line, 4u);
  for (const UnexplainedLine& line : report.unexplained) EXPECT_EQ(line.text.find("Apple events"), std::string::npos);

  std::string text = RenderText(report, {});
  EXPECT_NE(text.find("LINES THAT NO RULE EXPLAINS"), std::string::npos);
  EXPECT_NE(text.find("(3 times)"), std::string::npos);
  EXPECT_NE(text.find("… and 10 more"), std::string::npos) << text;
  EXPECT_NE(RenderMarkdown(report).find("### Lines that no rule explains"), std::string::npos);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string json = RenderJson(report, {.tool_version = "t"});
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  EXPECT_EQ(uint64_t(root["unexplained"]["total"]), 32u);
  EXPECT_EQ(simdjson::dom::array(root["unexplained"]["lines"]).size(), kMaxUnexplained);
}

TEST(Unexplained, TheMatcherFlagsWatchWordsInTheSameScan) {
  Matcher::Scratch scratch;
  std::vector<uint32_t> hits;
  Record record;
  record.Set(Field::kProcess, "kernel");
  record.Set(Field::kMessage, "AMFI: '/Applications/Z.app/Contents/MacOS/libz.dylib' is adhoc signed.");
  EmbeddedMatcher().Match(record, scratch, hits);
  EXPECT_TRUE(scratch.watched);
  record.Set(Field::kMessage, "Wi-Fi link quality changed");
  hits.clear();
  EmbeddedMatcher().Match(record, scratch, hits);
  EXPECT_FALSE(scratch.watched);
}

// Real lines no rule explains but a support engineer must see: prose from eclecticlight.co (2018-08-27,
// "Mojave's privacy protection is complex and will crash innocent apps") and osascript's British
// spelling quoted in Facets-cloud/flow#70 (2026), cut before its "(-1743)".
TEST(Unexplained, WatchWordsCoverThePrivacyPanesAndBritishSpelling) {
  EXPECT_TRUE(
      MentionsWatchWord("This is in spite of it being given \u201cFull Disk Access\u201d in the Privacy tab of the "
                        "Security & Privacy pane."));
  EXPECT_TRUE(MentionsWatchWord("Result: flow do silently fails with Not authorised to send Apple events to iTerm."));
  EXPECT_TRUE(MentionsWatchWord("Open System Settings \u2192 Privacy & Security \u2192 Automation"));
  EXPECT_FALSE(MentionsWatchWord("I granted the app access to my Documents folder and it still crashes."));
}

}  // namespace
}  // namespace tediag
