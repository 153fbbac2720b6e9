// Finds the crash reports an app left during the session: files in the DiagnosticReports
// folders (and their Retired/ subfolders) named after the app or its executable, modified at
// or after a given time. macOS names them `<process>-<date>.ips` (older: `<process>_<date>_<host>.crash`).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace tediag::collector {

struct CrashReportQuery {
  std::vector<std::string> dirs;   // e.g. ~/Library/Logs/DiagnosticReports; Retired/ is added
  std::vector<std::string> names;  // process names the file may start with (app, executable)
  std::chrono::system_clock::time_point since;
};

// Paths of the matching files, oldest first. Unreadable or missing folders are skipped.
std::vector<std::string> FindCrashReports(const CrashReportQuery& query);

}  // namespace tediag::collector
