// The command line as ripgrep, jq and `log` users expect it: -V, help, unknown commands with a
// suggestion, --color, -q, -o -, standard input by default, --threads within reason; the README's
// tour and option list as the program prints them.
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>

#include "cli_fixture.h"

namespace tediag {
namespace {

using testing::CliTest;
using testing::Outcome;

// The line Gatekeeper's AppleSystemPolicy logs (corpora/quarantine-block/…; rule gk-asp-denied).
constexpr const char* kAspLine = "ASP: Security policy would not allow process: 9724, /Applications/VDF/VDF.GUI\n";

TEST_F(CliTest, ShortVersionFlag) {
  Outcome version = Tediag("-V");
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out.rfind("tediag ", 0), 0u) << version.out;
}

TEST_F(CliTest, HelpCommandShowsTheHelpOfTheCommandNamed) {
  Outcome top = Tediag("help");
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.out.find("analyze"), std::string::npos);
  EXPECT_NE(top.out.find("Exit status: 0 analysed"), std::string::npos) << top.out;
  Outcome analyze = Tediag("help analyze");
  EXPECT_EQ(analyze.status, 0);
  EXPECT_NE(analyze.out.find("--fail-on"), std::string::npos);
  EXPECT_NE(analyze.out.find("Examples:"), std::string::npos);
  EXPECT_NE(analyze.out.find("4 analysed, but an input named"), std::string::npos) << analyze.out;
  Outcome check = Tediag("help rules check");
  EXPECT_EQ(check.status, 0);
  EXPECT_NE(check.out.find("Validate rule files"), std::string::npos) << check.out;
  Outcome unknown = Tediag("help analyse");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown command 'analyse' (did you mean 'analyze'?)"), std::string::npos) << unknown.err;
}

TEST_F(CliTest, UnknownCommandSuggestsTheNearestOne) {
  Outcome top = Tediag("analyse x.log");
  EXPECT_EQ(top.status, 2);
  EXPECT_NE(top.err.find("tediag: unknown command 'analyse' (did you mean 'analyze'?)"), std::string::npos) << top.err;
  Outcome nested = Tediag("rules lsit");
  EXPECT_EQ(nested.status, 2);
  EXPECT_NE(nested.err.find("tediag rules: unknown command 'lsit' (did you mean 'list'?)"), std::string::npos)
      << nested.err;
  Outcome far = Tediag("frobnicate");
  EXPECT_EQ(far.status, 2);
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  EXPECT_NE(far.err.find("commands: analyze, rules"), std::string::npos) << far.err;
}

TEST_F(CliTest, ColorChoice) {
  Outcome always = Tediag("analyze --color always", kAspLine, {}, "NO_COLOR=1");
  EXPECT_NE(always.out.find('\x1b'), std::string::npos) << "always means always, NO_COLOR or a pipe";
  Outcome never = Tediag("analyze --color never", kAspLine, {}, "TERM=xterm");
  EXPECT_EQ(never.out.find('\x1b'), std::string::npos);
  Outcome automatic = Tediag("analyze --color auto", kAspLine, {}, "TERM=xterm");
  EXPECT_EQ(automatic.out.find('\x1b'), std::string::npos) << "auto: no colour on a pipe";
  EXPECT_EQ(Tediag("analyze --color sometimes", kAspLine).status, 2);
}

TEST_F(CliTest, QuietPrintsNothingAndTheExitStatusTells) {
  Outcome quiet = Tediag("analyze -q --fail-on error", kAspLine);
  EXPECT_EQ(quiet.status, 1);
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(quiet.err, "");
  Outcome missing = Tediag("analyze -q " + Quoted(dir_ / "missing.log"));
  EXPECT_EQ(missing.status, 3);
  EXPECT_EQ(missing.err, "");
}

TEST_F(CliTest, OutputDashIsStandardOutput) {
  Outcome run = Tediag("analyze --format json -o - -", kAspLine);
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.out.find("\"rule\": \"gk-asp-denied\""), std::string::npos) << run.out;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "-"));
}

TEST_F(CliTest, StandardInputIsReadWhenNoInputIsNamed) {
  Outcome run = Tediag("analyze --format json", kAspLine);  // stdin is a file here, not a terminal
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("\"path\": \"(stdin)\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"rule\": \"gk-asp-denied\""), std::string::npos) << run.out;
}

// Each thread holds a reader and two 4 MiB chunks in flight: a thousand of them would cost
// gigabytes on a large input. The count is cut to one per core.
TEST_F(CliTest, AThousandThreadsCostNoMoreThanOnePerCore) {
  std::string log;
  for (int i = 0; log.size() < (size_t{24} << 20); ++i) {
    log += "2024-05-01 10:10:10.123456+0200 0x1a2b     Default     0x0                  " +
           std::to_string(100 + i % 900) +
           "    0    launchd: (com.example.agent) Service exited with abnormal code: 1\n";
  }
  Write(dir_ / "big.log", log);
  Outcome many = Tediag("analyze -j 1000 --format json " + Quoted(dir_ / "big.log"));
  EXPECT_EQ(many.status, 0) << many.err;
  Outcome one = Tediag("analyze -j 1 --format json " + Quoted(dir_ / "big.log"));
  EXPECT_EQ(many.out, one.out) << "the report is the same for any number of threads";
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  // A reader and two chunks of about 4 MiB per thread, beside the input's own buffers.
  long bound_kb = 120 * 1024 + static_cast<long>(std::min(cores, 64u)) * 16 * 1024;
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer's shadow memory and quarantine make any RSS bound meaningless
  EXPECT_LT(many.max_rss_kb, bound_kb) << "peak RSS " << many.max_rss_kb << " kB with -j 1000 on " << cores << " cores";
#else
  (void)bound_kb;
#endif
}

// The README's short tour is the program's output: every line of its console block, up to the
// "…" where the README shortens one, is in what the command it shows prints (the rule count
// included); the --format choices it lists are the program's.
TEST_F(CliTest, TheReadmeTourAndFormatsAreWhatTheProgramSays) {
  std::string readme = testing::Slurp(std::filesystem::path(TEDIAG_SOURCE_DIR) / "README.md");
  size_t tour = readme.find("## A short tour");
  ASSERT_NE(tour, std::string::npos);
  size_t begin = readme.find("```console\n", tour);
  ASSERT_NE(begin, std::string::npos);
  begin += 11;
  std::istringstream block(readme.substr(begin, readme.find("\n```", begin) - begin));
  std::string command;
  std::getline(block, command);
  ASSERT_EQ(command.rfind("$ build/tediag ", 0), 0u) << command;
  Outcome run = Tediag(command.substr(15), "", TEDIAG_SOURCE_DIR);
  EXPECT_EQ(run.status, 0) << run.err;
  size_t checked = 0;
  for (std::string line; std::getline(block, line);) {
    std::string shown = line.substr(0, line.find("…"));
    while (!shown.empty() && shown.back() == ' ') shown.pop_back();
    if (shown.empty()) continue;
    EXPECT_NE(run.out.find(shown), std::string::npos) << "README: " << shown << "\nprogram:\n" << run.out;
    ++checked;
  }
  EXPECT_GT(checked, 15u);
  size_t formats = readme.find("`--format text|");
  ASSERT_NE(formats, std::string::npos);
  std::string listed = readme.substr(formats + 10, readme.find('`', formats + 1) - formats - 10);
  std::replace(listed.begin(), listed.end(), '|', ',');
  EXPECT_NE(Tediag("analyze --help").out.find("--format TEXT:{" + listed + "}"), std::string::npos) << listed;
}

}  // namespace
}  // namespace tediag
