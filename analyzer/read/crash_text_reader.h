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
  // "Translated Report", or one of the fields the rules read quoted without the report's header
  // ("Exception Type:", "Exception Codes:", "Termination Reason:", "Termination Signal:",
  // "Application Specific Information:", "Dyld Error Message:"...).
  static bool StartsReport(std::string_view line);
  // True for the first line of a whole report as Apple writes it ("Process: name [pid]",
  // "Incident Identifier:", "Exception Type:", "Translated Report"), not a field quoted alone.
  static bool StartsWholeReport(std::string_view line);

  void Begin(uint64_t line);
  // Feeds the next line. Lines it does not understand (a log line pasted after the report, a
  // comment) are handed back as text, so that nothing pasted is lost.
  enum class Fed {
    kTaken,     // part of the report
    kNotMine,   // a second report starts (a key this one holds once comes again): end this one
                // and read the line afresh
    kAlsoText,  // kept in the report's span but not understood: read it as a text line too
  };
  // `line_no` is the line's number in the input: the report is located at its Exception Type line.
  Fed Feed(std::string_view line, uint64_t line_no);
  // True once the report's last section (Binary Images) has ended.
  bool complete() const { return section_ == Section::kDone; }
  // True when the report is known to be partial: its fields were quoted without its header (no
  // Process: line, no Incident Identifier), or lines were elided from it ("...", "[...]", "<…>",
  // which are skipped). The rules then see only the lines present (kTruncatedCrashReport).
  bool incomplete() const;
  CrashReport& report() { return report_; }

 private:
  enum class Section { kHeader, kAppSpecific, kTermination, kVmRegions, kThread, kBinaryImages, kOther, kDone };
  void HeaderLine(std::string_view key, std::string_view value, uint64_t line_no);
  void ThreadHeader(std::string_view line);
  // True when `key` is one a report holds once (Process, Incident Identifier, Exception Type,
  // Termination Reason) and this report has it already: the line starts another report.
  bool RepeatsOnceOnlyKey(std::string_view key) const;

  CrashReport report_;
  Section section_ = Section::kHeader;
  int64_t crashed_thread_ = -1;
  bool collecting_frames_ = false;
  bool frames_done_ = false;
  bool elided_ = false;
  bool termination_seen_ = false;
};

}  // namespace tediag
