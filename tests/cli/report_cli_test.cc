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
