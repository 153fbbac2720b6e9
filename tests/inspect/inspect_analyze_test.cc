// An inspection beside a crash log: `tediag analyze` reads the `tediag inspect --lines` output
// as it reads any text, and a finding that names the file changed after signing refines the
// launch crash's class, so the one diagnosis names the file.
//
// The crash is a real one (corpora/code-signature-invalid/thelemacus-14.1-invalid-page-ips:
// CODESIGNING code 2, Invalid Page, procPath /Users/USER/Desktop/Thelemacus.app/Contents/MacOS/
// Thelemacus). The inspection is of a real Developer ID binary (sentry-cli, npm) with one code
// byte flipped, placed where that app's executable is, since the crashed app's own binary is not
// public.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include "inspect/npm_fixtures.h"

namespace tediag {
namespace {
namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(InspectBesideACrash, OneDiagnosisNamesTheModifiedFile) {
  TEDIAG_NEED_NPM(pkg, "@sentry/cli-darwin@3.8.0");
  fs::path dir = test::FreshDir("beside");
  fs::path exe = dir / "Desktop/Thelemacus.app/Contents/MacOS/Thelemacus";
  fs::create_directories(exe.parent_path());
  std::string bytes = ReadAll(pkg / "bin/sentry-cli");
  bytes[0x8000 + 100] = static_cast<char>(bytes[0x8000 + 100] ^ 0x01);  // a code page of the x86_64 slice
  std::ofstream(exe, std::ios::binary) << bytes;
  fs::path lines = dir / "inspection.txt";
  std::string inspect =
      std::string(TEDIAG_BINARY) + " inspect --lines '" + exe.string() + "' > '" + lines.string() + "'";
  ASSERT_EQ(std::system(inspect.c_str()), 0);
  std::string text = ReadAll(lines);
  size_t at = text.find("tediag-inspect: page-hash-mismatch: " + exe.string());
  ASSERT_NE(at, std::string::npos) << text;
  size_t detail = text.find("code page ", at);
  std::string page = text.substr(detail, text.find(" (bytes", detail) - detail);  // "code page N"

  fs::path crash = fs::path(TEDIAG_SOURCE_DIR) /
                   "corpora/code-signature-invalid/thelemacus-14.1-invalid-page-ips/Thelemacus-2024-01-18-105552.ips";
  fs::path report = dir / "report.json";
  std::string analyze = std::string(TEDIAG_BINARY) + " analyze --format json '" + crash.string() + "' '" +
                        lines.string() + "' > '" + report.string() + "'";
  int status = std::system(analyze.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  std::string json = ReadAll(report);
  // One app, one diagnosis: its root cause is the page, the crash a contributing finding.
  size_t diagnoses = json.find("\"diagnoses\"");
  ASSERT_NE(diagnoses, std::string::npos);
  EXPECT_NE(json.find("\"headline\": \"1 app with a trusted-execution failure: Thelemacus (code signature invalid)"),
            std::string::npos)
      << json.substr(0, 600);
  size_t rule = json.find("\"rule\": ", diagnoses);
  ASSERT_NE(rule, std::string::npos);
  const std::string expected = "\"rule\": \"inspect-page-hash-mismatch\"";
  EXPECT_EQ(json.substr(rule, expected.size()), expected) << json.substr(rule, 120);
  EXPECT_NE(json.find("\"superseded_by\": \"inspect-page-hash-mismatch\""), std::string::npos);
  EXPECT_NE(json.find(page + " (bytes "), std::string::npos) << page;
  EXPECT_NE(json.find(exe.string() + ")"), std::string::npos);  // the explanation names the file
}

}  // namespace
}  // namespace tediag
