// npm package cache for the inspect tests (npm_fixtures.h).
#include "inspect/npm_fixtures.h"

#include <unistd.h>

#include <cstdlib>
#include <mutex>

namespace tediag::test {
namespace fs = std::filesystem;

std::optional<fs::path> NpmPackage(const std::string& name_at_version) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  const char* env = std::getenv("TEDIAG_NPM_CACHE");
  fs::path cache = env && *env ? fs::path(env) : fs::temp_directory_path() / "tediag-npm-cache";
  std::string slug;
  for (char c : name_at_version) slug += (c == '/' || c == '@') ? '_' : c;
  fs::path dir = cache / slug;
  std::error_code ec;
  if (fs::exists(dir / "package", ec)) return dir / "package";
  fs::create_directories(dir, ec);
  // The package name comes from the tests themselves, never from input.
  std::string cmd = "cd '" + dir.string() + "' && npm pack --silent '" + name_at_version +
                    "' >npm.log 2>&1 && tar -xzf *.tgz 2>>npm.log";
  if (std::system(cmd.c_str()) != 0 || !fs::exists(dir / "package", ec)) {
    fs::remove_all(dir, ec);
    return std::nullopt;
  }
  return dir / "package";
}

fs::path FreshDir(const std::string& tag) {
  fs::path dir = fs::temp_directory_path() / ("tediag-inspect-" + tag + "-" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return dir;
}

}  // namespace tediag::test
