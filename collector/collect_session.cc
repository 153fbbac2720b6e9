#include "collect_session.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <optional>
#include <thread>

#include "analyzer.h"
#include "app_resolver.h"
#include "archive_writer.h"
#include "bundle.h"
#include "bundle_inspector.h"
#include "command_log.h"
#include "crash_reports.h"
#include "fmt/core.h"
#include "interrupt.h"
#include "launcher.h"
#include "log_capture.h"
#include "predicate.h"
#include "process.h"
#include "read/json_event.h"
#include "redact/redactor.h"
#include "redacted_bundle.h"
#include "report/report_writers.h"
#include "util/text_util.h"

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kSnapshotTimeout = seconds(60);
constexpr milliseconds kSyspolicyTimeout = seconds(180);  // it may ask Apple's notary service
constexpr milliseconds kLogShowTimeout = seconds(300);
constexpr milliseconds kStopGrace = seconds(2);
constexpr milliseconds kAfterAppExit = seconds(2);        // late log lines about the exit
constexpr milliseconds kLaunchDelay = milliseconds(700);  // for `log stream` to attach first

std::string SafeFileName(std::string_view name) {
  std::string out;
  for (char c : name) out += IsAsciiAlnum(c) || c == '-' || c == '_' || c == '.' ? c : '_';
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  return out.empty() ? "app" : out.substr(0, 60);
}

std::string LocalStamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%d-%H%M%S", &tm);
  return buffer;
}

std::string Basename(const std::string& path) { return fs::path(path).filename().string(); }

class Session {
 public:
  Session(const Matcher& matcher, const CollectOptions& options, std::FILE* progress)
      : matcher_(matcher), options_(options), progress_(progress) {}

  CollectOutcome Run();

 private:
  void Say(std::string_view text) {
    if (counting_) std::fputs("\n", progress_);
    counting_ = false;
    fmt::print(progress_, "tediag: {}\n", text);
    std::fflush(progress_);
  }
  void Incomplete(std::string text) {
    Say(StrCat("note: ", text));
    manifest_.incomplete.push_back(std::move(text));
    SaveManifest();
  }
  void SaveManifest() {
    if (!bundle_) return;
    absl::Status status = bundle_->WriteManifest(manifest_, commands_);
    // A full disk: give back the space held for this and try again.
    if (!status.ok() && bundle_->ReleaseReserve()) status = bundle_->WriteManifest(manifest_, commands_);
    if (!status.ok() && !manifest_failed_) {
      manifest_failed_ = true;
      Say(StrCat("cannot write the manifest: ", status.message()));
    }
  }
  void ReadMacosVersion();
  void Snapshot(const std::string& purpose, std::vector<std::string> argv, const std::string& file,
                milliseconds timeout = kSnapshotTimeout);
  void SnapshotSigning();
  void InspectSigning(const std::string& target);
  void ShowLast();
  void StreamLog();
  void GatherCrashReports();
  void Finish(CollectOutcome& outcome);
  struct LogRun;
  bool RunLogCommand(const std::string& purpose, std::vector<std::string> argv, const std::string& file,
                     Clock::time_point deadline, bool launch);
  void PollLog(LogRun& run, Launcher& launcher, Clock::time_point deadline);
  void StopLog(LogRun& run, Launcher& launcher);
  void ShowCount(const LogCapture& capture, bool force);

  const Matcher& matcher_;
  const CollectOptions& options_;
  std::FILE* progress_;
  CommandLog commands_;
  Manifest manifest_;
  std::optional<Bundle> bundle_;
  ResolvedApp app_;
  std::chrono::system_clock::time_point began_;
  bool manifest_failed_ = false;
  bool counting_ = false;
  Clock::time_point last_count_{};
};

void Session::ReadMacosVersion() {
  manifest_.macos_version = "unknown";
  if (!options_.tools.Available("sw_vers")) {
    manifest_.incomplete.push_back(StrCat("macOS version unknown: ", options_.tools.Resolve("sw_vers"), " not found"));
    return;
  }
  absl::StatusOr<CommandResult> result = commands_.Run("sw_vers", {options_.tools.Resolve("sw_vers")}, seconds(10));
  if (!result.ok() || result->status.code != 0) return;
  std::string version, build;
  for (std::string_view line : Split(result->output, '\n', /*skip_empty=*/true)) {
    std::string_view rest = line;
    if (ConsumePrefix(rest, "ProductVersion:")) version = std::string(StripWhitespace(rest));
    if (ConsumePrefix(rest, "BuildVersion:")) build = std::string(StripWhitespace(rest));
  }
  if (!version.empty()) manifest_.macos_version = build.empty() ? version : StrCat(version, " (", build, ")");
}

void Session::Snapshot(const std::string& purpose, std::vector<std::string> argv, const std::string& file,
                       milliseconds timeout) {
  if (Interrupted()) {
    Incomplete(StrCat(purpose, " not run: ", InterruptName(), " came first"));
    return;
  }
  if (access(argv[0].c_str(), X_OK) != 0) {
    Incomplete(StrCat(purpose, " not run: ", argv[0], " not found"));
    return;
  }
  absl::StatusOr<CommandResult> result = commands_.Run(purpose, argv, timeout);
  if (!result.ok()) {
    Incomplete(StrCat(purpose, " not run: ", result.status().message()));
    return;
  }
  if (absl::Status status = bundle_->WriteFile(file, result->output); !status.ok()) {
    Incomplete(StrCat(purpose, ": ", status.message()));
    return;
  }
  commands_.at(commands_.records().size() - 1).output_file = file;
  if (result->timed_out) Incomplete(StrCat(purpose, " stopped after ", timeout.count() / 1000, "s"));
  if (result->cancelled) Incomplete(StrCat(purpose, " stopped by ", InterruptName(), "; its output is partial"));
  SaveManifest();
}

void Session::SnapshotSigning() {
  const ToolPaths& tools = options_.tools;
  const std::string target = app_.bundle_path.empty() ? app_.executable : app_.bundle_path;
  Say(StrCat("snapshotting the signing state of ", target));
  Snapshot("codesign-display", {tools.Resolve("codesign"), "-dvvv", "--entitlements", "-", target},
           "signing/codesign-display.txt");
  Snapshot("codesign-verify", {tools.Resolve("codesign"), "--verify", "--deep", "--strict", "-vvv", target},
           "signing/codesign-verify.txt");
  Snapshot("spctl-assess", {tools.Resolve("spctl"), "--assess", "-vvv", "--type", "exec", target},
           "signing/spctl-assess.txt");
  Snapshot("xattr-bundle", {tools.Resolve("xattr"), "-l", target}, "signing/xattr-bundle.txt");
  if (!app_.bundle_path.empty() && fs::exists(app_.executable)) {
    Snapshot("xattr-executable", {tools.Resolve("xattr"), "-l", app_.executable}, "signing/xattr-executable.txt");
  }
  if (tools.Available("syspolicy_check")) {
    Snapshot("syspolicy_check", {tools.Resolve("syspolicy_check"), "distribution", target},
             "signing/syspolicy_check.txt", kSyspolicyTimeout);
  } else {
    manifest_.notes.push_back("syspolicy_check is not present (it comes with macOS 14 and later); skipped");
  }
  if (tools.Available("xcrun")) {
    Snapshot("stapler-validate", {tools.Resolve("xcrun"), "stapler", "validate", target},
             "signing/stapler-validate.txt");
  } else {
    manifest_.notes.push_back("xcrun is not present (Xcode command-line tools); stapler validate skipped");
  }
  InspectSigning(target);
}

void Session::InspectSigning(const std::string& target) {
  // tediag's own static inspection, as `tediag inspect --lines` prints it: beside the crash, the
  // analysis then names the page or sealed file that changed after signing.
  if (Interrupted()) {
    Incomplete(StrCat("tediag-inspect not run: ", InterruptName(), " came first"));
    return;
  }
  inspect::Observations observations;
  inspect::InspectPath(target, observations);
  if (absl::Status status =
          bundle_->WriteFile("signing/tediag-inspect.txt", inspect::ObservationText(observations.list()));
      !status.ok()) {
    Incomplete(StrCat("tediag-inspect: ", status.message()));
    return;
  }
  SaveManifest();
}

void Session::ShowCount(const LogCapture& capture, bool force) {
  if (!options_.live_count) return;
  auto now = Clock::now();
  if (!force && now - last_count_ < milliseconds(250)) return;
  last_count_ = now;
  fmt::print(progress_, "\r  {} events recorded, {} relevant (matched by a rule)   ", capture.events(),
             capture.relevant());
  std::fflush(progress_);
  counting_ = true;
}

// One run of `log stream` or `log show`: the child, what it printed, and the launcher beside it.
struct Session::LogRun {
  std::string purpose;
  std::string file;
  size_t record = 0;  // in the command log
  Clock::time_point started;
  std::optional<ChildProcess> child;
  std::optional<LogCapture> capture;
  std::string errors;  // its standard error
  std::string stop_reason;
  bool ended = false;  // it ended by itself (rather than being stopped by us)
  bool write_failure_told = false;
};

bool Session::RunLogCommand(const std::string& purpose, std::vector<std::string> argv, const std::string& file,
                            Clock::time_point deadline, bool launch) {
  absl::StatusOr<LineWriter> writer = LineWriter::Open(bundle_->PathOf(file));
  if (!writer.ok()) {
    Incomplete(StrCat(purpose, ": ", writer.status().message()));
    return false;
  }
  LogRun run;  // members set one by one: a designated initializer leaving some out warns (GCC 12, -Wextra)
  run.purpose = purpose;
  run.file = file;
  run.record = commands_.Add({.purpose = purpose,
                              .argv = argv,
                              .started = UtcNow(),
                              .seconds = 0,
                              .exit_code = -1,
                              .outcome = "running",
                              .output_file = file});
  run.started = Clock::now();
  ChildProcess::Options child_options;
  child_options.merge_stderr = false;
  absl::StatusOr<ChildProcess> child = ChildProcess::Start(argv, child_options);
  if (!child.ok()) {
    commands_.at(run.record).outcome = std::string(child.status().message());
    Incomplete(StrCat(purpose, " not run: ", child.status().message()));
    return false;
  }
  run.child.emplace(std::move(*child));
  run.capture.emplace(std::move(*writer), matcher_);

  std::optional<LaunchPlan> plan;
  if (launch) {
    plan = LaunchPlan{.app_name = app_.name,
                      .open_argv = {options_.tools.Resolve("open"), "-W",
                                    app_.bundle_path.empty() ? app_.executable : app_.bundle_path},
                      .executable = app_.executable,
                      .start_at = Clock::now() + kLaunchDelay};
  }
  Launcher launcher(std::move(plan), {.commands = commands_,
                                      .bundle = *bundle_,
                                      .say = [this](std::string_view text) { Say(text); },
                                      .incomplete = [this](std::string text) { Incomplete(std::move(text)); },
                                      .save = [this] { SaveManifest(); }});
  PollLog(run, launcher, deadline);
  StopLog(run, launcher);
  return true;
}

// Until the deadline, an interrupt, or the end of the log: read its output, launch the app when
// due, and notice when the app exits (the deadline then comes closer, for late lines about it).
void Session::PollLog(LogRun& run, Launcher& launcher, Clock::time_point deadline) {
  ChildProcess& log = *run.child;
  while (true) {
    if (Interrupted()) {
      run.stop_reason = InterruptName();
      return;
    }
    if (Clock::now() >= deadline) {
      if (run.stop_reason.empty()) run.stop_reason = "duration";
      return;
    }
    launcher.Advance(Clock::now());
    int timeout_ms = static_cast<int>(
        std::clamp<long long>(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count(), 0, 100));
    pollfd fds[3] = {{log.stdout_fd(), POLLIN, 0}, {log.stderr_fd(), POLLIN, 0}, {launcher.output_fd(), POLLIN, 0}};
    poll(fds, 3, timeout_ms);
    constexpr short kReady = POLLIN | POLLHUP | POLLERR;
    if (log.stdout_fd() >= 0 && (fds[0].revents & kReady) && !run.capture->Drain(log.stdout_fd())) log.CloseStdout();
    if (log.stderr_fd() >= 0 && (fds[1].revents & kReady) && !ReadAvailable(log.stderr_fd(), run.errors)) {
      log.CloseStderr();
    }
    if (fds[2].fd >= 0 && (fds[2].revents & kReady)) launcher.ReadOutput();
    if (!run.capture->write_error().empty() && !run.write_failure_told) {
      run.write_failure_told = true;
      Incomplete(StrCat(run.purpose, ": writing ", run.file, " failed (", run.capture->write_error(),
                        "); later lines are counted but not kept"));
    }
    ShowCount(*run.capture, false);
    if (launcher.CheckExited()) {
      run.stop_reason = "app exited";
      deadline = std::min(deadline, Clock::now() + kAfterAppExit);
    }
    if (log.stdout_fd() < 0 && log.Poll()) {
      run.ended = true;
      if (run.stop_reason.empty()) run.stop_reason = "log ended";
      return;
    }
  }
}

// Stops log (its whole process group) and the launched app, takes what is still in the pipes,
// and records how the run went in the manifest.
void Session::StopLog(LogRun& run, Launcher& launcher) {
  ChildProcess& log = *run.child;
  LogCapture& capture = *run.capture;
  if (!log.Poll()) log.SignalGroup(SIGTERM);
  ExitStatus status = log.WaitOrKill(kStopGrace);
  if (log.stdout_fd() >= 0) capture.Drain(log.stdout_fd());
  if (log.stderr_fd() >= 0) ReadAvailable(log.stderr_fd(), run.errors);
  launcher.Stop();
  ShowCount(capture, true);
  CommandRecord& record = commands_.at(run.record);
  record.seconds = std::chrono::duration<double>(Clock::now() - run.started).count();
  record.exit_code = status.code;
  record.outcome =
      run.ended ? status.Describe() : StrCat("stopped by tediag (", run.stop_reason, "); ", status.Describe());
  const std::string& purpose = run.purpose;
  if (capture.FinishCutLine()) Incomplete(StrCat(purpose, ": its last line was cut off (kept as it was)"));
  if (run.ended && status.code != 0) Incomplete(StrCat(purpose, " ended early (", status.Describe(), ")"));
  if (!capture.write_error().empty()) {
    Incomplete(StrCat(purpose, ": ", capture.unwritten(), " line(s) not kept in ", run.file, " (",
                      capture.write_error(), ")"));
  }
  if (!run.errors.empty()) {
    std::string errors_file = StrCat(fs::path(run.file).stem().string(), "-stderr.txt");
    if (bundle_->WriteFile(errors_file, run.errors).ok()) {
      manifest_.notes.push_back(StrCat(purpose, " wrote to its standard error; kept in ", errors_file));
    }
  }
  if (capture.other_count() > 0) {
    manifest_.notes.push_back(StrCat(purpose, " printed ", capture.other_count(),
                                     " line(s) that are not JSON, e.g.: ", capture.other_lines().front()));
  }
  manifest_.events += capture.events();
  manifest_.relevant_events += capture.relevant();
  if (purpose == "log stream") manifest_.stop_reason = run.stop_reason;
  SaveManifest();
}

void Session::ShowLast() {
  std::vector<std::string> argv = {options_.tools.Resolve("log"), "show", "--last", options_.last, "--style", "ndjson"};
  if (options_.info) argv.push_back("--info");
  if (options_.debug) argv.push_back("--debug");
  argv.insert(argv.end(), {"--predicate", manifest_.predicate});
  Say(StrCat("reading the log of the last ", options_.last, " (log show)"));
  RunLogCommand("log show", argv, "log-show-last.ndjson", Clock::now() + kLogShowTimeout, /*launch=*/false);
}

void Session::StreamLog() {
  std::vector<std::string> argv = {options_.tools.Resolve("log"), "stream", "--style", "ndjson"};
  if (options_.info) argv.push_back("--info");
  if (options_.debug) argv.push_back("--debug");
  argv.insert(argv.end(), {"--predicate", manifest_.predicate});
  long long secs = std::chrono::duration_cast<seconds>(options_.duration).count();
  if (options_.launch) {
    Say(StrCat("watching the log while tediag launches ", app_.name, " (at most ", secs, "s; Ctrl-C stops early)"));
  } else {
    Say(StrCat("now launch ", app_.name, " again; press Ctrl-C when done (stops by itself after ", secs, "s)"));
  }
  RunLogCommand("log stream", argv, "events.ndjson", Clock::now() + options_.duration, options_.launch);
}

void Session::GatherCrashReports() {
  CrashReportQuery query;
  query.dirs = options_.crash_dirs;
  query.names = {app_.name, Basename(app_.executable)};
  query.since = began_ - options_.last_window - seconds(2);
  std::vector<std::string> taken;
  for (const std::string& path : FindCrashReports(query)) {
    std::string name = Basename(path);
    std::string relative = StrCat("crash-reports/", name);
    for (int n = 2; std::find(taken.begin(), taken.end(), relative) != taken.end(); ++n) {
      relative = StrCat("crash-reports/", n, "-", name);
    }
    if (absl::Status status = bundle_->CopyIn(path, relative); !status.ok()) {
      Incomplete(std::string(status.message()));
      continue;
    }
    taken.push_back(relative);
    manifest_.crash_reports.push_back(path);
  }
  Say(taken.empty() ? std::string("no new crash report for the app")
                    : StrCat(taken.size(), " crash report(s) gathered"));
  SaveManifest();
}

void Session::Finish(CollectOutcome& outcome) {
  bundle_->ReleaseReserve();  // not part of the bundle; its space goes to the reports and the archive
  manifest_.ended = UtcNow();
  manifest_.state = "complete";
  SaveManifest();
  AnalyzeOptions analyze;
  analyze.inputs = {bundle_->dir()};
  analyze.focus_app = app_.name;
  outcome.report = Analyze(matcher_, analyze);
  for (const ReportWriter& writer : ReportWriters()) {
    if (writer.bundle_file.empty()) continue;
    std::string text = writer.render(outcome.report, {.tool_version = options_.tool_version});
    if (absl::Status status = bundle_->WriteFile(writer.bundle_file, text); !status.ok()) {
      Say(std::string(status.message()));
    }
  }
  absl::StatusOr<std::string> archive;
  if (options_.redact) {
    Say("redacting what is sent (the archive and the report); the bundle folder is kept as it is");
    Redactor redactor;
    redactor.Learn(manifest_.app_path);  // the app's own path may hold the user's home folder
    redactor.Learn(app_.executable);
    archive =
        WriteRedactedArchive(bundle_->dir(), bundle_->dir(), outcome.report, manifest_, commands_.records(), redactor);
    if (!outcome.report.redaction) redactor.RedactReport(outcome.report);  // failed before it: still print it redacted
  } else {
    archive = ArchiveFolder(bundle_->dir(), bundle_->dir());
  }
  if (archive.ok()) {
    outcome.archive = *archive;
  } else {
    Say(StrCat("the bundle folder is complete, but no archive was written: ", archive.status().message()));
  }
}

CollectOutcome Session::Run() {
  auto failed = [](CollectFailure failure, const absl::Status& status) {
    CollectOutcome outcome;
    outcome.failure = failure;
    outcome.error = std::string(status.message());
    return outcome;
  };
  began_ = std::chrono::system_clock::now();
  manifest_.tool_version = options_.tool_version;
  manifest_.started = UtcNow();
  ReadMacosVersion();
  absl::StatusOr<ResolvedApp> app = ResolveApp(options_.app, {options_.app_dirs}, options_.tools, commands_);
  if (!app.ok()) return failed(CollectFailure::kAppNotFound, app.status());
  app_ = *std::move(app);
  Say(StrCat("app: ", app_.name, " at ", app_.bundle_path.empty() ? app_.executable : app_.bundle_path, " (",
             app_.bundle_id.empty() ? std::string("no bundle ID") : StrCat("bundle ID ", app_.bundle_id),
             ", executable ", app_.executable, "; found by ", app_.how, ")"));
  for (const std::string& note : app_.notes) Say(StrCat("note: ", note));

  std::string dir = options_.out.empty() ? StrCat("tediag-", SafeFileName(app_.name), "-", LocalStamp()) : options_.out;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();  // the archive is DIR.zip, beside it
  absl::StatusOr<Bundle> bundle = Bundle::Create(dir);
  if (!bundle.ok()) return failed(CollectFailure::kBundleNotCreated, bundle.status());
  bundle_.emplace(*std::move(bundle));
  manifest_.app_query = app_.query;
  manifest_.app_name = app_.name;
  manifest_.app_path = app_.bundle_path.empty() ? app_.executable : app_.bundle_path;
  manifest_.bundle_id = app_.bundle_id;
  manifest_.executable = app_.executable;
  manifest_.app_version = app_.version;
  manifest_.resolved_how = app_.how;
  manifest_.incomplete.insert(manifest_.incomplete.end(), app_.notes.begin(), app_.notes.end());
  manifest_.notes.push_back(
      "collected without root: private log data shows as <private>; running with sudo would reveal it");
  manifest_.predicate = BuildPredicate(matcher_.rules(), {Basename(app_.executable), app_.bundle_id});
  commands_.on_change = [this] { SaveManifest(); };
  SaveManifest();
  Say(StrCat("writing the bundle to ", bundle_->dir(), "/"));

  InterruptGuard guard;
  commands_.cancelled = [] { return Interrupted(); };
  SnapshotSigning();
  if (!options_.last.empty()) {
    if (Interrupted()) {
      Incomplete(StrCat("log show not run: ", InterruptName(), " came first"));
    } else {
      ShowLast();
    }
  }
  if (Interrupted()) {
    Incomplete(StrCat("log stream not run: ", InterruptName(), " came first"));
  } else {
    StreamLog();
  }
  if (Interrupted()) manifest_.stop_reason = InterruptName();
  commands_.cancelled = nullptr;  // crash reports and the analysis are quick; finish them
  GatherCrashReports();
  if (std::error_code ec; !fs::exists(manifest_.app_path, ec)) {
    Incomplete(StrCat("the app was no longer at ", manifest_.app_path,
                      " when collection ended (moved or deleted during it); the signing snapshot is from before"));
  }

  CollectOutcome outcome;
  outcome.bundle_dir = bundle_->dir();
  Finish(outcome);
  commands_.on_change = nullptr;
  return outcome;
}

}  // namespace

std::string PredicateForApp(const Matcher& matcher, const CollectOptions& options, std::string& note) {
  CommandLog scratch;
  absl::StatusOr<ResolvedApp> app = ResolveApp(options.app, {options.app_dirs}, options.tools, scratch);
  if (app.ok()) return BuildPredicate(matcher.rules(), {Basename(app->executable), app->bundle_id});
  note = StrCat(app.status().message(), "; the name stands for the app's process");
  return BuildPredicate(matcher.rules(), {options.app, ""});
}

CollectOutcome Collect(const Matcher& matcher, const CollectOptions& options, std::FILE* progress) {
  Session session(matcher, options, progress);
  return session.Run();
}

bool CanCollectHere(const ToolPaths& tools) {
#ifdef __APPLE__
  (void)tools;
  return true;
#else
  return tools.Overridden();
#endif
}

}  // namespace tediag::collector
