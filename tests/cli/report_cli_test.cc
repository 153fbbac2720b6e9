// The report model as a user meets it, through the built binary: one diagnosis per app, --app,
// the headline when nothing could be read, the JSON schema and the screen's width.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "schema_validator.h"
#include "simdjson.h"
#include "test_support.h"
#include "util/text_util.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::Slurp;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

const fs::path kSource = TEDIAG_SOURCE_DIR;

class ReportCliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::ScratchDir("report-cli"); }
  void TearDown() override { fs::remove_all(dir_); }

  // `args` is shell text: tests pass only fixed, quoted paths; `env` goes before the binary.
  Outcome Tediag(const std::string& args, const std::string& env = "", const std::string& stdin_text = "") {
    fs::path in = dir_ / "stdin", out = dir_ / "stdout", err = dir_ / "stderr";
    std::ofstream(in) << stdin_text;
    std::string command = "NO_COLOR=1 " + env + " '" + std::string(TEDIAG_BINARY) + "' " + args + " <'" + in.string() +
                          "' >'" + out.string() + "' 2>'" + err.string() + "'";
    int raw = std::system(command.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, Slurp(out), Slurp(err)};
  }
  static std::string Quoted(const fs::path& path) { return "'" + path.string() + "'"; }
  std::string Samples() const { return Quoted(kSource / "corpora/samples"); }

  // The JSON report, checked against docs/report.schema.json.
  simdjson::dom::element Json(const Outcome& run) {
    EXPECT_EQ(schema_.Validate(run.out), std::vector<std::string>{}) << run.out;
    simdjson::dom::element root;
    EXPECT_EQ(parser_.parse(run.out).get(root), simdjson::SUCCESS) << run.out << run.err;
    return root;
  }

  fs::path dir_;
  testing::SchemaValidator schema_{(kSource / "docs/report.schema.json").string()};
  simdjson::dom::parser parser_;
};

TEST_F(ReportCliTest, TheFourSamplesAreFourDiagnosesOfFourApps) {
  simdjson::dom::element root = Json(Tediag("analyze --format json " + Samples()));
  simdjson::dom::array diagnoses = root["diagnoses"];
  ASSERT_EQ(diagnoses.size(), 4u);
  std::set<std::string> apps, classes;
  for (simdjson::dom::element d : diagnoses) {
    ASSERT_TRUE(d["app"].is_object());
    apps.emplace(std::string_view(d["app"]["name"]));
    classes.emplace(std::string_view(d["class"]));
  }
  EXPECT_EQ(apps.size(), 4u);
  EXPECT_EQ(classes, (std::set<std::string>{"quarantine-block", "code-signature-invalid", "apple-events-consent",
                                            "sandbox-inheritance"}));
  EXPECT_EQ(simdjson::dom::array(root["other_findings"]).size(), 0u);
  // The text report opens with the one-line summary, then one root cause per app.
  Outcome text = Tediag("analyze " + Samples());
  EXPECT_EQ(text.out.rfind("4 apps with trusted-execution failures: ", 0), 0u) << text.out;
  for (int n = 1; n <= 4; ++n) EXPECT_NE(text.out.find(StrCat("ROOT CAUSE ", n, " of 4")), std::string::npos);
}

TEST_F(ReportCliTest, AppNarrowsTheReportByAnyOfTheAppsNames) {
  // SiriKali by its name, bundle ID and a path inside its bundle.
  for (const char* app : {"sirikali", "io.github.mhogomchungu.sirikali", "SiriKali.app/Contents"}) {
    simdjson::dom::element root = Json(Tediag(StrCat("analyze --format json --app '", app, "' ", Samples())));
    simdjson::dom::array diagnoses = root["diagnoses"];
    ASSERT_EQ(diagnoses.size(), 1u) << app;
    EXPECT_EQ(std::string_view(diagnoses.at(0)["app"]["name"]), "SiriKali");
    EXPECT_EQ(std::string_view(diagnoses.at(0)["class"]), "code-signature-invalid");
    EXPECT_EQ(std::string_view(root["focus_app"]), app);
  }
}

TEST_F(ReportCliTest, AppThatNothingConcernsIsSaidPlainlyWithTheAppsSeen) {
  Outcome text = Tediag("analyze --app NoSuchApp " + Samples());
  EXPECT_EQ(text.status, 0);
  EXPECT_EQ(text.out.rfind("Nothing here concerns NoSuchApp; apps seen: FedoraMediaWriter, SiriKali, ", 0), 0u)
      << text.out;
  EXPECT_EQ(text.out.find("ROOT CAUSE"), std::string::npos);
  simdjson::dom::element root = Json(Tediag("analyze --format json --app NoSuchApp " + Samples()));
  EXPECT_EQ(simdjson::dom::array(root["diagnoses"]).size(), 0u);
  EXPECT_EQ(simdjson::dom::array(root["apps"]).size(), 4u);
  EXPECT_EQ(std::string_view(root["status"]), "focus-not-found");
}

TEST_F(ReportCliTest, WhenNothingCouldBeReadTheHeadlineSaysSo) {
  fs::create_directories(dir_ / "empty");
  std::ofstream(dir_ / "junk.bin", std::ios::binary) << std::string(
                                                            "\x7f"
                                                            "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                                                            16)
                                                     << std::string(4096, '\0');
  for (const std::string& input :
       {Quoted(dir_ / "missing.log"), Quoted(dir_ / "junk.bin"), Quoted(dir_ / "empty"), std::string("-")}) {
    SCOPED_TRACE(input);
    Outcome text = Tediag("analyze " + input);
    EXPECT_EQ(text.out.rfind("Nothing could be read: ", 0), 0u) << text.out;
    EXPECT_EQ(text.out.find("No trusted-execution failure found"), std::string::npos) << text.out;
    simdjson::dom::element root = Json(Tediag("analyze --format json " + input));
    EXPECT_EQ(std::string_view(root["status"]), "nothing-read");
    Outcome markdown = Tediag("analyze --format markdown " + input);
    EXPECT_NE(markdown.out.find("**Nothing could be read: "), std::string::npos) << markdown.out;
  }
}

// tediag.report/2 as a tool reads it: every report checked against docs/report.schema.json, the
// app an object or null (the aeroe excerpt, corpora/code-signature-invalid/aeroe-two-lines-unbalanced,
// names none), finding ids, a time normalised to ISO 8601 beside the text the input wrote, and each
// input's real format (a .crash is "crash").
TEST_F(ReportCliTest, TheJsonReportIsVersionTwoWithAppsOrNullIdsTimesAndFormats) {
  fs::path aeroe = kSource / "corpora/code-signature-invalid/aeroe-two-lines-unbalanced/crash-excerpt.txt";
  simdjson::dom::element root = Json(Tediag("analyze --format json " + Samples() + " " + Quoted(aeroe)));
  EXPECT_EQ(std::string_view(root["schema"]), "tediag.report/2");
  simdjson::dom::array diagnoses = root["diagnoses"];
  ASSERT_EQ(diagnoses.size(), 5u);
  size_t without_app = 0, finding_number = 0;
  bool normalised_time = false;
  for (simdjson::dom::element d : diagnoses) {
    without_app += d["app"].is_null();
    for (simdjson::dom::element f : simdjson::dom::array(d["findings"])) {
      EXPECT_EQ(std::string_view(f["id"]), StrCat("F", ++finding_number));
      for (simdjson::dom::element e : simdjson::dom::array(f["evidence"])) {
        if (std::string_view(e["timestamp"]) == "2026-06-20 16:00:03.1135 +0300") {  // SiriKali.crash's Date/Time
          EXPECT_EQ(std::string_view(e["time"]), "2026-06-20T16:00:03.1135+03:00");
          normalised_time = true;
        }
      }
    }
  }
  EXPECT_EQ(without_app, 1u);
  EXPECT_TRUE(normalised_time);
  std::set<std::string> crash_inputs;
  for (simdjson::dom::element input : simdjson::dom::array(root["inputs"])) {
    if (std::string_view(input["format"]) == "crash") crash_inputs.emplace(std::string_view(input["path"]));
  }
  EXPECT_TRUE(crash_inputs.contains((kSource / "corpora/samples/SiriKali.crash").string())) << root;
  EXPECT_TRUE(crash_inputs.contains(aeroe.string())) << "crash lines in a .txt are read as a crash report";
}

// One app however the evidence names it, through the binary: the kernel's ASP line names the
// executable's path, a second one the path of its GPU helper (corpora/quarantine-block/
// fedora-mediawriter-kernel-asp-console, the second line's path changed to the helper's), tccd
// the bundle ID alone (corpora/apple-events-consent/zerotier-…, the ID changed to one whose last
// component is the app's name). Shown by its name, not its ID. Three crash fragments that name
// no app, in three files, stay three failures of no app.
TEST_F(ReportCliTest, OneAppHoweverTheEvidenceNamesItAndNoAppIsNeverJoined) {
  std::ofstream(dir_ / "console.log")
      << "default\t10:21:02.243864+0100\tkernel\tASP: Security policy would not allow process: 16036, "
         "/Applications/FedoraMediaWriter.app/Contents/MacOS/FedoraMediaWriter\n"
         "default\t10:21:02.251002+0100\tkernel\tASP: Security policy would not allow process: 16040, "
         "/Applications/FedoraMediaWriter.app/Contents/Frameworks/FedoraMediaWriter Helper (GPU).app/Contents/MacOS/"
         "FedoraMediaWriter Helper (GPU)\n";
  std::ofstream(dir_ / "tccd.log")
      << "tccd: [com.apple.TCC:access] Prompting policy for hardened runtime; service: kTCCServiceAppleEvents "
         "requires entitlement com.apple.security.automation.apple-events but it is missing for "
         "accessing={TCCDProcess: identifier=org.fedoraproject.FedoraMediaWriter, pid=16036, auid=501, euid=501}\n";
  simdjson::dom::element root = Json(Tediag("analyze --format json " + Quoted(dir_)));
  simdjson::dom::array apps = root["apps"];
  ASSERT_EQ(apps.size(), 1u) << root;
  EXPECT_EQ(std::string_view(apps.at(0)["name"]), "FedoraMediaWriter");
  EXPECT_EQ(std::string_view(apps.at(0)["bundle_id"]), "org.fedoraproject.FedoraMediaWriter");
  EXPECT_EQ(simdjson::dom::array(root["diagnoses"]).size(), 1u) << root;

  fs::path fragments = dir_ / "fragments";
  fs::create_directories(fragments);
  for (const char* name : {"a.txt", "b.txt", "c.txt"}) {
    std::ofstream(fragments / name) << "Exception Type:  EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
                                       "Termination Reason:    Namespace CODESIGNING, Code 0x1\n";
  }
  simdjson::dom::element none = Json(Tediag("analyze --format json " + Quoted(fragments)));
  EXPECT_EQ(simdjson::dom::array(none["apps"]).size(), 0u);
  simdjson::dom::array diagnoses = none["diagnoses"];
  ASSERT_EQ(diagnoses.size(), 3u);
  for (simdjson::dom::element d : diagnoses) {
    EXPECT_TRUE(d["app"].is_null());
    EXPECT_EQ(std::string_view(d["confidence"]), "medium");
  }
}

// Two crash fragments pasted one after the other into one file: the exception and termination
// block of Aonsoku's report (corpora/library-validation/aonsoku-26.2-dyld-namespace-code1-comma,
// cookie-drummer in victoralvesf/aonsoku#266) and the termination block of Kerminal's
// (corpora/library-validation/kerminal-15.3.1-dyld-electron-framework-team-ids), in either
// order. Two crash records, each with its own app (dyld's "Referenced from:" names each
// executable): two diagnoses of two apps.
TEST_F(ReportCliTest, CrashFragmentsPastedTogetherAreOneReportEachWithItsApp) {
  std::string aonsoku = Slurp(kSource /
                              "corpora/library-validation/aonsoku-26.2-dyld-namespace-code1-comma/"
                              "Aonsoku-excerpt.crash");
  std::string kerminal = Slurp(kSource /
                               "corpora/library-validation/kerminal-15.3.1-dyld-electron-framework-"
                               "team-ids/Kerminal-excerpt.crash");
  for (const std::string& pasted : {aonsoku + "\n" + kerminal, kerminal + "\n" + aonsoku}) {
    std::ofstream(dir_ / "pasted.txt") << pasted;
    simdjson::dom::element root = Json(Tediag("analyze --format json " + Quoted(dir_ / "pasted.txt")));
    simdjson::dom::array diagnoses = root["diagnoses"];
    ASSERT_EQ(diagnoses.size(), 2u) << root;
    std::set<std::string> apps;
    for (simdjson::dom::element d : diagnoses) {
      ASSERT_TRUE(d["app"].is_object()) << d;
      apps.emplace(std::string_view(d["app"]["name"]));
      EXPECT_EQ(std::string_view(d["class"]), "library-validation");
    }
    EXPECT_EQ(apps, (std::set<std::string>{"Aonsoku", "Kerminal"}));
    Outcome text = Tediag("analyze " + Quoted(dir_ / "pasted.txt"));
    EXPECT_EQ(text.out.rfind("2 apps with trusted-execution failures: ", 0), 0u) << text.out;
    for (const char* app : {"Aonsoku", "Kerminal"}) {  // the report's {process} is its app
      EXPECT_NE(text.out.find(StrCat(app, " was killed by dyld at launch")), std::string::npos) << text.out;
    }
  }
}

TEST_F(ReportCliTest, EightyColumnsHoldEveryLine) {
  for (const char* columns : {"80", "60"}) {
    Outcome text = Tediag("analyze " + Samples(), StrCat("COLUMNS=", columns));
    size_t width = std::stoul(columns);
    for (std::string_view line : Split(text.out, '\n')) {
      size_t shown = 0;
      for (char c : line) shown += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      EXPECT_LE(shown, width) << line;
      EXPECT_EQ(line.find('\t'), std::string_view::npos) << line;
    }
  }
}

}  // namespace
}  // namespace tediag
