// The program on a terminal, as a user sees it: the built binary runs on a real pseudo-terminal
// and the test reads what the terminal received. Progress, with standard error on the terminal
// and standard output redirected to a file (`tediag analyze --format json - < big.log > out.json`);
// the text report, with standard output on a terminal of 80 columns: its width, colour and
// NO_COLOR. POSIX ptys only (posix_openpt), so it runs on Linux and macOS alike.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_fixture.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::CliTest;
using testing::Slurp;

struct TerminalRun {
  int status = -1;
  std::string terminal;  // every byte written to the pseudo-terminal (standard error)
};

enum class Streams { kStderr, kStdoutAndStderr };

// Runs `command` (shell text) with standard error (and, if asked, standard output) on a new
// pseudo-terminal of `columns` columns; the command redirects the others itself. Returns the
// exit status and what the terminal got (the terminal writes "\r\n" for each line break).
TerminalRun OnTerminal(const std::string& command, Streams streams = Streams::kStderr, unsigned short columns = 80) {
  TerminalRun run;
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) return run;
  const char* name = ::ptsname(master);
  int slave = name == nullptr ? -1 : ::open(name, O_RDWR | O_NOCTTY);
  if (slave < 0) {
    ::close(master);
    return run;
  }
  winsize size{};
  size.ws_row = 24;
  size.ws_col = columns;
  ::ioctl(slave, TIOCSWINSZ, &size);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(master);
    ::setsid();
    ::dup2(slave, STDERR_FILENO);
    if (streams == Streams::kStdoutAndStderr) ::dup2(slave, STDOUT_FILENO);
    ::close(slave);
    std::string shell = "unset TEDIAG_RULES COLUMNS NO_COLOR; " + command;
    ::execl("/bin/sh", "sh", "-c", shell.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(slave);  // the child holds the only slave: reading ends (EIO) when it exits
  char buffer[4096];
  while (true) {
    ssize_t got = ::read(master, buffer, sizeof buffer);
    if (got > 0) {
      run.terminal.append(buffer, static_cast<size_t>(got));
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  ::close(master);
  int raw = 0;
  ::waitpid(pid, &raw, 0);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

class CliTerminalTest : public CliTest {
 protected:
  // A log export of at least `bytes`: the Console export of corpora/quarantine-block/
  // fedora-mediawriter-kernel-asp-console (credited there), repeated; several 4 MiB parts.
  fs::path BigLog(size_t bytes) {
    std::string export_text = Slurp(fs::path(TEDIAG_SOURCE_DIR) /
                                    "corpora/quarantine-block/fedora-mediawriter-kernel-asp-console/console.log");
    if (!export_text.ends_with("\n")) export_text += "\n";
    fs::path path = dir_ / "big.log";
    std::ofstream out(path, std::ios::binary);
    for (size_t written = 0; written < bytes; written += export_text.size()) out << export_text;
    return path;
  }
  std::string Binary() { return "'" + std::string(TEDIAG_BINARY) + "'"; }
};

TEST_F(CliTerminalTest, ProgressShowsOnTheTerminalNotInTheRedirectedReportWithTheTotalOfAFileOnStandardInput) {
  fs::path log = BigLog(size_t{12} << 20);
  fs::path report = dir_ / "out.json";
  TerminalRun run = OnTerminal("TEDIAG_PROGRESS_DELAY=0 " + Binary() + " analyze --format json - <" + Quoted(log) +
                               " >" + Quoted(report));
  EXPECT_EQ(run.status, 0) << run.terminal;
  // "tediag: read 4.2 MB of 12.6 MB (33%), …": the size of the file on standard input is known.
  double total_mb = static_cast<double>(fs::file_size(log)) / 1e6;
  char expected[64];
  std::snprintf(expected, sizeof expected, " of %.1f MB (", total_mb);
  EXPECT_NE(run.terminal.find("tediag: read "), std::string::npos) << run.terminal;
  EXPECT_NE(run.terminal.find(expected), std::string::npos) << expected << " in " << run.terminal;
  EXPECT_NE(run.terminal.find("%), "), std::string::npos) << run.terminal;
  // Erased before the report: the last thing on the terminal clears the line.
  EXPECT_TRUE(run.terminal.ends_with("\r\033[K")) << run.terminal;
  // The report file holds the report alone.
  std::string json = Slurp(report);
  EXPECT_NE(json.find("\"schema\": \"tediag.report/2\""), std::string::npos) << json.substr(0, 200);
  EXPECT_NE(json.find("\"rule\": \"gk-asp-denied\""), std::string::npos);
  EXPECT_EQ(json.find("tediag: read"), std::string::npos);
  EXPECT_EQ(json.find('\r'), std::string::npos);
}

TEST_F(CliTerminalTest, ProgressOfAPipeHasNoTotalAndAQuickRunShowsNothing) {
  fs::path log = BigLog(size_t{9} << 20);
  fs::path report = dir_ / "out.txt";
  TerminalRun piped =
      OnTerminal("cat " + Quoted(log) + " | TEDIAG_PROGRESS_DELAY=0 " + Binary() + " analyze >" + Quoted(report));
  EXPECT_EQ(piped.status, 0) << piped.terminal;
  EXPECT_NE(piped.terminal.find("tediag: read "), std::string::npos) << piped.terminal;
  EXPECT_EQ(piped.terminal.find(" MB ("), std::string::npos) << "no total for a pipe: " << piped.terminal;
  EXPECT_NE(Slurp(report).find("ROOT CAUSE  Gatekeeper (AppleSystemPolicy) did not allow the process to run"),
            std::string::npos);
  // The default delay (one second) is longer than a small input takes: nothing flashes.
  fs::path small = dir_ / "small.log";
  Write(small, Slurp(fs::path(TEDIAG_SOURCE_DIR) /
                     "corpora/quarantine-block/fedora-mediawriter-kernel-asp-console/console.log"));
  TerminalRun quick = OnTerminal(Binary() + " analyze - <" + Quoted(small) + " >" + Quoted(report));
  EXPECT_EQ(quick.status, 0) << quick.terminal;
  EXPECT_EQ(quick.terminal, "");
  // --quiet: nothing at all, progress included.
  TerminalRun quiet =
      OnTerminal("TEDIAG_PROGRESS_DELAY=0 " + Binary() + " analyze -q - <" + Quoted(log) + " >" + Quoted(report));
  EXPECT_EQ(quiet.terminal, "");
}

// The screen's lines as a user sees them: colour sequences removed, "\r\n" a line break.
std::vector<std::string> ScreenLines(const std::string& terminal) {
  std::vector<std::string> lines(1);
  for (size_t i = 0; i < terminal.size(); ++i) {
    char c = terminal[i];
    if (c == '\x1b' && i + 1 < terminal.size() && terminal[i + 1] == '[') {
      i += 2;
      while (i < terminal.size() && !(terminal[i] >= 0x40 && terminal[i] <= 0x7e)) ++i;
    } else if (c == '\n') {
      lines.emplace_back();
    } else if (c != '\r') {
      lines.back().push_back(c);
    }
  }
  return lines;
}

size_t Columns(const std::string& line) {
  size_t shown = 0;
  for (char c : line) shown += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return shown;
}

// The four samples on an 80-column terminal, COLUMNS unset: the width comes from the terminal;
// prose wraps with its continuation indented, long evidence lines are cut with a note, tabs are
// spaces, and --color auto colours the report unless NO_COLOR is set.
TEST_F(CliTerminalTest, TheReportOnATerminalFitsItsWidthAndIsColouredUnlessNoColor) {
  std::string samples = Corpus("samples");
  // A delay no run reaches: the progress line cannot mix with the report here.
  std::string env = "TERM=xterm TEDIAG_PROGRESS_DELAY=1000 ";
  TerminalRun run = OnTerminal(env + Binary() + " analyze " + samples + " </dev/null", Streams::kStdoutAndStderr);
  EXPECT_EQ(run.status, 0) << run.terminal;
  EXPECT_NE(run.terminal.find("\x1b["), std::string::npos) << "auto: colour on a terminal";
  std::vector<std::string> lines = ScreenLines(run.terminal);
  ASSERT_GT(lines.size(), 20u) << run.terminal;
  EXPECT_EQ(lines[0].rfind("4 apps with trusted-execution failures: ", 0), 0u) << run.terminal;
  EXPECT_EQ(lines[1].rfind("  ", 0), 0u) << "the summary's continuation is indented: " << lines[1];
  for (const std::string& line : lines) {
    EXPECT_LE(Columns(line), 80u) << line;
    EXPECT_EQ(line.find('\t'), std::string::npos) << line;
  }
  EXPECT_NE(run.terminal.find(" more bytes; --format json has all)"), std::string::npos) << run.terminal;
  TerminalRun plain =
      OnTerminal(env + "NO_COLOR=1 " + Binary() + " analyze " + samples + " </dev/null", Streams::kStdoutAndStderr);
  EXPECT_EQ(plain.status, 0) << plain.terminal;
  EXPECT_EQ(plain.terminal.find('\x1b'), std::string::npos) << "NO_COLOR wins over auto";
  EXPECT_EQ(ScreenLines(plain.terminal), lines) << "the same report, without colour";
}

}  // namespace
}  // namespace tediag
