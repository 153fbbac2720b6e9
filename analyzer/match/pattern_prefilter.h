// What the matcher's literal prefilter knows about one rule pattern: strings one of which every
// match of the pattern contains. A value holding none of them cannot match, and the pattern's
// regex is not run on it. The analysis is RE2's own (FilteredRE2); the embedded rules' patterns
// are analysed at build time (rules/compile_rules.cc), other patterns when rules are compiled.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "re2/re2.h"

namespace tediag {

// The options every rule pattern is compiled with.
RE2::Options PatternOptions();

struct PatternPrefilter {
  // Lower case, each at least LiteralScanner::kMinLength bytes. Empty: the pattern needs no
  // literal (such as "." or "^\d+$") and is tried on every value of its field.
  std::vector<std::string> atoms;
};

// A pattern analysed: its prefilter, and the RE2 the analysis compiled (so that the matcher need
// not compile it again).
struct PatternAnalysis {
  PatternPrefilter prefilter;
  std::unique_ptr<RE2> regex;
};

// Analyses `pattern`. InvalidArgument, with RE2's message, when RE2 rejects the pattern.
absl::StatusOr<PatternAnalysis> AnalyzePattern(std::string_view pattern);

}  // namespace tediag
