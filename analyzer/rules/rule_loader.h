// Loads rules from YAML text (files given with --rules, and rules/*.yaml at build time: see
// tediag/embedded_rules.h). A file holds a `rules:` list, a `classes:` list, or both. A broken
// rule or class is reported with its file and line and left out; the others load. Loading is per
// file; CheckRuleSet then checks what only the whole set can tell (duplicates, undeclared classes).
// yaml-cpp's exceptions never leave this unit.
#pragma once

#include <string_view>
#include <vector>

#include "tediag/rule.h"

namespace tediag {

// Parses one rule file's text into `set`. `origin` names it in errors ("rules/x.yaml").
void LoadRuleText(std::string_view text, std::string_view origin, RuleSet& set, std::vector<RuleError>& errors);

// Loads every *.yaml / *.yml file under `dir` (recursively, in name order).
void LoadRuleDirectory(std::string_view dir, RuleSet& set, std::vector<RuleError>& errors);

// Reports and removes a rule whose id, or a class whose slug, repeats an earlier one's, and a
// rule whose class no file declares. Run once, after every file is loaded.
void CheckRuleSet(RuleSet& set, std::vector<RuleError>& errors);

}  // namespace tediag
