// Starting the external tools the collector relies on (log, codesign, spctl, …): always by
// absolute path with an argument vector through posix_spawn, never through a shell, so no
// argument (an app's name, a path) can become a command. Each child gets its own process
// group, so stopping it also stops anything it started.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tediag::collector {

// How a child ended: its exit status, or 128 + the signal that killed it (as shells report it).
struct ExitStatus {
  int code = -1;
  int signal = 0;                // non-zero when killed by a signal
  std::string Describe() const;  // "exit status 3", "killed by signal 9"
};

// A running child. Its stdout (and stderr, merged or separate) are pipes read by the caller.
class ChildProcess {
 public:
  struct Options {
    bool merge_stderr = true;    // stderr into the stdout pipe, so the output keeps its order
    bool capture_stderr = true;  // when not merged: a pipe of its own (otherwise /dev/null)
  };

  // Starts argv[0] (an absolute path) with argv. stdin is /dev/null.
  static absl::StatusOr<ChildProcess> Start(const std::vector<std::string>& argv, const Options& options);
  static absl::StatusOr<ChildProcess> Start(const std::vector<std::string>& argv) { return Start(argv, Options{}); }

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // kills the group and reaps the child if the caller did not

  pid_t pid() const { return pid_; }
  int stdout_fd() const { return out_fd_; }
  int stderr_fd() const { return err_fd_; }  // -1 when merged or not captured
  void CloseStdout();
  void CloseStderr();

  // Sends `signal` to the child's whole process group.
  void SignalGroup(int signal);
  // The status once the child has ended, without waiting.
  std::optional<ExitStatus> Poll();
  // Waits up to `grace` for the child to end, then kills its group (SIGKILL) and waits.
  ExitStatus WaitOrKill(std::chrono::milliseconds grace);

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::optional<ExitStatus> status_;
};

// The result of a short command run to completion.
struct CommandResult {
  ExitStatus status;
  std::string output;  // stdout (with stderr merged in, unless asked otherwise)
  std::string errors;  // stderr when kept apart
  bool timed_out = false;
  bool cancelled = false;  // `cancelled` said stop before the command ended
};

// Runs a command to completion, reading its output; stops its process group after `timeout`,
// or as soon as `cancelled` (polled a few times a second) returns true.
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                         bool merge_stderr = true, const std::function<bool()>& cancelled = nullptr);

// Reads what is available on `fd` (non-blocking) into `out`; false at end of file or error.
bool ReadAvailable(int fd, std::string& out);

}  // namespace tediag::collector
