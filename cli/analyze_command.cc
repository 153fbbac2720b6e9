#include "analyze_command.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "analyzer.h"
#include "exit_status.h"
#include "explain.h"
#include "fmt/core.h"
#include "progress_line.h"
#include "redact/redactor.h"
#include "report/report_writers.h"
#include "rule_options.h"
#include "util/duration.h"
#include "util/text_util.h"
#include "util/time_window.h"

namespace tediag::cli {

struct AnalyzeCommand {
  CLI::App* command = nullptr;
  AnalyzeOptions options;
  RuleOptions rules;
  std::string format, output, fail_on = "never", color = "auto";
  std::string since, until, last;  // --since / --until / --last, parsed when run
  bool redact = false, quiet = false, explain = false;
};

namespace {

constexpr const char* kExamples = R"(
Examples:
  tediag analyze MyApp-2024-05-01-101010.ips
      Diagnose one crash report.
  log show --last 10m --style ndjson > launch.ndjson; tediag analyze launch.ndjson MyApp.ips
      A log export and a crash report of the same failed launch, diagnosed together.
  pbpaste | tediag analyze --app MyApp
      Whatever a user pasted into a ticket (standard input is read when it is piped and no
      input is named; "-" names it explicitly), focused on the app in question.
  tediag analyze --format markdown -o ticket.md ~/Desktop/evidence/ bundle.zip
      Every file under a folder, and an archive (zip, tar, tar.gz, tar.xz, tar.bz2, or one
      .gz file; archives found in a folder are read too); a report for a GitHub or Jira ticket.
  tediag analyze -q --fail-on error build-logs/; echo $?
      For scripts and CI: no output; exit status 1 when an error-level finding exists (3 or 4
      when inputs could not be read: see below).
  tediag analyze --explain --rules my-rule.yaml snippet.log
      How each line was read (format, process, fields) and which rules matched or came close:
      the tool for a rule that does not match.

Inputs are recognised by content: `log show`/`log stream` output in any --style (ndjson, json,
default, compact, syslog), text pasted from Console or Terminal, .ips and .crash crash reports,
notarytool and codesign/spctl/xattr/stapler/syspolicy_check output, and files that mix them.
The unified log is read directly, on any system: a .logarchive, a /private/var/db/diagnostics
tree with its uuidtext, a lone .tracev3, and a sysdiagnose (folder or .tar.gz: its
system_logs.logarchive and its crash reports; the rest is named in one line, not read).

  tediag analyze --last 30m sysdiagnose_2026.12.01_10-10-10+0100_macOS_Mac.tar.gz
      The last half hour of a sysdiagnose's log (before its newest entry), and its crash
      reports of that half hour.
  tediag analyze --since "2026-12-01 10:00:00" --until "2026-12-01 10:15:00" log.ndjson
      A window as log show's --start and --end take it; a time without a zone is the clock
      the records were written in, one with a zone (+0100) an instant.

When standard error is a terminal and reading lasts over a second (TEDIAG_PROGRESS_DELAY sets
the seconds), a progress line shows there, whatever standard output is; -q shows none.

)";

// ANSI colours for --color: `auto` only for a report written to a terminal, and never when
// NO_COLOR is set (NO_COLOR wins over auto, not over always) or TERM is dumb.
bool ColorWanted(std::string_view choice, bool to_stdout) {
  if (choice == "never") return false;
  if (choice == "always") return true;
  if (!to_stdout || !isatty(STDOUT_FILENO)) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

bool ToStdout(const std::string& output) { return output.empty() || output == "-"; }

// The columns the text report fits: COLUMNS when set, else the terminal's; 0 (the writer's
// default) for a pipe or a file.
size_t ScreenWidth(bool to_stdout) {
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && columns[0] != '\0') {
    char* end = nullptr;
    unsigned long value = std::strtoul(columns, &end, 10);
    if (end != nullptr && *end == '\0' && value > 0) return value;
  }
  winsize size{};
  if (to_stdout && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) return size.ws_col;
  return 0;
}

// Writes `text` to standard output or the --output file; false (after saying why) on failure.
bool Write(const std::string& output, const std::string& text) {
  if (ToStdout(output)) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) fmt::print(stderr, "tediag: cannot write the report to {}\n", output);
  return static_cast<bool>(out);
}

// One line on stderr per input that was not read or held nothing to analyse.
void SayWhatWasNotRead(const Report& report) {
  for (const InputSummary& input : report.inputs) {
    if (!input.readable || (input.records == 0 && !input.errors.empty())) {
      fmt::print(stderr, "tediag: {}: {}\n", input.path, input.errors.empty() ? "not read" : input.errors[0].message);
    }
  }
}

// --since / --until / --last into the options.
absl::Status ParseWindow(const AnalyzeCommand& c, AnalyzeOptions& options) {
  if (!c.since.empty()) {
    absl::StatusOr<WallTime> since = ParseWindowBound(c.since);
    if (!since.ok()) return absl::InvalidArgumentError(StrCat("--since: ", since.status().message()));
    options.window.since = *since;
  }
  if (!c.until.empty()) {
    absl::StatusOr<WallTime> until = ParseWindowBound(c.until, /*end_of_day=*/true);
    if (!until.ok()) return absl::InvalidArgumentError(StrCat("--until: ", until.status().message()));
    options.window.until = *until;
  }
  if (!c.last.empty()) {
    absl::StatusOr<std::chrono::seconds> last = ParseDuration(c.last);
    if (!last.ok()) return absl::InvalidArgumentError(StrCat("--last: ", last.status().message()));
    options.last = *last;
  }
  return absl::OkStatus();
}

bool ThresholdMet(const Report& report, const std::string& fail_on) {
  if (fail_on == "never") return false;
  Severity threshold = ParseSeverity(fail_on).value_or(Severity::kError);
  for (const Finding& finding : report.findings) {
    if (finding.rule->severity >= threshold) return true;
  }
  return false;
}

// The exit status, from what became of the inputs and the findings (exit_status.h).
int ExitStatus(const AnalyzeOutcome& outcome, const Report& report, const AnalyzeCommand& c) {
  if (outcome.analysed == 0) {
    if (!c.quiet) fmt::print(stderr, "tediag: no input could be read: nothing to analyse\n");
    return kExitNoInput;
  }
  if (ThresholdMet(report, c.fail_on)) return kExitThresholdMet;
  return outcome.named_unreadable > 0 ? kExitInputNotRead : kExitAnalysed;
}

}  // namespace

std::shared_ptr<AnalyzeCommand> AddAnalyzeCommand(CLI::App& app) {
  auto c = std::make_shared<AnalyzeCommand>();
  std::vector<std::string> formats;  // the --format choices: every writer, the first the default
  for (const ReportWriter& writer : ReportWriters()) formats.emplace_back(writer.name);
  c->format = formats.front();
  CLI::App* cmd = c->command = app.add_subcommand("analyze", "Diagnose logs, crash reports and pasted text");
  cmd->add_option("INPUT", c->options.inputs,
                  "Files, folders (read recursively), archives, or - for standard input (the default when it is "
                  "piped)");
  cmd->add_option("--format", c->format, "Report format")->check(CLI::IsMember(formats))->capture_default_str();
  cmd->add_option("--app", c->options.focus_app, "Focus on one app: its name, bundle ID or a fragment of its path");
  AddRuleOptions(*cmd, c->rules);
  cmd->add_option("--output,-o", c->output,
                  "Write the report to FILE instead of standard output (- is standard output)")
      ->type_name("FILE");
  cmd->add_option("--threads,-j", c->options.threads,
                  "Threads that read and match (default and most: one per core); the report is the same for any number")
      ->type_name("N");
  cmd->add_option("--fail-on", c->fail_on, "Exit with status 1 when a finding of this severity or worse exists")
      ->check(CLI::IsMember({"error", "warning", "never"}))
      ->capture_default_str();
  cmd->add_option("--color", c->color,
                  "Colours in the text report: auto (a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  CLI::Option* since = cmd->add_option("--since", c->since,
                                       "Only records at or after this time: YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" or "
                                       "\"YYYY-MM-DD HH:MM:SS+ZZZZ\" (log show's --start)")
                           ->type_name("TIME");
  CLI::Option* until =
      cmd->add_option("--until", c->until, "Only records at or before this time (log show's --end)")->type_name("TIME");
  cmd->add_option("--last", c->last,
                  "Only the records of this long before the newest one of the inputs: 90s, 5m, 2h, 1d (log show "
                  "--archive --last)")
      ->type_name("DURATION")
      ->excludes(since)
      ->excludes(until);
  cmd->add_flag("--quiet,-q", c->quiet, "Print nothing (no report, no messages); only the exit status tells");
  cmd->add_flag("--explain", c->explain,
                "Instead of the report: how each record was read (format, fields) and which rules matched or came "
                "close (the first 200 records)");
  cmd->add_flag("--redact", c->redact,
                "Replace user and host names, e-mail and IP addresses, serial numbers and machine UUIDs "
                "with placeholders (<user-1>, …) before writing the report");
  cmd->footer(std::string(kExamples) + kExitStatusHelp);
  return c;
}

bool Parsed(const AnalyzeCommand& command) { return command.command->parsed(); }

int RunAnalyze(const AnalyzeCommand& c) {
  const ReportWriter* writer = FindReportWriter(c.format);  // --format is checked against the table
  if (writer == nullptr) return kExitUsage;
  AnalyzeOptions options = c.options;
  if (options.inputs.empty()) {
    if (isatty(STDIN_FILENO)) {
      fmt::print(stderr,
                 "tediag: analyze: name the files or folders to read, or pipe text in "
                 "(`pbpaste | tediag analyze`); see `tediag help analyze`\n");
      return kExitUsage;
    }
    options.inputs.push_back("-");
  }
  if (absl::Status window = ParseWindow(c, options); !window.ok()) {
    fmt::print(stderr, "tediag: analyze: {}\n", std::string(window.message()));
    return kExitUsage;
  }
  LoadedRules rules = LoadRules(c.rules);
  if (!c.quiet) PrintRuleWarnings(rules);
  if (c.explain) return Write(c.output, ExplainInputs(*rules.matcher, options.inputs)) ? kExitAnalysed : kExitUsage;

  std::optional<ProgressLine> progress;
  if (!c.quiet && ProgressLine::Wanted()) {
    progress.emplace();
    options.progress = [&progress](uint64_t read, uint64_t total) { progress->Update(read, total); };
  }
  Redactor redactor;  // --redact: learns names from every input as it is read, then redacts the report
  if (c.redact) options.on_input_read = [&redactor](std::string_view, std::string_view data) { redactor.Learn(data); };
  AnalyzeOutcome outcome;
  Report report = Analyze(*rules.matcher, options, &outcome);
  progress.reset();
  report.rule_errors = std::move(rules.errors);
  report.rules_replaced = std::move(rules.replaced);
  if (c.redact) redactor.RedactReport(report);

  if (!c.quiet || !ToStdout(c.output)) {
    std::string rendered = writer->render(report, {.color = ColorWanted(c.color, ToStdout(c.output)),
                                                   .width = ScreenWidth(ToStdout(c.output)),
                                                   .tool_version = TEDIAG_VERSION});
    if (!Write(c.output, rendered)) return kExitUsage;
  }
  if (!c.quiet) SayWhatWasNotRead(report);
  return ExitStatus(outcome, report, c);
}

}  // namespace tediag::cli
