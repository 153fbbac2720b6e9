// The rule engine: decides which rules a record satisfies.
//
// Contract: every pattern of every rule that tests one field is compiled into one RE2::Set, so
// a record costs one pass per field it has, whatever the number of rules. Patterns are RE2
// (linear time: a user's rule cannot make matching hang). Rules for log events and rules for
// crash reports are compiled apart, so a record only meets the rules of its kind. Before a
// set runs, a literal prefilter (RE2's FilteredRE2 analysis, searched with LiteralScanner)
// checks that the value holds a string some pattern needs; most values hold none and cost no
// regex at all. Captures are extracted only for rules that matched.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "literal_scanner.h"
#include "re2/filtered_re2.h"
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
    std::vector<uint64_t> satisfied;    // per selection: a bit per condition that held
    std::vector<uint8_t> vetoed;        // per rule: an `unless` condition held
    std::vector<uint32_t> touched;      // selections with any bit set
    std::vector<uint32_t> vetoes;       // rules with the veto set
    std::vector<int> set_hits;
    std::vector<int> atoms;             // prefilter literals found in a value
  };

  // Compiles `rules`. A rule with a pattern RE2 rejects is reported and left out.
  static std::unique_ptr<Matcher> Compile(std::vector<Rule> rules, std::vector<RuleError>& errors);

  const std::vector<Rule>& rules() const { return rules_; }

  // Appends the indices (into rules()) of the rules `record` satisfies, each once, in rule order.
  void Match(const Record& record, Scratch& scratch, std::vector<uint32_t>& hits) const;

  // The named groups the rule's patterns capture on this record, in pattern order; a name
  // keeps its first non-empty value.
  Captures ExtractCaptures(uint32_t rule, const Record& record) const;

 private:
  struct Target {
    uint32_t index;  // selection (condition) or rule (veto)
    uint8_t bit;     // condition's bit within its selection
    bool veto;
  };
  struct FieldSet {
    Field field;
    std::unique_ptr<RE2::Set> set;
    std::vector<Target> targets;     // by pattern index in `set`
    std::vector<const RE2*> single;  // the same patterns one by one, should the set fail
    // The prefilter. Patterns that need no literal (such as ".") are listed in `unfiltered`
    // and tried one by one when the value holds none of the literals.
    std::unique_ptr<re2::FilteredRE2> filter;
    std::unique_ptr<LiteralScanner> scanner;
    std::vector<int> unfiltered;
  };
  struct Selection {
    uint32_t rule;
    uint64_t all_bits;
  };
  struct KindMatcher {
    std::vector<FieldSet> fields;
  };
  struct CompiledPattern {
    Field field;
    std::unique_ptr<RE2> regex;
  };

  void AddRule(uint32_t index);
  static void BuildPrefilter(FieldSet& field_set);
  void MatchKind(const KindMatcher& kind, const Record& record, Scratch& scratch) const;
  void Hit(const Target& target, Scratch& scratch) const;

  std::vector<Rule> rules_;
  std::vector<Selection> selections_;
  KindMatcher log_;
  KindMatcher crash_;
  std::vector<CompiledPattern> patterns_;  // every `when` and `unless` pattern, in rule order
  std::vector<uint32_t> first_pattern_;    // by rule: index of its first entry in patterns_
};

}  // namespace tediag
