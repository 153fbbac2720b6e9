// --version (version.h).
#include "version.h"

#include "CLI/CLI.hpp"
#include "build_info.h"
#include "fmt/core.h"
#include "rules_digest.h"
#include "tediag/embedded_rules.h"

namespace tediag::cli {

const char* VersionNumber() { return TEDIAG_BUILD_VERSION; }

std::string VersionText() {
  RuleSet rules = EmbeddedRuleSet();
  std::string commit = TEDIAG_BUILD_COMMIT;
  if (std::string_view(TEDIAG_BUILD_COMMIT_DATE) != "") commit += fmt::format(" ({})", TEDIAG_BUILD_COMMIT_DATE);
  return fmt::format(
      "tediag {}\n"
      "commit   {}\n"
      "rules    {} embedded rules from {} files, sha256 {}\n"
      "built    with {} on {}, {}",
      TEDIAG_BUILD_VERSION, commit, rules.rules.size(), TEDIAG_RULE_FILE_COUNT, TEDIAG_RULES_DIGEST,
      TEDIAG_BUILD_COMPILER, TEDIAG_BUILD_SYSTEM, TEDIAG_BUILD_TYPE);
}

void AddVersionFlag(CLI::App& app) {
  app.set_version_flag("-V,--version", [] { return VersionText(); });
}

}  // namespace tediag::cli
