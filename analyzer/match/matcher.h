// The rule engine: decides which rules a record satisfies.
//
// Contract: a record costs one literal scan per field it has, whatever the number of rules.
// Each pattern comes with the literals one of which every match contains (PatternPrefilter);
// LiteralScanner finds, in one pass over a value, which of a field's literals occur, and only
// the patterns those literals gate are run. Most values hold none and cost no regex at all.
// Patterns are RE2 (linear time: a user's rule cannot make matching hang), each compiled the
// first time a value needs it, so start-up compiles almost nothing. A field where more than a
// few patterns need no literal is matched by one RE2::Set pass instead. Rules for log events
// and for crash reports are kept apart, so a record only meets the rules of its kind. Captures
// are extracted only for rules that matched.
//
// Thread safety: a Matcher is immutable after Compile(); Match() and ExtractCaptures() may run on
// any number of threads at once, each with its own Scratch (the regexes compiled on first use are
// compiled once, under a once_flag). Reports and findings borrow its rules (Finding::rule): the
// Matcher must outlive them.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "tediag/record.h"
#include "tediag/rule.h"

namespace tediag {

using Captures = std::vector<std::pair<std::string, std::string>>;

class Matcher {
  class Impl;

 public:
  ~Matcher();

  // Per-thread working memory for Match(); reuse it across records.
  class Scratch {
    friend class Matcher::Impl;
    std::vector<uint64_t> satisfied;   // per selection: a bit per condition that held
    std::vector<uint8_t> vetoed;       // per rule: an `unless` condition held
    std::vector<uint32_t> touched;     // selections with any bit set
    std::vector<uint32_t> vetoes;      // rules with the veto set
    std::vector<int> atoms;            // literals found in a value
    std::vector<uint32_t> candidates;  // entries those literals gate
    std::vector<int> set_hits;

   public:
    // After Match(): the log message holds a watch word (watch_list.h), found by the same
    // literal scan the rules' prefilter makes. May be set for a word that is not there (the scan
    // folds case loosely); MentionsWatchWord() tells for sure.
    bool watched = false;
  };

  // Compiles `rules`. A rule with a pattern RE2 rejects is reported and left out. Patterns found
  // in `analysed` (sorted by pattern text; the embedded rules' EmbeddedPatternPrefilters()) take
  // their prefilter literals from there; every other pattern is analysed here.
  static std::unique_ptr<Matcher> Compile(std::vector<Rule> rules, std::vector<RuleError>& errors,
                                          std::span<const AnalysedPattern> analysed = {});

  const std::vector<Rule>& rules() const;

  // Appends the indices (into rules()) of the rules `record` satisfies, each once, in rule order.
  void Match(const Record& record, Scratch& scratch, std::vector<uint32_t>& hits) const;

  // What one of a rule's conditions matched: where in the value of `field`.
  struct MatchSpan {
    Field field;
    size_t offset, size;
  };

  // The named groups the rule's patterns capture on this record, in pattern order; a name
  // keeps its first non-empty value. With `spans`, also where each condition of that selection
  // matched, in condition order (the evidence a rule shows). Runs the rule's regexes again: for
  // records that matched, not for every record.
  Captures ExtractCaptures(uint32_t rule, const Record& record, std::vector<MatchSpan>* spans = nullptr) const;

 private:
  Matcher();
  // The compiled rules: per field, the distinct patterns, their literal scanner and what each
  // pattern's match sets (matcher.cc). Kept out of this header so that its users see neither RE2
  // nor the scanner.
  std::unique_ptr<const Impl> impl_;
};

}  // namespace tediag
