// A `log stream` / `log show --style ndjson` child's standard output, cut into lines as it
// arrives: each ndjson line is written to the bundle the moment it is complete, parsed, and
// counted (and counted as relevant when a rule matches it); other lines (a banner, an error)
// are counted and the first few kept for the manifest. After a failed write (a full disk, most
// likely) lines are counted, not written, so that what space is freed goes to the manifest and
// the reports. Not thread-safe; one per child.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bundle.h"
#include "match/matcher.h"
#include "read/json_event.h"

namespace tediag::collector {

class LogCapture {
 public:
  LogCapture(LineWriter writer, const Matcher& matcher) : writer_(std::move(writer)), matcher_(matcher) {}

  // Takes what the pipe `fd` holds; false at end of file.
  bool Drain(int fd);
  // At the end: a line the child did not finish (it died mid-line) is kept as it is. True when
  // there was one.
  bool FinishCutLine();

  uint64_t events() const { return events_; }
  uint64_t relevant() const { return relevant_; }
  const std::vector<std::string>& other_lines() const { return other_; }  // the first few
  uint64_t other_count() const { return other_count_; }
  uint64_t unwritten() const { return unwritten_; }                // lines lost to write_error()
  const std::string& write_error() const { return write_error_; }  // empty while writes succeed

 private:
  void Line(std::string_view line);

  LineWriter writer_;
  const Matcher& matcher_;
  JsonLogEventParser parser_;
  Matcher::Scratch scratch_;
  std::vector<uint32_t> hits_;
  std::string pending_;  // an unfinished line
  uint64_t events_ = 0;
  uint64_t relevant_ = 0;
  uint64_t other_count_ = 0;
  uint64_t unwritten_ = 0;
  std::vector<std::string> other_;
  std::string write_error_;
};

}  // namespace tediag::collector
