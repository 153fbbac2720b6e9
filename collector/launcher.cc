#include "launcher.h"

#include <signal.h>

#include "util/text_util.h"

namespace tediag::collector {

Launcher::Launcher(std::optional<LaunchPlan> plan, LaunchContext context)
    : plan_(std::move(plan)), context_(std::move(context)), step_(plan_ ? LaunchStep::kWaiting : LaunchStep::kDone) {}

bool Launcher::Start(std::string purpose, std::vector<std::string> argv, std::string file) {
  output_.clear();
  file_ = std::move(file);
  record_ = context_.commands.Add({.purpose = std::move(purpose),
                                   .argv = argv,
                                   .started = UtcNow(),
                                   .seconds = 0,
                                   .exit_code = -1,
                                   .outcome = "running",
                                   .output_file = file_});
  absl::StatusOr<ChildProcess> child = ChildProcess::Start(argv);
  if (!child.ok()) {
    context_.commands.at(record_).outcome = std::string(child.status().message());
    context_.save();
    return false;
  }
  child_.emplace(std::move(*child));
  return true;
}

ExitStatus Launcher::Finish() {
  if (child_->stdout_fd() >= 0) ReadAvailable(child_->stdout_fd(), output_);
  ExitStatus status = child_->WaitOrKill(std::chrono::milliseconds(0));
  if (child_->stdout_fd() >= 0) ReadAvailable(child_->stdout_fd(), output_);
  child_.reset();
  if (absl::Status written = context_.bundle.WriteFile(file_, output_); !written.ok()) {
    context_.incomplete(std::string(written.message()));
  }
  context_.commands.at(record_).exit_code = status.code;
  context_.commands.at(record_).outcome = status.Describe();
  context_.save();
  return status;
}

void Launcher::RunExecutableInstead(std::string_view why) {
  context_.say(StrCat(why, "; running ", plan_->executable, " directly"));
  step_ = Start("launch (executable)", {plan_->executable}, "launch/executable.txt") ? LaunchStep::kDirectRunning
                                                                                     : LaunchStep::kDone;
}

void Launcher::Advance(std::chrono::steady_clock::time_point now) {
  if (step_ != LaunchStep::kWaiting || now < plan_->start_at) return;
  context_.say(StrCat("launching ", plan_->app_name, " with open"));
  if (Start("launch (open)", plan_->open_argv, "launch/open.txt")) {
    step_ = LaunchStep::kOpenRunning;
  } else {
    RunExecutableInstead("open could not run");
  }
}

void Launcher::ReadOutput() {
  if (child_ && child_->stdout_fd() >= 0 && !ReadAvailable(child_->stdout_fd(), output_)) child_->CloseStdout();
}

bool Launcher::CheckExited() {
  if (!child_ || !child_->Poll()) return false;
  ExitStatus status = Finish();
  if (step_ == LaunchStep::kOpenRunning && status.code != 0) {
    RunExecutableInstead(StrCat("open failed (", status.Describe(), ")"));
    return false;
  }
  context_.say(StrCat(plan_->app_name, " has exited; stopping shortly"));
  step_ = LaunchStep::kDone;
  return true;
}

void Launcher::Stop() {
  if (!child_) return;
  child_->SignalGroup(SIGTERM);
  Finish();
}

}  // namespace tediag::collector
