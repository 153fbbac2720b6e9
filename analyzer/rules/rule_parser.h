// One rule of a rule file, parsed from its YAML node with every problem it has (private to
// analyzer/rules: rule_loader.h is the stage's interface). yaml-cpp's types appear here only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tediag/rule.h"
#include "yaml-cpp/yaml.h"

namespace tediag {

// A problem of one rule or class, at the line of the node it concerns.
struct RuleProblem {
  YAML::Mark mark;
  std::string message;
};

// Parses `node`, a rule of the file `origin`, noting every problem rather than stopping at the
// first, each at the line of the key, value or pattern it concerns: unknown keys and fields,
// missing keys, values of the wrong shape, a pattern RE2 rejects, a {placeholder} in the
// explanation or a fix that no capture, field or {app} fills. The rule is usable only when
// `problems` is empty. `refines_line` is the line of its `refines:` key (0 without one).
Rule ParseRuleNode(const YAML::Node& node, std::string_view origin, std::vector<RuleProblem>& problems,
                   uint64_t& refines_line);

}  // namespace tediag
