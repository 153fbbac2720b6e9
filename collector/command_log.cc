#include "command_log.h"

#include <ctime>

#include "util/text_util.h"

namespace tediag::collector {

std::string UtcTime(std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string UtcNow() { return UtcTime(std::chrono::system_clock::now()); }

absl::StatusOr<CommandResult> CommandLog::Run(std::string purpose, const std::vector<std::string>& argv,
                                              std::chrono::milliseconds timeout, bool merge_stderr) {
  CommandRecord record{std::move(purpose), argv, UtcNow(), 0, -1, "", ""};
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<CommandResult> result = RunCommand(argv, timeout, merge_stderr, cancelled);
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.ok()) {
    record.exit_code = result->status.code;
    record.outcome = result->timed_out   ? "stopped after its time limit"
                     : result->cancelled ? StrCat("stopped because tediag was interrupted; ", result->status.Describe())
                                         : result->status.Describe();
  } else {
    record.outcome = std::string(result.status().message());
  }
  records_.push_back(std::move(record));
  Changed();
  return result;
}

size_t CommandLog::Add(CommandRecord record) {
  records_.push_back(std::move(record));
  Changed();
  return records_.size() - 1;
}

}  // namespace tediag::collector
