// Records: what readers produce and rules match. A record is a view: its strings point into
// the input buffer or into storage owned by the reader, valid only during the sink call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tediag/field.h"

namespace tediag {

enum class RecordKind : uint8_t { kLogEvent, kCrashReport };

std::string_view RecordKindName(RecordKind kind);  // "log" | "crash"

// Where a record's field values were written in its input, for evidence that cites the line a
// rule matched rather than the record's first line. For each field, one entry per '\n'-separated
// line of its value: the input line it was read from and, when the reader had it, that line as
// written (a text crash report's "Exception Type:  EXC_CRASH (...)"); `text` is empty when the
// reader knows only the number (an .ips key's line). A field with no entries, or fewer entries
// than its value has lines, is not located: evidence then cites the record's line. Built only by
// readers of multi-line records (crash reports); log lines have none and pay nothing for it.
struct SourceLine {
  uint64_t line = 0;
  std::string_view text;
};

struct FieldLines {
  std::array<std::vector<SourceLine>, kFieldCount> of{};

  // The source of line `index` (from 0) of field `f`'s value, or null when not located.
  const SourceLine* Find(Field f, size_t index) const {
    const std::vector<SourceLine>& lines = of[static_cast<size_t>(f)];
    return index < lines.size() ? &lines[index] : nullptr;
  }
};

struct Record {
  RecordKind kind = RecordKind::kLogEvent;
  uint64_t line = 0;          // 1-based line where the record starts in its input
  std::string_view text;      // what a person reads as evidence (the message, or a crash summary)
  std::string_view incident;  // crash: the report's UUID; a second copy of a report is dropped
  FieldValues fields{};
  // Where the fields were read, when the reader knows (crash reports); null otherwise. Same
  // lifetime as the views: valid only during the sink call.
  const FieldLines* field_lines = nullptr;

  std::string_view Get(Field f) const { return fields[static_cast<size_t>(f)]; }
  void Set(Field f, std::string_view v) { fields[static_cast<size_t>(f)] = v; }
};

// The format of an input, or of one segment of a mixed input.
enum class InputFormat : uint8_t {
  kUnknown,
  kNdjson,          // log show/stream --style ndjson
  kJson,            // log show --style json
  kDefault,         // log show/stream default style
  kCompact,         // --style compact
  kSyslog,          // --style syslog
  kText,            // loose pasted text
  kIps,             // JSON crash report
  kCrash,           // text crash report (.crash, Console's Translated Report)
  kNotaryLog,       // `xcrun notarytool log` JSON (and altool's LogFileURL JSON)
  kNotarytool,      // `xcrun notarytool history|info|submit` text
  kCodesign,        // `codesign -dvvv [--entitlements -]`, `codesign --verify`
  kSpctl,           // `spctl --assess`
  kXattr,           // `xattr -l`
  kStapler,         // `xcrun stapler validate`
  kSyspolicyCheck,  // `syspolicy_check distribution`
  kTracev3,         // a unified log tracev3 file, read in place (analyzer/unified_log)
  kCount            // not a format: the number of them (arrays indexed by format are this long)
};

inline constexpr size_t kInputFormatCount = static_cast<size_t>(InputFormat::kCount);

std::string_view InputFormatName(InputFormat format);

// Where readers deliver their results. Errors name a line and never stop the reader.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void OnRecord(const Record& record) = 0;
  virtual void OnError(uint64_t line, std::string_view message) = 0;
  // A segment of this format starts (an input may hold several, e.g. a log then a crash report).
  virtual void OnFormat(InputFormat format) = 0;
};

}  // namespace tediag
