// Reads a JSON crash report (.ips, macOS 12 and later): a one-line metadata header followed by
// the report body, compact or pretty-printed. Every key is optional. One reader per thread: it
// keeps its parser's buffers between calls.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "simdjson.h"
#include "tediag/crash_report.h"

namespace tediag {

// A top-level key of an .ips body and a field of the report it fills.
struct IpsKeyField {
  std::string_view key;
  Field field;
  bool verbatim;  // the key's string value is the field as written; else ReadBody builds the field
};

// Every key the reader reads, once per field it fills, in Apple's order. The reader takes the
// verbatim ones from this table; source_lines.cc uses it to find the line each field came from.
std::span<const IpsKeyField> IpsBodyKeys();

class IpsReader {
 public:
  // `header` may be empty (a body pasted on its own). Fails only when the JSON is malformed.
  absl::StatusOr<CrashReport> Read(std::string_view header, std::string_view body);

  // Reads a body that SalvageJsonObject (json_salvage.h) rebuilt from a cut or damaged one (a
  // paste cut at a site's size limit, elided lines): the same report Read gives for the whole
  // body, as far as the lines present allow. Without a header the body must show a crash (an
  // exception, a termination, application-specific information, or the process and its path);
  // nullopt when it does not, or when the header is not JSON.
  std::optional<CrashReport> ReadSalvaged(std::string_view header, std::string_view json);
  // True for a line that is one member of a pretty-printed body, quoted without the object around
  // it: `  "exception" : {...},` or another key the rules read (procPath, termination, asi,
  // codeSigning…). Cheap: looks at the line's first bytes only.
  static bool StartsBodyFragment(std::string_view line);

  // True when a JSON object's text looks like a crash report body rather than a log entry.
  static bool LooksLikeBody(std::string_view json);
  // True when a line is an .ips metadata header.
  static bool IsHeader(std::string_view line);

 private:
  absl::StatusOr<CrashReport> Read(std::string_view header, std::string_view body, bool salvaged);

  simdjson::dom::parser parser_;
};

}  // namespace tediag
