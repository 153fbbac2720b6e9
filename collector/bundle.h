// The bundle: a folder written while the session runs, so that whatever stops the session
// (the duration, Ctrl-C, a crash of `log` or of tediag) leaves something `tediag analyze` can
// read. Layout:
//   manifest.json       what was collected, from what, and what is missing (rewritten after every step)
//   events.ndjson       `log stream --style ndjson` output, a line at a time as it arrives
//   log-show-last.ndjson  `log show --last …` output (with --last)
//   signing/*.txt       codesign, spctl, xattr, syspolicy_check, stapler output
//   launch/*.txt        what --launch printed (open, and the executable run directly)
//   crash-reports/*     the app's crash reports written during the session
//   report.md, report.json  the analysis of all of the above
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "command_log.h"
#include "tediag/report.h"
#include "util/json_string.h"

namespace tediag::collector {

// The manifest's name in the bundle (the reports' names are in report/report_writers.h).
inline constexpr std::string_view kManifestFile = "manifest.json";

struct Manifest {
  std::string tool_version;
  std::string macos_version;         // from sw_vers; "unknown" when it could not be read
  std::string state = "collecting";  // collecting | complete | interrupted
  std::string app_query, app_name, app_path, bundle_id, executable, app_version, resolved_how;
  std::string started, ended;
  std::string stop_reason;  // duration | Ctrl-C | SIGTERM | app exited | log ended
  std::string predicate;
  uint64_t events = 0;
  uint64_t relevant_events = 0;
  std::vector<std::string> crash_reports;
  std::vector<std::string> incomplete;  // sentences: what is missing and why
  std::vector<std::string> notes;
};

// What `collect --redact` did to the archive it sends, recorded in that archive's manifest.
struct ManifestRedaction {
  Redaction replaced;                 // every file's replacements
  std::vector<std::string> left_out;  // "NAME (WHAT IT IS; why)": files not sent
};

// manifest.json's text (schema kBundleSchema), with a "redaction" object when `redaction` is given.
std::string ManifestJson(const Manifest& manifest, std::span<const CommandRecord> commands,
                         const ManifestRedaction* redaction = nullptr);

// Calls `fn(std::string&)` on every string value of the manifest and of the commands (what
// redaction must see); a field added to either must be added here.
template <typename Fn>
void ForEachManifestString(Manifest& m, std::vector<CommandRecord>& commands, Fn fn) {
  for (std::string* s :
       {&m.tool_version, &m.macos_version, &m.state, &m.app_query, &m.app_name, &m.app_path, &m.bundle_id,
        &m.executable, &m.app_version, &m.resolved_how, &m.started, &m.ended, &m.stop_reason, &m.predicate}) {
    fn(*s);
  }
  for (std::vector<std::string>* list : {&m.crash_reports, &m.incomplete, &m.notes}) {
    for (std::string& s : *list) fn(s);
  }
  for (CommandRecord& r : commands) {
    for (std::string* s : {&r.purpose, &r.started, &r.outcome, &r.output_file}) fn(*s);
    for (std::string& arg : r.argv) fn(arg);
  }
}

class Bundle {
 public:
  // Creates the folder (and its parents); refuses one that exists and is not empty.
  static absl::StatusOr<Bundle> Create(std::string dir);

  const std::string& dir() const { return dir_; }
  std::string PathOf(std::string_view relative) const;

  absl::Status WriteFile(std::string_view relative, std::string_view content) const;
  absl::Status CopyIn(const std::string& source, std::string_view relative) const;
  // Writes manifest.json through a temporary file and a rename, so it is never half written.
  absl::Status WriteManifest(const Manifest& manifest, const CommandLog& commands) const;

  // Disk space held back (a hidden file of kReserveBytes, written at Create) for when the disk
  // fills up: given back, it lets the manifest say what is missing and the reports be written.
  static constexpr size_t kReserveBytes = 1 << 20;
  // Deletes the reserve; false when there was none left to give.
  bool ReleaseReserve() const;

 private:
  explicit Bundle(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

// Appends lines to a file with one write() each: nothing is held in memory, so every line
// that arrived is on disk if the process dies.
class LineWriter {
 public:
  static absl::StatusOr<LineWriter> Open(const std::string& path);
  LineWriter(LineWriter&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  LineWriter& operator=(LineWriter&&) = delete;
  ~LineWriter();
  absl::Status Write(std::string_view line);  // adds the newline

 private:
  explicit LineWriter(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace tediag::collector
