// A crash report as tediag understands it, whichever form it came in (.ips JSON, text .crash,
// Console's Translated Report). Readers fill the fields; ToRecord() gives the rules' view.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "tediag/field.h"
#include "tediag/record.h"

namespace tediag {

// What a reader tells (through RecordSink::OnError, at the report's line) when the crash report it
// delivers was salvaged from a cut or damaged one, or pieced together from fields quoted without
// the report around them: the rules saw only part of it.
inline constexpr std::string_view kTruncatedCrashReport =
    "truncated crash report: the diagnosis rests on the lines present";

class CrashReport {
 public:
  std::string& operator[](Field f) { return fields_[static_cast<size_t>(f)]; }
  const std::string& operator[](Field f) const { return fields_[static_cast<size_t>(f)]; }

  // Appends one line to a multi-line field (frames, application-specific information). Inside a
  // Reading, the new line is located at the input line being read.
  void AppendLine(Field f, std::string_view text);

  // Locates fields while a reader builds the report line by line: every field that gains a value,
  // or changes length, while a Reading lives is recorded (lines()) as read from `line`, written
  // as `text`. Costs a look at each field's length when it begins and ends. `text` must stay
  // valid as long as the record view (ToRecord) is used.
  class Reading {
   public:
    Reading(CrashReport& report, uint64_t line, std::string_view text);
    ~Reading();
    Reading(const Reading&) = delete;
    Reading& operator=(const Reading&) = delete;

   private:
    CrashReport& report_;
    std::array<size_t, kFieldCount> sizes_;
  };
  // Where each field was read; readers that know it otherwise (an .ips key's line) fill it here.
  FieldLines& lines() { return lines_; }

  // Sets the termination fields from the text forms "Namespace CODESIGNING, Code 0x1",
  // "Namespace CODESIGNING, Code 2, Invalid Page", "CODESIGNING 4 Launch Constraint Violation",
  // "Code 5 Trace/BPT trap: 5", "DYLD, [0x1] Library missing", "RUNNINGBOARD | Code 0xdead10cc".
  // The code is stored in decimal.
  void SetTerminationText(std::string_view text);
  void SetTermination(std::string_view ns, uint64_t code, std::string_view indicator);
  void SetCodeSigningFlags(uint64_t flags);       // "0x22020201 (valid, kill, ...)"
  void SetValidationCategory(uint64_t category);  // "6 (developer-id)"

  bool empty() const;
  std::string incident;  // report UUID, used to drop a second copy of the same report
  uint64_t line = 0;     // where the report starts in its input

  // The record view; valid while this report lives and is not modified.
  Record ToRecord();

 private:
  std::array<std::string, kFieldCount> fields_;
  std::string summary_;
  FieldLines lines_;
  SourceLine reading_;     // the line a Reading is at; line 0 when none
  uint64_t appended_ = 0;  // fields AppendLine located during the current Reading
  static_assert(kFieldCount <= 64);
};

}  // namespace tediag
