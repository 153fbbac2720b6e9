// Which rules a command runs with: the embedded database, the paths in TEDIAG_RULES (a team's
// rules, ':'-separated, loaded every time), the --rules paths (files or folders), minus the
// --disable-rule ids. A user's rule with a built-in rule's id replaces it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "match/matcher.h"
#include "tediag/rule.h"

namespace tediag::cli {

struct RuleOptions {
  std::vector<std::string> paths;     // --rules, or `rules check|test PATH...`
  std::vector<std::string> disabled;  // --disable-rule
};

struct LoadedRules {
  std::unique_ptr<Matcher> matcher;
  std::vector<RuleError> errors;    // problems: each rule concerned is left out
  std::vector<RuleError> warnings;  // not problems: an empty folder, an unknown --disable-rule id
  std::vector<RuleError> replaced;  // user rules that took a built-in rule's place
};

// The paths of TEDIAG_RULES, in order (empty entries skipped).
std::vector<std::string> TeamRulePaths();

// Loads and compiles the rules. Never fails as a whole: problems are listed.
LoadedRules LoadRules(const RuleOptions& options);

// Prints a LoadedRules' errors, warnings and replacements to stderr as "tediag: warning: …".
void PrintRuleWarnings(const LoadedRules& loaded);

// The --rules and --disable-rule options of analyze, rules list|show and collect.
void AddRuleOptions(CLI::App& command, RuleOptions& options);

}  // namespace tediag::cli
