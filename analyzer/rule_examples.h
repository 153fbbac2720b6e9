// Runs rules' inline examples: each `match` text must make its rule fire on some record, each
// `no_match` text must not. Examples are read by the InputReader exactly as a file would be. A rule
// with `needs:` fires only when a rule it needs fires on the same example too.
#pragma once

#include <vector>

#include "match/matcher.h"

namespace tediag {

struct ExampleOutcome {
  const Rule* rule = nullptr;
  const RuleExample* example = nullptr;
  bool passed = false;
};

// Runs the examples of the rules `select` accepts (all rules when it is empty).
std::vector<ExampleOutcome> RunRuleExamples(const Matcher& matcher, const std::vector<const Rule*>& select = {});

// The ids of the rules any record of `text` satisfies, in order of appearance, repeats kept.
std::vector<std::string> MatchingRuleIds(const Matcher& matcher, std::string_view text);

}  // namespace tediag
