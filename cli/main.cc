// tediag: diagnoses why a Mac app will not launch (code signing, Gatekeeper, App Sandbox, TCC).
// This file is the command line only: it parses options, loads rules, runs the analyzer and
// writes the report. Exceptions (CLI11's) stay here.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "analyzer.h"
#include "collect_command.h"
#include "completions.h"
#include "fmt/core.h"
#include "match/matcher.h"
#include "redact/redactor.h"
#include "report/report_writers.h"
#include "rule_examples.h"
#include "rules/rule_loader.h"
#include "tediag/embedded_rules.h"
#include "util/text_util.h"
#include "version.h"

namespace {

// Exit codes (README.md documents them).
constexpr int kExitAnalysed = 0;
constexpr int kExitThresholdMet = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNoInput = 3;

constexpr const char* kAnalyzeExamples = R"(
Examples:
  tediag analyze MyApp-2024-05-01-101010.ips
      Diagnose one crash report.
  log show --last 10m --style ndjson > launch.ndjson; tediag analyze launch.ndjson MyApp.ips
      A log export and a crash report of the same failed launch, diagnosed together.
  pbpaste | tediag analyze --app MyApp -
      Whatever a user pasted into a ticket, focused on the app in question.
  tediag analyze --format markdown --output ticket.md ~/Desktop/evidence/
      Every file under a folder; a report to paste into a GitHub or Jira ticket.
  tediag analyze --format json --fail-on error build-logs/ | jq .diagnosis
      For scripts and CI: exit status 1 when an error-level finding exists.

Inputs are recognised by content: `log show`/`log stream` output in any --style (ndjson, json,
default, compact, syslog), text pasted from Console or Terminal, .ips and .crash crash reports,
and files that mix them. Exit status: 0 analysed, 1 --fail-on threshold met, 2 usage error,
3 no input could be read.
)";

struct RuleOptions {
  std::vector<std::string> dirs;
};

// The embedded rules plus those under --rules; problems are returned, and also printed as
// warnings unless the caller reports them itself.
std::unique_ptr<tediag::Matcher> LoadMatcher(const RuleOptions& options, std::vector<tediag::RuleError>& errors,
                                             bool warn = true) {
  tediag::RuleSet set = tediag::EmbeddedRuleSet();
  for (const std::string& dir : options.dirs) tediag::LoadRuleDirectory(dir, set, errors);
  tediag::CheckRuleSet(set, errors);
  auto matcher = tediag::Matcher::Compile(std::move(set.rules), errors, tediag::EmbeddedPatternPrefilters());
  if (warn) {
    for (const tediag::RuleError& error : errors) {
      fmt::print(stderr, "tediag: warning: {}: {}\n", error.where, error.message);
    }
  }
  return matcher;
}

// With folders given, `rules check` and `rules test` concern the rules loaded from them;
// without, the embedded database.
bool IsSelected(const tediag::Rule& rule, const RuleOptions& options) {
  return (rule.source == tediag::RuleSource::kEmbedded) == options.dirs.empty();
}

int RunRulesCheck(const RuleOptions& options) {
  std::vector<tediag::RuleError> errors;
  auto matcher = LoadMatcher(options, errors, /*warn=*/false);
  size_t checked = 0;
  for (const tediag::Rule& rule : matcher->rules()) checked += IsSelected(rule, options);
  for (const tediag::RuleError& error : errors) fmt::print("{}: {}\n", error.where, error.message);
  fmt::print("tediag rules check: {} rule{} valid, {} problem{}\n", checked, checked == 1 ? "" : "s", errors.size(),
             errors.size() == 1 ? "" : "s");
  return errors.empty() ? 0 : 1;
}

int RunRulesTest(const RuleOptions& options) {
  std::vector<tediag::RuleError> errors;
  auto matcher = LoadMatcher(options, errors);
  std::vector<const tediag::Rule*> selected;
  for (const tediag::Rule& rule : matcher->rules()) {
    if (IsSelected(rule, options)) selected.push_back(&rule);
  }
  if (selected.empty()) {
    fmt::print("tediag rules test: no rules to test\n");
    return 1;
  }
  size_t failed = 0;
  for (const tediag::ExampleOutcome& outcome : tediag::RunRuleExamples(*matcher, selected)) {
    if (outcome.passed) continue;
    ++failed;
    std::string_view file = std::string_view(outcome.rule->origin).substr(0, outcome.rule->origin.rfind(':'));
    fmt::print("FAIL {}:{}: rule {} {} its example:\n", file, outcome.example->line, outcome.rule->id,
               outcome.example->should_match ? "does not match" : "matches");
    for (std::string_view line : tediag::Split(outcome.example->text, '\n', /*skip_empty=*/true)) {
      fmt::print("    {}\n", line);
    }
  }
  size_t total = 0, without_match = 0;
  for (const tediag::Rule* rule : selected) {
    total += rule->examples.size();
    bool has_match = false;
    for (const tediag::RuleExample& example : rule->examples) has_match |= example.should_match;
    if (!has_match) {
      ++without_match;
      fmt::print("FAIL {}: rule {} has no example that must match\n", rule->origin, rule->id);
    }
  }
  fmt::print("tediag rules test: {} rule{}, {} examples, {} passed, {} failed{}\n", selected.size(),
             selected.size() == 1 ? "" : "s", total, total - failed, failed,
             without_match ? fmt::format(", {} rules without a match example", without_match) : "");
  return failed == 0 && without_match == 0 && errors.empty() ? 0 : 1;
}

bool ColorWanted(bool to_stdout) {
  if (!to_stdout || !isatty(STDOUT_FILENO)) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

// Progress on stderr for large inputs: only on a terminal, and not while JSON goes to the same
// terminal. Redrawn at most every quarter second; erased when reading ends.
class ProgressLine {
 public:
  static constexpr uint64_t kMinBytes = uint64_t{256} << 20;

  void Update(uint64_t read, uint64_t total) {
    auto now = std::chrono::steady_clock::now();
    if (read < kMinBytes && total < kMinBytes) return;
    if (shown_ && now - last_ < std::chrono::milliseconds(250) && read < total) return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? static_cast<double>(read) / seconds : 0;
    std::string line = fmt::format("tediag: read {:.1f} MB", static_cast<double>(read) / 1e6);
    if (total > 0) {
      line += fmt::format(" of {:.1f} MB ({:.0f}%)", static_cast<double>(total) / 1e6,
                          100.0 * static_cast<double>(read) / static_cast<double>(total));
    }
    line += fmt::format(", {:.0f} MB/s", rate / 1e6);
    if (total > read && rate > 0)
      line += fmt::format(", about {:.0f} s left", static_cast<double>(total - read) / rate);
    fmt::print(stderr, "\r\033[K{}", line);
    std::fflush(stderr);
    shown_ = true;
  }
  ~ProgressLine() {
    if (shown_) fmt::print(stderr, "\r\033[K");
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
};

int RunAnalyze(tediag::AnalyzeOptions options, const RuleOptions& rule_options, const std::string& format,
               const std::string& output, const std::string& fail_on, bool redact) {
  const tediag::ReportWriter* writer = tediag::FindReportWriter(format);  // --format is checked against the table
  if (writer == nullptr) return kExitUsage;
  std::vector<tediag::RuleError> rule_errors;
  auto matcher = LoadMatcher(rule_options, rule_errors);
  std::optional<ProgressLine> progress;
  if (isatty(STDERR_FILENO) && !(writer->for_programs && output.empty())) {
    progress.emplace();
    options.progress = [&progress](uint64_t read, uint64_t total) { progress->Update(read, total); };
  }
  tediag::Redactor redactor;  // --redact: learns names from every input as it is read, then redacts the report
  if (redact) options.on_input_read = [&redactor](std::string_view, std::string_view data) { redactor.Learn(data); };
  tediag::Report report = tediag::Analyze(*matcher, options);
  progress.reset();
  report.rule_errors = std::move(rule_errors);
  if (redact) redactor.RedactReport(report);

  std::string rendered = writer->render(report, {.color = ColorWanted(output.empty()), .tool_version = TEDIAG_VERSION});
  if (output.empty()) {
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
    std::fflush(stdout);
  } else {
    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    out << rendered;
    out.close();
    if (!out) {
      fmt::print(stderr, "tediag: cannot write the report to {}\n", output);
      return kExitUsage;
    }
  }

  bool any_read = false;
  for (const tediag::InputSummary& input : report.inputs) {
    any_read |= input.readable;
    if (!input.readable) {
      fmt::print(stderr, "tediag: {}: {}\n", input.path, input.errors.empty() ? "not read" : input.errors[0].message);
    }
  }
  if (!any_read) {
    fmt::print(stderr, "tediag: no input could be read\n");
    return kExitNoInput;
  }
  if (fail_on != "never") {
    tediag::Severity threshold = tediag::ParseSeverity(fail_on).value_or(tediag::Severity::kError);
    for (const tediag::Finding& finding : report.findings) {
      if (finding.rule->severity >= threshold) return kExitThresholdMet;
    }
  }
  return kExitAnalysed;
}

int RunRulesList(const RuleOptions& rule_options) {
  std::vector<tediag::RuleError> errors;
  auto matcher = LoadMatcher(rule_options, errors);
  size_t id_width = 2, class_width = 5;
  for (const tediag::Rule& rule : matcher->rules()) {
    id_width = std::max(id_width, rule.id.size());
    class_width = std::max(class_width, rule.class_slug.size());
  }
  fmt::print("{:<{}}  {:<{}}  {:<8} {}\n", "ID", id_width, "CLASS", class_width, "SEVERITY", "TITLE");
  for (const tediag::Rule& rule : matcher->rules()) {
    fmt::print("{:<{}}  {:<{}}  {:<8} {}\n", rule.id, id_width, rule.class_slug, class_width,
               tediag::SeverityName(rule.severity), rule.title);
  }
  return errors.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "tediag: finds why a Mac app will not launch (code signing, Gatekeeper and quarantine,\n"
      "the App Sandbox, privacy consent) from logs and crash reports, and says how to fix it."};
  tediag::cli::AddVersionFlag(app);
  app.require_subcommand(1);
  app.footer("Run `tediag analyze --help` for examples.");

  tediag::AnalyzeOptions analyze_options;
  RuleOptions rule_options;
  std::vector<std::string> formats;  // the --format choices: every writer, the first the default
  for (const tediag::ReportWriter& writer : tediag::ReportWriters()) formats.emplace_back(writer.name);
  std::string format = formats.front();
  std::string output;
  std::string fail_on = "never";

  CLI::App* analyze = app.add_subcommand("analyze", "Diagnose logs, crash reports and pasted text");
  analyze->add_option("INPUT", analyze_options.inputs, "Files, folders (read recursively) or - for standard input")
      ->required();
  analyze->add_option("--format", format, "Report format")->check(CLI::IsMember(formats))->capture_default_str();
  analyze->add_option("--app", analyze_options.focus_app,
                      "Focus on one app: its name, bundle ID or a fragment of its path");
  analyze->add_option("--rules", rule_options.dirs, "Also load the rule files (*.yaml) under DIR; repeatable")
      ->type_name("DIR");
  analyze->add_option("--output,-o", output, "Write the report to FILE instead of standard output")->type_name("FILE");
  analyze
      ->add_option("--threads,-j", analyze_options.threads,
                   "Threads that read and match (default: one per core); the report is the same for any number")
      ->type_name("N");
  analyze->add_option("--fail-on", fail_on, "Exit with status 1 when a finding of this severity or worse exists")
      ->check(CLI::IsMember({"error", "warning", "never"}))
      ->capture_default_str();
  bool redact = false;
  analyze->add_flag("--redact", redact,
                    "Replace user and host names, e-mail and IP addresses, serial numbers and machine UUIDs "
                    "with placeholders (<user-1>, …) before writing the report");
  analyze->footer(kAnalyzeExamples);

  CLI::App* rules = app.add_subcommand("rules", "Inspect the rule database");
  rules->require_subcommand(1);
  CLI::App* rules_list = rules->add_subcommand("list", "List every rule: id, class, severity, title");
  rules_list->add_option("--rules", rule_options.dirs, "Also load the rule files under DIR; repeatable")
      ->type_name("DIR");
  CLI::App* rules_check = rules->add_subcommand(
      "check", "Validate rule files (schema, unknown keys, patterns, duplicate ids) and print file:line errors");
  rules_check->add_option("DIR", rule_options.dirs, "Folders of rule files (default: the embedded rules)");
  CLI::App* rules_test = rules->add_subcommand("test", "Run the rules' examples and print a pass/fail summary");
  rules_test->add_option("DIR", rule_options.dirs, "Folders of rule files (default: the embedded rules)");
  rules->footer(R"(
Examples:
  tediag rules list                      every rule: id, class, severity, title
  tediag rules check my-rules/           validate your rule files; exit status 1 on any problem
  tediag rules test my-rules/            run their examples; exit status 1 on any failure
  tediag analyze --rules my-rules/ x.log use them alongside the embedded rules
)");

  auto collect = tediag::cli::AddCollectCommand(app, rule_options.dirs);
  tediag::cli::AddCompletionsCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  if (analyze->parsed()) return RunAnalyze(analyze_options, rule_options, format, output, fail_on, redact);
  if (rules_list->parsed()) return RunRulesList(rule_options);
  if (rules_check->parsed()) return RunRulesCheck(rule_options);
  if (rules_test->parsed()) return RunRulesTest(rule_options);
  if (tediag::cli::Parsed(*collect)) {
    std::vector<tediag::RuleError> errors;
    return tediag::cli::RunCollect(*collect, *LoadMatcher(rule_options, errors));
  }
  return kExitUsage;
}
