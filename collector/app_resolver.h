// Finds the app the user means: a path, an app name looked up in the Applications folders,
// or a bundle ID looked up with Spotlight (`mdfind`). Reads its Info.plist through
// `plutil -convert json -o - …` (the plist is often binary) for the bundle ID and executable.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "command_log.h"
#include "tools.h"

namespace tediag::collector {

struct ResolvedApp {
  std::string query;               // what the user typed
  std::string bundle_path;         // /Applications/Foo.app; empty when the app is a bare executable
  std::string name;                // "Foo"
  std::string bundle_id;           // from Info.plist; may be empty
  std::string executable;          // full path of the main executable
  std::string version;             // CFBundleShortVersionString; may be empty
  std::string how;                 // "path", "name in /Applications", "bundle ID via mdfind"
  std::vector<std::string> notes;  // what could not be read (Info.plist, ...)
};

struct ResolveOptions {
  std::vector<std::string> app_dirs;  // searched in order for NAME.app (and their Utilities/)
};

// Fails with NotFound and a sentence saying where it looked.
absl::StatusOr<ResolvedApp> ResolveApp(const std::string& query, const ResolveOptions& options, const ToolPaths& tools,
                                       CommandLog& log);

}  // namespace tediag::collector
