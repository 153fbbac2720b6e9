// A progress line on standard error while inputs are read: shown whenever standard error is a
// terminal, whatever standard output is (a pipe, `> out.json`), and never with --quiet. It
// appears only once reading has lasted longer than a delay (one second, or the seconds in
// TEDIAG_PROGRESS_DELAY, as git's GIT_PROGRESS_DELAY), so a quick run never flashes it; then it
// is redrawn at most every quarter second, and erased when it is destroyed, before the report
// is written. Costs nothing per record: it is called once per chunk (about 4 MiB). Not
// thread-safe: the merging thread alone calls it.
#pragma once

#include <chrono>
#include <cstdint>

namespace tediag::cli {

class ProgressLine {
 public:
  using Seconds = std::chrono::duration<double>;

  // Whether a progress line should be drawn at all: standard error is a terminal.
  static bool Wanted();
  // TEDIAG_PROGRESS_DELAY when it holds a number of seconds (0 or more), else one second.
  static Seconds DelayFromEnvironment();

  explicit ProgressLine(Seconds delay = DelayFromEnvironment()) : delay_(delay) {}
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine();

  // `total` is 0 when unknown (a pipe); the size of a regular file is known, given on
  // standard input included. The line reads "tediag: read 41.9 MB of 314.6 MB (13%), 210 MB/s,
  // about 1 s left", without "of …" when the total is unknown.
  void Update(uint64_t read, uint64_t total);

 private:
  Seconds delay_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
};

}  // namespace tediag::cli
