// Reads a text crash report line by line: the older .crash form (macOS 10.x and 11), Console's
// "Translated Report" of an .ips, and partial pastes that hold only some of its sections.
#pragma once

#include <cstdint>
#include <string_view>

#include "tediag/crash_report.h"

namespace tediag {

class CrashTextReader {
 public:
  // True for a line that opens a report: "Process: name [pid]", "Incident Identifier:",
  // "Translated Report", or an "Exception Type:" line pasted on its own.
  static bool StartsReport(std::string_view line);

  void Begin(uint64_t line);
  // Feeds the next line. Returns false when the line cannot belong to this report (a second
  // "Process:" header); the caller then ends the report and reads the line afresh.
  bool Feed(std::string_view line);
  // True once the report's last section (Binary Images) has ended.
  bool complete() const { return section_ == Section::kDone; }
  CrashReport& report() { return report_; }

 private:
  enum class Section { kHeader, kAppSpecific, kThread, kBinaryImages, kOther, kDone };
  void HeaderLine(std::string_view key, std::string_view value);
  void ThreadHeader(std::string_view line);

  CrashReport report_;
  Section section_ = Section::kHeader;
  int64_t crashed_thread_ = -1;
  bool collecting_frames_ = false;
  bool frames_done_ = false;
};

}  // namespace tediag
