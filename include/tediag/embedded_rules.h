// The rule database compiled into the binary. rules/*.yaml are loaded and checked at build time
// (rules/compile_rules.cc turns them into C++), so start-up parses no YAML, and the prefilter
// analysis of every pattern (analyzer/pattern_prefilter.h) is done then too.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "tediag/rule.h"

namespace tediag {

// The embedded classes and rules, in file name and then file order, checked (CheckRuleSet).
// Never fails: a broken rule fails the build.
RuleSet EmbeddedRuleSet();

// Every distinct pattern of the embedded rules with its prefilter literals, sorted by pattern
// text: what Matcher::Compile takes as `analysed`, so that start-up analyses no pattern.
std::span<const AnalysedPattern> EmbeddedPatternPrefilters();

}  // namespace tediag
