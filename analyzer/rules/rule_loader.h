// Loads rules from YAML text (files given with --rules, and rules/*.yaml at build time: see
// tediag/embedded_rules.h). A broken rule is reported with its file and line and left out; the
// others load.
#pragma once

#include <string_view>
#include <vector>

#include "tediag/rule.h"

namespace tediag {

// Parses one rule file's text. `origin` names it in errors ("rules/x.yaml").
void LoadRuleText(std::string_view text, std::string_view origin, std::vector<Rule>& rules,
                  std::vector<RuleError>& errors);

// Loads every *.yaml / *.yml file under `dir` (recursively, in name order).
void LoadRuleDirectory(std::string_view dir, std::vector<Rule>& rules, std::vector<RuleError>& errors);

// Reports (and removes) rules whose id repeats an earlier one's.
void RemoveDuplicateIds(std::vector<Rule>& rules, std::vector<RuleError>& errors);

}  // namespace tediag
