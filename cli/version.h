// `tediag --version`: the version, the commit it was built from, the embedded rule database (how
// many rules, and the digest of rules/*.yaml), and the compiler and OS of the build. The build
// facts are configure-time values (cli/build_info.h.in, cmake/BuildInfo.cmake); the digest is
// recomputed whenever a rule file changes (cmake/RulesDigest.cmake).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tediag::cli {

// The version alone ("0.1.0"): what reports and JSON give as the tool's version.
const char* VersionNumber();

// The lines --version prints. Counts the embedded rules, which builds the embedded rule set
// (about a millisecond); call it once.
std::string VersionText();

// Adds --version to `app`, printing VersionText().
void AddVersionFlag(CLI::App& app);

}  // namespace tediag::cli
