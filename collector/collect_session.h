// One `tediag collect` session, start to end: resolve the app, snapshot its signing state,
// stream the unified log (and `log show --last`), optionally launch the app, gather its new
// crash reports, analyse the bundle and archive it. Every step is written to the bundle as it
// happens; a step that fails is noted in the manifest and the session goes on.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "match/matcher.h"
#include "tediag/report.h"
#include "tools.h"

namespace tediag::collector {

struct CollectOptions {
  std::string app;  // name, path or bundle ID
  std::chrono::milliseconds duration{std::chrono::seconds(60)};
  std::string last;  // as given to `log show --last` ("10m"); empty when not asked
  std::chrono::seconds last_window{0};
  bool launch = false;
  bool info = false;
  bool debug = false;
  std::string out;  // the bundle folder; empty: ./tediag-<app>-<time>
  ToolPaths tools;
  std::vector<std::string> app_dirs;    // /Applications, ~/Applications
  std::vector<std::string> crash_dirs;  // …/Logs/DiagnosticReports
  std::string tool_version;
  bool live_count = false;  // redraw a count of events on `progress` (a terminal)
  bool redact = false;      // the archive and the returned report are redacted (redacted_bundle.h)
};

// Why a session wrote no bundle. Each has its own exit status in `tediag collect`.
enum class CollectFailure : uint8_t {
  kNone,
  kAppNotFound,       // no app by that path, name or bundle ID
  kBundleNotCreated,  // the bundle folder could not be made
};

struct CollectOutcome {
  CollectFailure failure = CollectFailure::kNone;
  std::string error;  // what went wrong, when failure is not kNone
  std::string bundle_dir;
  std::string archive;  // empty when it could not be written (the folder is still complete)
  Report report;        // redacted with CollectOptions::redact, like the archive (the folder is not)
};

// The predicate `collect` would use for this app. When the app cannot be resolved, the
// query itself stands for its process name (and `note` says so).
std::string PredicateForApp(const Matcher& matcher, const CollectOptions& options, std::string& note);

// Runs a session, printing progress on `progress`. Fails (writing nothing, and saying why in
// `failure` and `error`) when the app cannot be resolved or the bundle folder cannot be created;
// every later problem is noted in the bundle's manifest and the session goes on.
CollectOutcome Collect(const Matcher& matcher, const CollectOptions& options, std::FILE* progress);

// True where `collect` can run: on macOS, or elsewhere when the tools are replaced (--tool,
// TEDIAG_TOOL_DIR), which is how the tests run it on Linux.
bool CanCollectHere(const ToolPaths& tools);

}  // namespace tediag::collector
