// Real macOS binaries for the inspect tests, fetched with `npm pack NAME@VERSION` into a cache
// ($TEDIAG_NPM_CACHE, default /tmp/tediag-npm-cache) the first time a test needs them. The
// signing state of each is documented in ../shared/docs/NOTES-LOGARCHIVE-AND-SIGNING.md §B.3.
// When the registry cannot be reached the tests that need a package skip, saying so. Also the
// one way the inspect tests run an inspection.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bundle_inspector.h"

namespace tediag::test {

// The unpacked package folder ("…/package"), or nullopt when it could not be fetched.
std::optional<std::filesystem::path> NpmPackage(const std::string& name_at_version);

// A fresh empty folder under the system's temp directory.
std::filesystem::path FreshDir(const std::string& tag);

// What `tediag inspect PATH` observes: InspectPath's facts and findings, in order.
inline std::vector<inspect::Observation> Inspect(const std::filesystem::path& path) {
  inspect::Observations out;
  inspect::InspectPath(path, out);
  return out.list();
}

}  // namespace tediag::test

#define TEDIAG_NEED_NPM(var, pkg)                                                        \
  auto var##_opt = ::tediag::test::NpmPackage(pkg);                                      \
  if (!var##_opt) GTEST_SKIP() << "npm registry not reachable: could not fetch " << pkg; \
  const std::filesystem::path var = *var##_opt
