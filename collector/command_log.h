// Every external command the collector runs, with its argv and how it ended: the manifest's
// "commands" list. Running through here is what makes a command show up there.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "process.h"

namespace tediag::collector {

struct CommandRecord {
  std::string purpose;  // "codesign-verify", "log stream", ...
  std::vector<std::string> argv;
  std::string started;  // ISO 8601, UTC
  double seconds = 0;
  int exit_code = -1;       // -1: did not run or has not ended
  std::string outcome;      // "exit status 1", "killed by signal 15", "cannot run …: No such file"
  std::string output_file;  // where its output is in the bundle, if saved
};

class CommandLog {
 public:
  // Runs argv to completion and records it.
  absl::StatusOr<CommandResult> Run(std::string purpose, const std::vector<std::string>& argv,
                                    std::chrono::milliseconds timeout, bool merge_stderr = true);
  // Adds a record (for long-running commands the caller manages); returns its index.
  size_t Add(CommandRecord record);
  CommandRecord& at(size_t index) { return records_.at(index); }
  const std::vector<CommandRecord>& records() const { return records_; }
  void Changed() const {
    if (on_change) on_change();
  }

  std::function<void()> on_change;  // called after every change (the bundle rewrites its manifest)
  std::function<bool()> cancelled;  // true: stop the command Run() is running (tediag was interrupted)

 private:
  std::vector<CommandRecord> records_;
};

// Now as "2024-05-01T10:11:12Z".
std::string UtcNow();
std::string UtcTime(std::chrono::system_clock::time_point time);

}  // namespace tediag::collector
