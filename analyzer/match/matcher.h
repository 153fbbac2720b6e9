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
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "match/literal_scanner.h"
#include "match/pattern_prefilter.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "tediag/record.h"
#include "tediag/rule.h"

namespace tediag {

using Captures = std::vector<std::pair<std::string, std::string>>;

class Matcher {
 public:
  // Per-thread working memory for Match(); reuse it across records.
  class Scratch {
    friend class Matcher;
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

  const std::vector<Rule>& rules() const { return rules_; }

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
  // A distinct pattern text, its regex compiled on first use (by whichever thread needs it).
  class Pattern {
   public:
    Pattern(std::string text, std::unique_ptr<RE2> compiled) : text_(std::move(text)), regex_(std::move(compiled)) {}
    const std::string& text() const { return text_; }
    const RE2& regex() const;

   private:
    std::string text_;
    mutable std::once_flag once_;
    mutable std::unique_ptr<RE2> regex_;
  };
  struct Target {
    uint32_t index;  // selection (condition) or rule (veto)
    uint8_t bit;     // condition's bit within its selection
    bool veto;
  };
  // One distinct pattern of a field and what its matching sets.
  struct Entry {
    uint32_t pattern;  // into patterns_
    std::vector<Target> targets;
  };
  struct FieldSet {
    Field field;
    std::vector<Entry> entries;
    std::unique_ptr<LiteralScanner> scanner;   // the entries' literals
    std::vector<std::vector<uint32_t>> gated;  // by literal: the entries it gates
    std::vector<uint32_t> unfiltered;          // entries tried on every value
    std::unique_ptr<RE2::Set> set;             // instead of the above: every entry in one pass
    std::vector<uint8_t> watch;                // by literal: a watch word (log messages only)
    bool watching = false;                     // some literal is a watch word
  };
  struct Selection {
    uint32_t rule;
    uint64_t all_bits;
  };
  struct KindMatcher {
    std::vector<FieldSet> fields;
  };

  void AddRule(uint32_t index);
  void BuildPrefilter(FieldSet& field_set, bool watch, std::vector<RuleError>& errors) const;
  void MatchKind(const KindMatcher& kind, const Record& record, Scratch& scratch) const;
  void TryEntry(const FieldSet& field_set, uint32_t entry, std::string_view value, Scratch& scratch) const;
  void Hit(const Target& target, Scratch& scratch) const;

  std::vector<Rule> rules_;
  std::vector<Selection> selections_;
  KindMatcher log_;
  KindMatcher crash_;
  std::deque<Pattern> patterns_;              // distinct pattern texts (deque: Pattern cannot move)
  std::vector<PatternPrefilter> prefilters_;  // by pattern
  std::vector<uint32_t> rule_patterns_;       // every `when` and `unless` pattern in rule order, into patterns_
  std::vector<uint32_t> first_pattern_;       // by rule: index of its first entry in rule_patterns_
};

}  // namespace tediag
