// Where in a JSON text a reader's values were written, so that evidence cites the line a rule
// matched: the line of each key of an .ips crash report body, and of each issue of a notary log.
//
// A light scan of the text (strings and escapes honoured, nothing validated, no parse): it runs
// once per crash report or notary log, never per log line, and costs one pass over the text.
// Text cut short is scanned as far as it goes. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tediag/crash_report.h"

namespace tediag {

// Fills report.lines() for the fields an .ips body holds, each at the line of the top-level key
// it was read from ("exception", "termination", "procPath", ...); the application-specific
// lines at the line of their own string where it is written without escapes. `body_line` is the
// input line where `body` starts. Fields the body does not hold, or holds after its "threads"
// key (where Apple writes none of them), are left unlocated.
void LocateIpsFields(std::string_view body, uint64_t body_line, CrashReport& report);

// The lines of a notary log (`xcrun notarytool log`) that starts at input line `line`: its
// "status" key and, for each element of its "issues" array in order, the line of that issue's
// "message" key (or of the element's start when it has none). Zero / fewer when not found.
struct NotaryLogLines {
  uint64_t status = 0;
  std::vector<uint64_t> issues;
};
NotaryLogLines LocateNotaryLogLines(std::string_view json, uint64_t line);

}  // namespace tediag
