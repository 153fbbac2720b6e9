// Loads rules from YAML text (files given with --rules, and rules/*.yaml at build time: see
// tediag/embedded_rules.h). Every problem of a rule is reported, each at the line of the key or
// pattern it concerns (a pattern is compiled with RE2 here, so a bad one is found at its own
// line; a {placeholder} that no capture, field or {app} fills is a problem too). A file holds a `rules:` list, a
// `classes:` list, or both. A broken rule or class is reported with its file and line and left out; the others load.
// Loading is per file; CheckRuleSet then checks what only the whole set can tell (duplicates, undeclared classes).
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

// Loads `path`: a rule file (whatever its name), or a folder as LoadRuleDirectory does. Returns
// how many files were loaded; a missing path is an error, a folder with no rule file is not
// (the caller may warn).
size_t LoadRulePath(std::string_view path, RuleSet& set, std::vector<RuleError>& errors);

// Reports and removes a rule whose id, or a class whose slug, repeats an earlier one's, and a
// rule whose class no file declares; reports a `refines:` entry that names no rule or class.
// A user's rule (RuleSource::kUser) with the id of an embedded one replaces it, in its place,
// and is listed in `replaced` when given. Run once, after every file is loaded.
void CheckRuleSet(RuleSet& set, std::vector<RuleError>& errors, std::vector<RuleError>* replaced = nullptr);

}  // namespace tediag
