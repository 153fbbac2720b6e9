#include "collect_session.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <optional>
#include <thread>

#include "analyzer.h"
#include "app_resolver.h"
#include "archive_writer.h"
#include "bundle.h"
#include "command_log.h"
#include "crash_reports.h"
#include "fmt/core.h"
#include "read/json_event.h"
#include "predicate.h"
#include "process.h"
#include "redacted_bundle.h"
#include "redact/redactor.h"
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
constexpr milliseconds kAfterAppExit = seconds(2);  // late log lines about the exit
constexpr size_t kMaxKeptOtherLines = 20;

volatile std::sig_atomic_t g_interrupted = 0;  // the signal that asked us to stop, or 0

// First SIGINT (Ctrl-C) or SIGTERM: stop collecting and finish the bundle. A second: the
// signal's default action (the bundle folder still holds every line written so far, and its
// manifest says "collecting").
extern "C" void OnInterrupt(int signal) {
  if (g_interrupted) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  g_interrupted = signal;
}

// How the manifest names what stopped us: "Ctrl-C" or "SIGTERM".
std::string InterruptName() { return g_interrupted == SIGTERM ? "SIGTERM" : "Ctrl-C"; }

class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = 0;
    struct sigaction action {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: poll() returns at once
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

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

// A `log` child's stdout, cut into lines: ndjson lines go to a file the moment they are
// complete; other lines (a banner, an error) are kept for the manifest.
class LogCapture {
 public:
  LogCapture(LineWriter writer, const Matcher& matcher) : writer_(std::move(writer)), matcher_(matcher) {}

  // Takes what the pipe holds; false at end of file.
  bool Drain(int fd) {
    std::string bytes;
    bool open = ReadAvailable(fd, bytes);
    pending_ += bytes;
    size_t start = 0;
    for (size_t eol; (eol = pending_.find('\n', start)) != std::string::npos; start = eol + 1) {
      Line(std::string_view(pending_).substr(start, eol - start));
    }
    pending_.erase(0, start);
    return open;
  }
  // At the end: a line the child did not finish (it died mid-line) is kept as it is.
  bool FinishCutLine() {
    if (pending_.empty()) return false;
    Line(pending_);
    pending_.clear();
    return true;
  }

  uint64_t events() const { return events_; }
  uint64_t relevant() const { return relevant_; }
  const std::vector<std::string>& other_lines() const { return other_; }
  uint64_t other_count() const { return other_count_; }
  uint64_t unwritten() const { return unwritten_; }  // lines lost to write_error
  std::string write_error;

 private:
  void Line(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (StripWhitespace(line).empty()) return;
    if (line.front() != '{') {
      ++other_count_;
      if (other_.size() < kMaxKeptOtherLines) other_.push_back(Printable(line.substr(0, 300)));
      return;
    }
    // After a failed write (a full disk, most likely) lines are counted, not written: what
    // space is freed goes to the manifest and the reports.
    if (!write_error.empty()) {
      ++unwritten_;
    } else if (absl::Status status = writer_.Write(line); !status.ok()) {
      write_error = std::string(status.message());
      ++unwritten_;
    }
    Record record;
    absl::StatusOr<JsonLogEventParser::Kind> kind = parser_.Parse(line, record);
    if (!kind.ok() || *kind != JsonLogEventParser::Kind::kEvent) return;
    ++events_;
    hits_.clear();
    matcher_.Match(record, scratch_, hits_);
    if (!hits_.empty()) ++relevant_;
  }

  LineWriter writer_;
  const Matcher& matcher_;
  JsonLogEventParser parser_;
  Matcher::Scratch scratch_;
  std::vector<uint32_t> hits_;
  std::string pending_;
  uint64_t events_ = 0;
  uint64_t relevant_ = 0;
  uint64_t other_count_ = 0;
  uint64_t unwritten_ = 0;
  std::vector<std::string> other_;
};

class Session {
 public:
  Session(const Matcher& matcher, const CollectOptions& options, std::FILE* progress)
      : matcher_(matcher), options_(options), progress_(progress) {}

  absl::StatusOr<CollectOutcome> Run();

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
  void ShowLast();
  void StreamLog();
  void GatherCrashReports();
  void Finish(CollectOutcome& outcome);
  bool RunLogCommand(const std::string& purpose, std::vector<std::string> argv, const std::string& file,
                     Clock::time_point deadline, bool launch);
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
  if (g_interrupted) {
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

bool Session::RunLogCommand(const std::string& purpose, std::vector<std::string> argv, const std::string& file,
                            Clock::time_point deadline, bool launch) {
  absl::StatusOr<LineWriter> writer = LineWriter::Open(bundle_->PathOf(file));
  if (!writer.ok()) {
    Incomplete(StrCat(purpose, ": ", writer.status().message()));
    return false;
  }
  ChildProcess::Options child_options;
  child_options.merge_stderr = false;
  size_t index = commands_.Add({purpose, argv, UtcNow(), 0, -1, "running", file});
  auto started = Clock::now();
  absl::StatusOr<ChildProcess> log = ChildProcess::Start(argv, child_options);
  if (!log.ok()) {
    commands_.at(index).outcome = std::string(log.status().message());
    Incomplete(StrCat(purpose, " not run: ", log.status().message()));
    return false;
  }
  LogCapture capture(std::move(*writer), matcher_);
  std::string log_errors;

  // --launch: `open -W` the app once the stream is attached; if open fails, run the
  // executable itself so that dyld's own error reaches us on its stderr.
  std::optional<ChildProcess> launcher;
  std::string launch_output;
  std::string launch_file;
  size_t launch_index = 0;
  int launch_step = launch ? 0 : 3;  // 0 wait, 1 open running, 2 direct run, 3 done
  const auto launch_at = Clock::now() + milliseconds(700);
  auto start_launcher = [&](std::string step_purpose, std::vector<std::string> launch_argv, std::string out_file) {
    launch_output.clear();
    launch_file = std::move(out_file);
    launch_index = commands_.Add({std::move(step_purpose), launch_argv, UtcNow(), 0, -1, "running", launch_file});
    absl::StatusOr<ChildProcess> child = ChildProcess::Start(launch_argv);
    if (!child.ok()) {
      commands_.at(launch_index).outcome = std::string(child.status().message());
      SaveManifest();
      return false;
    }
    launcher.emplace(std::move(*child));
    return true;
  };
  auto finish_launcher = [&]() -> ExitStatus {
    if (launcher->stdout_fd() >= 0) ReadAvailable(launcher->stdout_fd(), launch_output);
    ExitStatus status = launcher->WaitOrKill(milliseconds(0));
    if (launcher->stdout_fd() >= 0) ReadAvailable(launcher->stdout_fd(), launch_output);
    launcher.reset();
    if (absl::Status written = bundle_->WriteFile(launch_file, launch_output); !written.ok()) {
      Incomplete(std::string(written.message()));
    }
    commands_.at(launch_index).exit_code = status.code;
    commands_.at(launch_index).outcome = status.Describe();
    SaveManifest();
    return status;
  };

  std::string stop_reason;
  bool log_ended = false;
  bool write_failure_told = false;
  while (true) {
    if (g_interrupted) {
      stop_reason = InterruptName();
      break;
    }
    if (Clock::now() >= deadline) {
      if (stop_reason.empty()) stop_reason = "duration";
      break;
    }
    if (launch_step == 0 && Clock::now() >= launch_at) {
      const std::string open_path = options_.tools.Resolve("open");
      std::vector<std::string> open_argv = {open_path, "-W"};
      open_argv.push_back(app_.bundle_path.empty() ? app_.executable : app_.bundle_path);
      Say(StrCat("launching ", app_.name, " with open"));
      launch_step = start_launcher("launch (open)", open_argv, "launch/open.txt") ? 1 : 2;
      if (launch_step == 2) {
        Say(StrCat("open could not run; running ", app_.executable, " directly"));
        launch_step = start_launcher("launch (executable)", {app_.executable}, "launch/executable.txt") ? 2 : 3;
      }
    }
    int timeout_ms = static_cast<int>(std::clamp<long long>(
        std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count(), 0, 100));
    pollfd fds[3] = {{log->stdout_fd(), POLLIN, 0},
                     {log->stderr_fd(), POLLIN, 0},
                     {launcher ? launcher->stdout_fd() : -1, POLLIN, 0}};
    poll(fds, 3, timeout_ms);
    if (log->stdout_fd() >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !capture.Drain(log->stdout_fd())) {
      log->CloseStdout();
    }
    if (log->stderr_fd() >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
        !ReadAvailable(log->stderr_fd(), log_errors)) {
      log->CloseStderr();
    }
    if (launcher && launcher->stdout_fd() >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) &&
        !ReadAvailable(launcher->stdout_fd(), launch_output)) {
      launcher->CloseStdout();
    }
    if (!capture.write_error.empty() && !write_failure_told) {
      write_failure_told = true;
      Incomplete(StrCat(purpose, ": writing ", file, " failed (", capture.write_error,
                        "); later lines are counted but not kept"));
    }
    ShowCount(capture, false);
    if (launcher && launcher->Poll()) {
      ExitStatus status = finish_launcher();
      if (launch_step == 1 && status.code != 0) {
        Say(StrCat("open failed (", status.Describe(), "); running ", app_.executable, " directly"));
        launch_step = start_launcher("launch (executable)", {app_.executable}, "launch/executable.txt") ? 2 : 3;
      } else {
        Say(StrCat(app_.name, " has exited; stopping shortly"));
        launch_step = 3;
        stop_reason = "app exited";
        deadline = std::min(deadline, Clock::now() + kAfterAppExit);
      }
    }
    if (log->stdout_fd() < 0 && log->Poll()) {
      log_ended = true;
      if (stop_reason.empty()) stop_reason = "log ended";
      break;
    }
  }

  // Stop log (its whole process group), then take what is still in the pipes.
  if (!log->Poll()) log->SignalGroup(SIGTERM);
  ExitStatus status = log->WaitOrKill(kStopGrace);
  if (log->stdout_fd() >= 0) capture.Drain(log->stdout_fd());
  if (log->stderr_fd() >= 0) ReadAvailable(log->stderr_fd(), log_errors);
  if (launcher) {
    launcher->SignalGroup(SIGTERM);
    finish_launcher();
  }
  ShowCount(capture, true);
  CommandRecord& record = commands_.at(index);
  record.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  record.exit_code = status.code;
  record.outcome = log_ended ? status.Describe() : StrCat("stopped by tediag (", stop_reason, "); ", status.Describe());
  if (capture.FinishCutLine()) Incomplete(StrCat(purpose, ": its last line was cut off (kept as it was)"));
  if (log_ended && (status.code != 0)) {
    Incomplete(StrCat(purpose, " ended early (", status.Describe(), ")"));
  }
  if (!capture.write_error.empty()) {
    Incomplete(StrCat(purpose, ": ", capture.unwritten(), " line(s) not kept in ", file, " (", capture.write_error, ")"));
  }
  if (!log_errors.empty()) {
    std::string errors_file = StrCat(fs::path(file).stem().string(), "-stderr.txt");
    if (bundle_->WriteFile(errors_file, log_errors).ok()) {
      manifest_.notes.push_back(StrCat(purpose, " wrote to its standard error; kept in ", errors_file));
    }
  }
  if (capture.other_count() > 0) {
    manifest_.notes.push_back(StrCat(purpose, " printed ", capture.other_count(), " line(s) that are not JSON, e.g.: ",
                                     capture.other_lines().front()));
  }
  manifest_.events += capture.events();
  manifest_.relevant_events += capture.relevant();
  if (purpose == "log stream") manifest_.stop_reason = stop_reason;
  SaveManifest();
  return true;
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
  for (auto [file, text] : {std::pair<const char*, std::string>{"report.md", RenderMarkdown(outcome.report)},
                            {"report.json", RenderJson(outcome.report, options_.tool_version)}}) {
    if (absl::Status status = bundle_->WriteFile(file, text); !status.ok()) Say(std::string(status.message()));
  }
  absl::StatusOr<std::string> archive;
  if (options_.redact) {
    Say("redacting what is sent (the archive and the report); the bundle folder is kept as it is");
    Redactor redactor;
    redactor.Learn(manifest_.app_path);  // the app's own path may hold the user's home folder
    redactor.Learn(app_.executable);
    archive = WriteRedactedArchive(bundle_->dir(), bundle_->dir(), outcome.report, options_.tool_version, redactor);
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

absl::StatusOr<CollectOutcome> Session::Run() {
  began_ = std::chrono::system_clock::now();
  manifest_.tool_version = options_.tool_version;
  manifest_.started = UtcNow();
  ReadMacosVersion();
  absl::StatusOr<ResolvedApp> app = ResolveApp(options_.app, {options_.app_dirs}, options_.tools, commands_);
  if (!app.ok()) return app.status();
  app_ = *std::move(app);
  Say(StrCat("app: ", app_.name, " at ", app_.bundle_path.empty() ? app_.executable : app_.bundle_path, " (",
             app_.bundle_id.empty() ? std::string("no bundle ID") : StrCat("bundle ID ", app_.bundle_id),
             ", executable ", app_.executable, "; found by ", app_.how, ")"));
  for (const std::string& note : app_.notes) Say(StrCat("note: ", note));

  std::string dir = options_.out.empty() ? StrCat("tediag-", SafeFileName(app_.name), "-", LocalStamp()) : options_.out;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();  // the archive is DIR.zip, beside it
  absl::StatusOr<Bundle> bundle = Bundle::Create(dir);
  if (!bundle.ok()) return bundle.status();
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
  commands_.cancelled = [] { return g_interrupted != 0; };
  SnapshotSigning();
  if (!options_.last.empty()) {
    if (g_interrupted) {
      Incomplete(StrCat("log show not run: ", InterruptName(), " came first"));
    } else {
      ShowLast();
    }
  }
  if (g_interrupted) {
    Incomplete(StrCat("log stream not run: ", InterruptName(), " came first"));
  } else {
    StreamLog();
  }
  if (g_interrupted) manifest_.stop_reason = InterruptName();
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

absl::StatusOr<seconds> ParseDuration(std::string_view text) {
  std::string_view digits = text;
  long long unit = 1;
  if (!digits.empty() && !IsAsciiDigit(digits.back())) {
    switch (digits.back()) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      default: return absl::InvalidArgumentError(StrCat("'", text, "' is not a duration (e.g. 90s, 5m, 2h, 1d)"));
    }
    digits.remove_suffix(1);
  }
  if (digits.empty() || digits.size() > 9) {
    return absl::InvalidArgumentError(StrCat("'", text, "' is not a duration (e.g. 90s, 5m, 2h, 1d)"));
  }
  long long value = 0;
  for (char c : digits) {
    if (!IsAsciiDigit(c)) return absl::InvalidArgumentError(StrCat("'", text, "' is not a duration (e.g. 90s, 5m, 2h, 1d)"));
    value = value * 10 + (c - '0');
  }
  if (value == 0) return absl::InvalidArgumentError(StrCat("'", text, "': the duration must be more than zero"));
  return seconds(value * unit);
}

std::string PredicateForApp(const Matcher& matcher, const CollectOptions& options, std::string& note) {
  CommandLog scratch;
  absl::StatusOr<ResolvedApp> app = ResolveApp(options.app, {options.app_dirs}, options.tools, scratch);
  if (app.ok()) return BuildPredicate(matcher.rules(), {Basename(app->executable), app->bundle_id});
  note = StrCat(app.status().message(), "; the name stands for the app's process");
  return BuildPredicate(matcher.rules(), {options.app, ""});
}

absl::StatusOr<CollectOutcome> Collect(const Matcher& matcher, const CollectOptions& options, std::FILE* progress) {
  Session session(matcher, options, progress);
  return session.Run();
}

}  // namespace tediag::collector
