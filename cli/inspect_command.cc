// `tediag inspect` (inspect_command.h).
#include "inspect_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "exit_status.h"
#include "inspect_runner.h"
#include "report/report_writers.h"
#include "rule_options.h"
#include "tediag/rule.h"

namespace tediag::cli {
namespace {

// Exit statuses as analyze's (exit_status.h): 0 inspected, 1 --fail-on met, 3 nothing inspected.

constexpr const char* kInspectExamples = R"(
Examples:
  tediag inspect MyApp.app
      Signature, seal, entitlements and nested code of an app, as codesign --verify --deep --strict
      and syspolicy_check distribution would judge them, on any OS.
  tediag inspect MyApp.zip
      The same for an app a customer sent as a zip (or a .tar.gz): unpacked privately, with its
      modes and symlinks, and named MyApp.zip:MyApp.app/Contents/... in the findings.
  tediag inspect --lines build/ > inspection.txt
      Every bundle and Mach-O file under a folder, as tediag-inspect lines (facts and findings);
      `tediag analyze crash.ips inspection.txt` then names the modified file as the crash's cause.
  tediag inspect --format json --fail-on error dist/MyApp.app
      For CI: exit status 1 when a finding is an error.

What only a Mac can tell (quarantine, Gatekeeper's policy, the notarization ticket online,
XProtect, launch constraints) is not checked; README.md lists it. Exit status: 0 inspected,
1 --fail-on threshold met, 2 usage error, 3 nothing could be inspected.
)";

struct Options {
  std::vector<std::string> paths;
  std::string format;
  std::string fail_on = "never";
  bool lines = false;
  RuleOptions rules;  // --rules, --disable-rule (and TEDIAG_RULES), as for analyze
};

int Run(const Options& options) {
  const ReportWriter* writer = FindReportWriter(options.format);
  LoadedRules loaded = LoadRules(options.rules);
  PrintRuleWarnings(loaded);
  inspect::InspectResult result = inspect::RunInspection(*loaded.matcher, options.paths);
  std::string out;
  // The facts precede the text report only; JSON and Markdown stay documents of their own.
  if (options.lines || writer == nullptr || writer->name == "text") {
    out = inspect::ObservationText(result.observations);
    if (!options.lines) out += "\n";
  }
  if (!options.lines && writer != nullptr)
    out += writer->render(result.report, {.color = false, .tool_version = TEDIAG_VERSION});
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  bool inspected = false;
  for (const inspect::Observation& o : result.observations) inspected |= o.kind == inspect::Observation::Kind::kFact;
  if (!inspected) return kExitNoInput;
  if (options.fail_on != "never") {
    Severity threshold = ParseSeverity(options.fail_on).value_or(Severity::kError);
    for (const Finding& finding : result.report.findings)
      if (finding.rule->severity >= threshold) return kExitThresholdMet;
  }
  return kExitAnalysed;
}

}  // namespace

void AddInspectCommand(CLI::App& app) {
  auto options = std::make_shared<Options>();
  std::vector<std::string> formats;
  for (const ReportWriter& writer : ReportWriters()) formats.emplace_back(writer.name);
  options->format = formats.front();
  CLI::App* inspect = app.add_subcommand("inspect", "Check an app's code signature, seal and entitlements (any OS)");
  inspect
      ->add_option("PATH", options->paths,
                   "Bundles (.app, .framework…), Mach-O files, .zip/.tar.gz archives of them, or folders")
      ->required();
  inspect->add_option("--format", options->format, "Report format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  inspect->add_flag("--lines", options->lines, "Print only the tediag-inspect lines (facts and findings), no report");
  AddRuleOptions(*inspect, options->rules);
  inspect
      ->add_option("--fail-on", options->fail_on, "Exit with status 1 when a finding of this severity or worse exists")
      ->check(CLI::IsMember({"error", "warning", "never"}))
      ->capture_default_str();
  inspect->footer(kInspectExamples);
  // Runs when parsed, and ends the program here (see the header).
  inspect->final_callback([options] { std::exit(Run(*options)); });
}

}  // namespace tediag::cli
