// What the matcher's literal prefilter knows about one rule pattern: strings one of which every
// match of the pattern contains. A value holding none of them cannot match, and the pattern's
// regex is not run on it. The analysis is RE2's own (FilteredRE2); the embedded rules' patterns
// are analysed at build time (rules/compile_rules.cc), other patterns when rules are compiled.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "re2/re2.h"

namespace tediag {

// The options every rule pattern is compiled with.
RE2::Options PatternOptions();

struct PatternPrefilter {
  // Lower case, each at least LiteralScanner::kMinLength bytes. Empty: the pattern needs no
  // literal (such as "." or "^\d+$") and is tried on every value of its field.
  std::vector<std::string> atoms;
};

// Analyses `pattern`. False, with RE2's message in `error`, when RE2 rejects the pattern. With
// `compiled`, the pattern's RE2 is handed over, so that it need not be compiled again.
bool AnalyzePattern(std::string_view pattern, PatternPrefilter& out, std::string& error,
                    std::unique_ptr<RE2>* compiled = nullptr);

}  // namespace tediag
