#include "progress_line.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fmt/core.h"

namespace tediag::cli {

bool ProgressLine::Wanted() { return isatty(STDERR_FILENO) != 0; }

ProgressLine::Seconds ProgressLine::DelayFromEnvironment() {
  constexpr Seconds kDefault{1.0};
  const char* value = std::getenv("TEDIAG_PROGRESS_DELAY");
  if (value == nullptr || value[0] == '\0') return kDefault;
  char* end = nullptr;
  double seconds = std::strtod(value, &end);
  return *end == '\0' && seconds >= 0 && seconds < 1e6 ? Seconds(seconds) : kDefault;
}

void ProgressLine::Update(uint64_t read, uint64_t total) {
  auto now = std::chrono::steady_clock::now();
  if (!shown_ && now - start_ < delay_) return;  // a quick run shows nothing
  if (shown_ && now - last_ < std::chrono::milliseconds(250) && read < total) return;
  last_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? static_cast<double>(read) / seconds : 0;
  std::string line = fmt::format("tediag: read {:.1f} MB", static_cast<double>(read) / 1e6);
  if (total > 0) {
    line += fmt::format(" of {:.1f} MB ({:.0f}%)", static_cast<double>(total) / 1e6,
                        100.0 * static_cast<double>(read) / static_cast<double>(total));
  }
  line += fmt::format(", {:.0f} MB/s", rate / 1e6);
  if (total > read && rate > 0) line += fmt::format(", about {:.0f} s left", static_cast<double>(total - read) / rate);
  fmt::print(stderr, "\r\033[K{}", line);
  std::fflush(stderr);
  shown_ = true;
}

ProgressLine::~ProgressLine() {
  if (shown_) fmt::print(stderr, "\r\033[K");
}

}  // namespace tediag::cli
