#include "collect_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "collect_session.h"
#include "fmt/core.h"
#include "report/report_writers.h"
#include "util/duration.h"
#include "util/text_util.h"

namespace tediag::cli {
namespace {

// Exit statuses of `collect` (README.md).
constexpr int kExitCollected = 0;
constexpr int kExitUsage = 2;  // also: not a Mac and no stand-in tools given
constexpr int kExitAppNotFound = 4;
constexpr int kExitBundleFailed = 5;

constexpr const char* kCollectFooter = R"(
Examples:
  tediag collect --app MyApp
      Watch the log for 60s while you launch MyApp again; Ctrl-C stops early.
  tediag collect --app com.example.MyApp --launch --last 10m
      Find the app by bundle ID, read the last 10 minutes of the log, then launch it.
  tediag collect --app MyApp --print-predicate
      Show the `log stream` predicate built from the rules, and do nothing else.

The bundle (a folder, then one .zip beside it) holds manifest.json, events.ndjson, the app's
crash reports, its signing state, and report.md/report.json; send the .zip to support, who run
`tediag analyze BUNDLE.zip` on any OS. With --redact, the .zip and the printed report have user
and host names, serials and addresses replaced (the folder, which stays on the Mac, keeps them).
Root is not needed; with sudo, private log data would be shown instead of <private>.
Exit status: 0 collected, 2 usage error or not macOS, 4 app not found, 5 bundle could not be written.
Testing: --tool NAME=PATH and TEDIAG_TOOL_DIR replace the tools; TEDIAG_ROOT prefixes
/Applications and /Library/Logs/DiagnosticReports.
)";

}  // namespace

struct CollectCommand {
  CLI::App* sub = nullptr;
  std::string app;
  std::string duration = "60s";
  std::string last;
  bool launch = false;
  bool info = false;
  bool debug = false;
  bool print_predicate = false;
  bool redact = false;
  std::string out;
  std::vector<std::string> tools;
};

std::shared_ptr<CollectCommand> AddCollectCommand(CLI::App& app, std::vector<std::string>& rule_dirs) {
  auto command = std::make_shared<CollectCommand>();
  CLI::App* sub = app.add_subcommand("collect", "On a Mac: record a failed launch of an app into one bundle");
  command->sub = sub;
  sub->add_option("--app", command->app, "The app: its name, its path, or its bundle ID")->required();
  sub->add_option("--duration", command->duration, "How long to watch the log (90s, 5m, …)")->capture_default_str();
  sub->add_option("--last", command->last, "Also read the log of this past period (log show --last), e.g. 10m");
  sub->add_flag("--launch", command->launch, "Launch the app (open, then its executable directly if that fails)");
  sub->add_option("--out", command->out, "The bundle folder (default: ./tediag-APP-TIME)")->type_name("DIR");
  sub->add_flag("--info", command->info, "Include Info-level log messages");
  sub->add_flag("--debug", command->debug, "Include Debug-level log messages");
  sub->add_flag("--redact", command->redact,
                "Redact user and host names, serials, addresses… in the archive and the printed report "
                "(the bundle folder stays as it is)");
  sub->add_flag("--print-predicate", command->print_predicate, "Print the log predicate and exit");
  sub->add_option("--tool", command->tools, "Run NAME from PATH instead of its macOS location; repeatable")
      ->type_name("NAME=PATH");
  sub->add_option("--rules", rule_dirs,
                  "Also load the rule file, or the rule files (*.yaml) under the folder; repeatable")
      ->type_name("PATH");
  sub->footer(kCollectFooter);
  return command;
}

bool Parsed(const CollectCommand& command) { return command.sub->parsed(); }

int RunCollect(const CollectCommand& command, const Matcher& matcher) {
  collector::CollectOptions options;
  options.app = command.app;
  options.launch = command.launch;
  options.info = command.info;
  options.debug = command.debug;
  options.redact = command.redact;
  options.out = command.out;
  options.tool_version = TEDIAG_VERSION;
  options.live_count = isatty(STDERR_FILENO) != 0;
  for (const std::string& tool : command.tools) {
    if (absl::Status status = options.tools.AddOverride(tool); !status.ok()) {
      fmt::print(stderr, "tediag collect: {}\n", std::string(status.message()));
      return kExitUsage;
    }
  }
  if (const char* dir = std::getenv("TEDIAG_TOOL_DIR"); dir != nullptr && dir[0] != '\0') {
    options.tools.set_tool_dir(std::filesystem::absolute(dir).string());
  }
  absl::StatusOr<std::chrono::seconds> duration = ParseDuration(command.duration);
  if (!duration.ok()) {
    fmt::print(stderr, "tediag collect: --duration {}\n", std::string(duration.status().message()));
    return kExitUsage;
  }
  options.duration = *duration;
  if (!command.last.empty()) {
    absl::StatusOr<std::chrono::seconds> last = ParseDuration(command.last);
    if (!last.ok()) {
      fmt::print(stderr, "tediag collect: --last {}\n", std::string(last.status().message()));
      return kExitUsage;
    }
    options.last = command.last;
    options.last_window = *last;
  }
  const char* root_env = std::getenv("TEDIAG_ROOT");
  const std::string root = root_env == nullptr ? "" : root_env;
  const char* home_env = std::getenv("HOME");
  const std::string home = home_env == nullptr ? "" : home_env;
  options.app_dirs = {StrCat(root, "/Applications")};
  options.crash_dirs = {StrCat(root, "/Library/Logs/DiagnosticReports")};
  if (!home.empty()) {
    options.app_dirs.push_back(StrCat(home, "/Applications"));
    options.crash_dirs.insert(options.crash_dirs.begin(), StrCat(home, "/Library/Logs/DiagnosticReports"));
  }

  if (command.print_predicate) {
    std::string note;
    std::string predicate = collector::PredicateForApp(matcher, options, note);
    if (!note.empty()) fmt::print(stderr, "tediag collect: note: {}\n", note);
    fmt::print("{}\n", predicate);
    return kExitCollected;
  }

  if (!collector::CanCollectHere(options.tools)) {
    fmt::print(stderr,
               "tediag collect: this needs macOS: it runs the Mac's own log, codesign and spctl tools.\n"
               "On this machine, analyse what was collected on the Mac instead:\n"
               "  tediag analyze BUNDLE.zip      (a bundle made by `tediag collect` on the Mac)\n"
               "  tediag analyze FILES…          (log exports, .ips crash reports, pasted text)\n");
    return kExitUsage;
  }

  collector::CollectOutcome outcome = collector::Collect(matcher, options, stderr);
  switch (outcome.failure) {
    case collector::CollectFailure::kNone: break;
    case collector::CollectFailure::kAppNotFound:
      fmt::print(stderr, "tediag collect: {}\n", outcome.error);
      return kExitAppNotFound;
    case collector::CollectFailure::kBundleNotCreated:
      fmt::print(stderr, "tediag collect: {}\n", outcome.error);
      return kExitBundleFailed;
  }
  std::string text = RenderText(outcome.report, RenderOptions{});  // no colour: the defaults
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  fmt::print(stderr, "tediag: bundle folder: {}/\n", outcome.bundle_dir);
  if (!outcome.archive.empty()) fmt::print(stderr, "tediag: send this file to support: {}\n", outcome.archive);
  return kExitCollected;
}

}  // namespace tediag::cli
