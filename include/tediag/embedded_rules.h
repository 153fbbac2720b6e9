// The rule database compiled into the binary. rules/*.yaml are loaded and checked at build time
// (rules/compile_rules.cc turns them into C++), so start-up parses no YAML, and the prefilter
// analysis of every pattern (analyzer/pattern_prefilter.h) is done then too.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "tediag/rule.h"

namespace tediag {

// The embedded rules, in file name and then file order. Never fails: a broken rule fails the build.
std::vector<Rule> EmbeddedRules();

// One distinct pattern of the embedded rules and the literals one of which every match of it
// contains (lower case; none when the pattern needs no literal).
struct EmbeddedPattern {
  std::string_view pattern;
  std::span<const std::string_view> atoms;
};

// Every distinct pattern of the embedded rules, sorted by pattern text.
std::span<const EmbeddedPattern> EmbeddedPatternPrefilters();

}  // namespace tediag
