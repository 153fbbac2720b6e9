// `tediag collect --launch`: launches the app once the log stream is attached, with `open -W`,
// and when open cannot run or fails, runs the executable itself, so that dyld's own error
// reaches its standard output. Each step is a command in the manifest, and its output a file in
// the bundle (launch/open.txt, launch/executable.txt). Driven by the session's poll loop; not
// thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bundle.h"
#include "command_log.h"
#include "process.h"

namespace tediag::collector {

enum class LaunchStep {
  kWaiting,        // until the stream has had time to attach
  kOpenRunning,    // `open -W APP` runs, for as long as the app does
  kDirectRunning,  // the executable itself runs
  kDone,           // the app has exited, or no launch was asked for or possible
};

// What the launcher needs from its session.
struct LaunchContext {
  CommandLog& commands;
  Bundle& bundle;
  std::function<void(std::string_view)> say;    // progress for the user
  std::function<void(std::string)> incomplete;  // a step that went wrong, for the manifest
  std::function<void()> save;                   // the manifest changed
};

struct LaunchPlan {
  std::string app_name;
  std::vector<std::string> open_argv;  // {"/usr/bin/open", "-W", APP}
  std::string executable;
  std::chrono::steady_clock::time_point start_at;
};

class Launcher {
 public:
  // With `plan` empty (no --launch), the launcher is kDone from the start.
  Launcher(std::optional<LaunchPlan> plan, LaunchContext context);

  LaunchStep step() const { return step_; }
  int output_fd() const { return child_ && child_->stdout_fd() >= 0 ? child_->stdout_fd() : -1; }
  // Starts `open` once its time has come.
  void Advance(std::chrono::steady_clock::time_point now);
  // Reads the running step's output; call when output_fd() is readable.
  void ReadOutput();
  // Notices that the running step has ended and moves on: true when the app has exited.
  bool CheckExited();
  // Stops the step that still runs (SIGTERM to its group) and records it.
  void Stop();

 private:
  // Starts a step; false (recorded) when it cannot run.
  bool Start(std::string purpose, std::vector<std::string> argv, std::string file);
  // The running step has ended or is stopped: save its output and how it ended.
  ExitStatus Finish();
  void RunExecutableInstead(std::string_view why);

  std::optional<LaunchPlan> plan_;
  LaunchContext context_;
  LaunchStep step_;
  std::optional<ChildProcess> child_;
  std::string output_;
  std::string file_;
  size_t record_ = 0;  // the running step in the command log
};

}  // namespace tediag::collector
