// tediag: diagnoses why a Mac app will not launch (code signing, Gatekeeper, App Sandbox, TCC).
// This file is the command line only: it declares the commands, parses the arguments and runs
// the one given; each command lives in its own file (analyze_command, rules_command,
// collect_command, inspect_command, command_names for `help`, completions, version for -V).
// Exceptions (CLI11's) stay here.
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "analyze_command.h"
#include "collect_command.h"
#include "command_names.h"
#include "completions.h"
#include "exit_status.h"
#include "fmt/core.h"
#include "inspect_command.h"
#include "rule_options.h"
#include "rules_command.h"
#include "version.h"

namespace {

constexpr const char* kFooter = R"(
Examples:
  tediag analyze MyApp.ips launch.ndjson     diagnose a crash report and a log export together
  pbpaste | tediag analyze                   diagnose text pasted into a ticket
  tediag collect --app MyApp --launch        on a Mac: record a failed launch into a bundle
  tediag rules list                          the rules tediag knows
  tediag help analyze                        a command's options and examples
)";

}  // namespace

int main(int argc, char** argv) {
  namespace cli = tediag::cli;
  CLI::App app{
      "tediag: finds why a Mac app will not launch (code signing, Gatekeeper and quarantine,\n"
      "the App Sandbox, privacy consent) from logs and crash reports, and says how to fix it."};
  cli::AddVersionFlag(app);
  app.require_subcommand(1);
  app.footer(std::string(kFooter) + cli::kExitStatusHelp + "\n");

  auto analyze = cli::AddAnalyzeCommand(app);
  auto rules = cli::AddRulesCommand(app);
  cli::RuleOptions collect_rules;
  auto collect = cli::AddCollectCommand(app, collect_rules.paths);
  CLI::App* help = cli::AddHelpCommand(app);
  cli::AddCompletionsCommand(app);
  cli::AddInspectCommand(app);

  if (auto unknown = cli::UnknownCommand(app, argc, argv)) {
    fmt::print(stderr, "{}\n", *unknown);
    return cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitUsage;
  }
  if (cli::Parsed(*analyze)) return cli::RunAnalyze(*analyze);
  if (cli::Parsed(*rules)) return cli::RunRules(*rules);
  if (help->parsed()) return cli::RunHelp(app, *help);
  if (cli::Parsed(*collect)) {
    cli::LoadedRules loaded = cli::LoadRules(collect_rules);
    cli::PrintRuleWarnings(loaded);
    return cli::RunCollect(*collect, *loaded.matcher);
  }
  return cli::kExitUsage;
}
