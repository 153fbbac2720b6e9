// A progress line on standard error while large inputs are read: shown whenever standard error
// is a terminal, whatever standard output is (a pipe, `> out.json`), and never with --quiet.
// Redrawn at most every quarter second; erased when it is destroyed, before the report is
// written. Costs nothing per record: it is called once per chunk (about 4 MiB).
#pragma once

#include <chrono>
#include <cstdint>

namespace tediag::cli {

class ProgressLine {
 public:
  // Below this many bytes (read, or in total) nothing is shown: small inputs take no time.
  static constexpr uint64_t kMinBytes = uint64_t{256} << 20;

  // Whether a progress line should be drawn at all: standard error is a terminal.
  static bool Wanted();

  // `total` is 0 when unknown (a pipe); the size of a regular file is known, given on
  // standard input included.
  void Update(uint64_t read, uint64_t total);
  ~ProgressLine();

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
};

}  // namespace tediag::cli
