#include "match/matcher.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <span>

#include "absl/container/flat_hash_map.h"
#include "match/literal_scanner.h"
#include "match/pattern_prefilter.h"
#include "match/watch_list.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// A pattern analysed ahead of time (the embedded rules', at build time) needs no analysis here.
bool FindAnalysedPrefilter(std::span<const AnalysedPattern> known, std::string_view pattern, PatternPrefilter& out) {
  auto it = std::lower_bound(known.begin(), known.end(), pattern,
                             [](const AnalysedPattern& e, std::string_view p) { return e.pattern < p; });
  if (it == known.end() || it->pattern != pattern) return false;
  out.atoms.assign(it->atoms.begin(), it->atoms.end());
  return true;
}

}  // namespace

// Everything Compile() builds; immutable afterwards.
class Matcher::Impl {
 public:
  void Match(const Record& record, Scratch& scratch, std::vector<uint32_t>& hits) const;
  Captures ExtractCaptures(uint32_t rule, const Record& record, std::vector<MatchSpan>* spans) const;

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

const RE2& Matcher::Impl::Pattern::regex() const {
  std::call_once(once_, [this] {
    if (!regex_) regex_ = std::make_unique<RE2>(text_, PatternOptions());
  });
  return *regex_;
}

std::unique_ptr<Matcher> Matcher::Compile(std::vector<Rule> rules, std::vector<RuleError>& errors,
                                          std::span<const AnalysedPattern> analysed) {
  auto impl = std::make_unique<Impl>();
  Impl* matcher = impl.get();
  absl::flat_hash_map<std::string, uint32_t> known;  // pattern text -> index into patterns_
  // Analyse every pattern first, so that a bad one names its rule; keep the good rules.
  for (Rule& rule : rules) {
    std::vector<uint32_t> indices;
    bool ok = true;
    auto analyse = [&](const Condition& condition) {
      for (const std::string& text : condition.patterns) {
        auto it = known.find(text);
        if (it == known.end()) {
          PatternAnalysis analysis;
          if (!FindAnalysedPrefilter(analysed, text, analysis.prefilter)) {
            absl::StatusOr<PatternAnalysis> fresh = AnalyzePattern(text);
            if (!fresh.ok()) {
              errors.push_back({rule.origin, StrCat("rule ", rule.id, ": bad pattern for ", FieldName(condition.field),
                                                    " '", text, "': ", fresh.status().message())});
              ok = false;
              continue;
            }
            analysis = *std::move(fresh);
          }
          it = known.emplace(text, static_cast<uint32_t>(matcher->patterns_.size())).first;
          matcher->patterns_.emplace_back(text, std::move(analysis.regex));
          matcher->prefilters_.push_back(std::move(analysis.prefilter));
        }
        indices.push_back(it->second);
      }
    };
    for (const auto& selection : rule.when) {
      if (selection.size() > 64) {
        errors.push_back({rule.origin, StrCat("rule ", rule.id, ": more than 64 conditions in one selection")});
        ok = false;
      }
      for (const Condition& condition : selection) analyse(condition);
    }
    for (const Condition& condition : rule.unless) analyse(condition);
    if (!ok) continue;
    matcher->first_pattern_.push_back(static_cast<uint32_t>(matcher->rule_patterns_.size()));
    matcher->rule_patterns_.insert(matcher->rule_patterns_.end(), indices.begin(), indices.end());
    matcher->rules_.push_back(std::move(rule));
  }
  matcher->first_pattern_.push_back(static_cast<uint32_t>(matcher->rule_patterns_.size()));
  for (uint32_t i = 0; i < matcher->rules_.size(); ++i) matcher->AddRule(i);
  // Log messages are also scanned for the watch list, in the same pass as the rules' literals.
  Impl::KindMatcher& log = matcher->log_;
  if (std::none_of(log.fields.begin(), log.fields.end(),
                   [](const Impl::FieldSet& f) { return f.field == Field::kMessage; })) {
    log.fields.emplace_back().field = Field::kMessage;
  }
  for (Impl::KindMatcher* kind : {&matcher->log_, &matcher->crash_}) {
    for (Impl::FieldSet& field_set : kind->fields) {
      matcher->BuildPrefilter(field_set, kind == &matcher->log_ && field_set.field == Field::kMessage, errors);
    }
  }
  std::unique_ptr<Matcher> compiled(new Matcher());
  compiled->impl_ = std::move(impl);
  return compiled;
}

void Matcher::Impl::BuildPrefilter(FieldSet& field_set, bool watch, std::vector<RuleError>& errors) const {
  std::vector<std::string> literals;
  absl::flat_hash_map<std::string, uint32_t> literal_index;
  for (uint32_t e = 0; e < field_set.entries.size(); ++e) {
    const std::vector<std::string>& atoms = prefilters_[field_set.entries[e].pattern].atoms;
    if (atoms.empty()) field_set.unfiltered.push_back(e);
    for (const std::string& atom : atoms) {
      auto [it, added] = literal_index.try_emplace(atom, static_cast<uint32_t>(literals.size()));
      if (added) {
        literals.push_back(atom);
        field_set.gated.emplace_back();
      }
      field_set.gated[it->second].push_back(e);
    }
  }
  field_set.watch.assign(literals.size(), 0);
  if (watch) {
    for (std::string_view word : WatchWords()) {
      auto [it, added] = literal_index.try_emplace(ToLower(word), static_cast<uint32_t>(literals.size()));
      if (added) {
        literals.push_back(ToLower(word));
        field_set.gated.emplace_back();
        field_set.watch.push_back(0);
      }
      field_set.watch[it->second] = 1;
      field_set.watching = true;
    }
  }
  if (!literals.empty()) field_set.scanner = std::make_unique<LiteralScanner>(literals);
  // With many patterns that need no literal, one pass of a set is cheaper than trying them.
  constexpr size_t kMaxUnfiltered = 4;
  if (field_set.unfiltered.size() <= kMaxUnfiltered) return;
  field_set.set = std::make_unique<RE2::Set>(PatternOptions(), RE2::UNANCHORED);
  for (const Entry& entry : field_set.entries) field_set.set->Add(patterns_[entry.pattern].text(), nullptr);
  if (!field_set.set->Compile()) {
    // Too large for one automaton: the patterns are then tried as if there were no set.
    errors.push_back({"rules", StrCat("the patterns for field ", FieldName(field_set.field),
                                      " are too many to match in one pass; matching them one by one")});
    field_set.set.reset();
  }
}

void Matcher::Impl::AddRule(uint32_t index) {
  const Rule& rule = rules_[index];
  const uint32_t* next = &rule_patterns_[first_pattern_[index]];  // patterns in the order analysed
  auto add = [&](KindMatcher& kind, const Condition& condition, Target target, const uint32_t* pattern) {
    auto field = std::find_if(kind.fields.begin(), kind.fields.end(),
                              [&](const FieldSet& f) { return f.field == condition.field; });
    if (field == kind.fields.end()) {
      kind.fields.emplace_back().field = condition.field;
      field = kind.fields.end() - 1;
    }
    for (size_t k = 0; k < condition.patterns.size(); ++k, ++pattern) {
      auto entry = std::find_if(field->entries.begin(), field->entries.end(),
                                [&](const Entry& e) { return e.pattern == *pattern; });
      if (entry == field->entries.end()) {
        field->entries.push_back({*pattern, {}});
        entry = field->entries.end() - 1;
      }
      entry->targets.push_back(target);
    }
  };
  std::vector<KindMatcher*> kinds;
  if (rule.applies_to_log) kinds.push_back(&log_);
  if (rule.applies_to_crash) kinds.push_back(&crash_);

  for (const auto& selection : rule.when) {
    uint32_t selection_index = static_cast<uint32_t>(selections_.size());
    uint64_t all_bits = 0;
    for (size_t c = 0; c < selection.size(); ++c) {
      all_bits |= uint64_t{1} << c;
      for (KindMatcher* kind : kinds) add(*kind, selection[c], {selection_index, static_cast<uint8_t>(c), false}, next);
      next += selection[c].patterns.size();
    }
    selections_.push_back({index, all_bits});
  }
  for (const Condition& condition : rule.unless) {
    for (KindMatcher* kind : kinds) add(*kind, condition, {index, 0, true}, next);
    next += condition.patterns.size();
  }
}

void Matcher::Impl::Hit(const Target& target, Scratch& scratch) const {
  if (target.veto) {
    if (!scratch.vetoed[target.index]) scratch.vetoes.push_back(target.index);
    scratch.vetoed[target.index] = 1;
  } else {
    uint64_t& bits = scratch.satisfied[target.index];
    if (bits == 0) scratch.touched.push_back(target.index);
    bits |= uint64_t{1} << target.bit;
  }
}

void Matcher::Impl::TryEntry(const FieldSet& field_set, uint32_t entry, std::string_view value,
                             Scratch& scratch) const {
  const Entry& e = field_set.entries[entry];
  if (!RE2::PartialMatch(value, patterns_[e.pattern].regex())) return;
  for (const Target& target : e.targets) Hit(target, scratch);
}

void Matcher::Impl::MatchKind(const KindMatcher& kind, const Record& record, Scratch& scratch) const {
  for (const FieldSet& field_set : kind.fields) {
    std::string_view value = record.Get(field_set.field);
    if (value.empty()) continue;
    if (field_set.set) {
      scratch.set_hits.clear();
      RE2::Set::ErrorInfo error{};
      bool matched = field_set.set->Match(value, &scratch.set_hits, &error);
      if (matched || error.kind == RE2::Set::kNoError) {
        for (int hit : scratch.set_hits) {
          for (const Target& target : field_set.entries[static_cast<size_t>(hit)].targets) Hit(target, scratch);
        }
        if (field_set.watching && field_set.scanner) {  // the set made no literal scan: one for the watch list
          scratch.atoms.clear();
          field_set.scanner->Find(value, scratch.atoms);
          for (int atom : scratch.atoms) scratch.watched |= field_set.watch[static_cast<size_t>(atom)] != 0;
        }
        continue;
      }
      // The set's automaton ran out of memory on this text: the literals and one pattern at a time.
    }
    for (uint32_t entry : field_set.unfiltered) TryEntry(field_set, entry, value, scratch);
    if (!field_set.scanner) continue;
    scratch.atoms.clear();
    field_set.scanner->Find(value, scratch.atoms);
    if (scratch.atoms.empty()) continue;
    scratch.candidates.clear();
    for (int atom : scratch.atoms) {
      scratch.watched |= field_set.watch[static_cast<size_t>(atom)] != 0;
      const std::vector<uint32_t>& gated = field_set.gated[static_cast<size_t>(atom)];
      scratch.candidates.insert(scratch.candidates.end(), gated.begin(), gated.end());
    }
    if (scratch.atoms.size() > 1) {
      std::sort(scratch.candidates.begin(), scratch.candidates.end());
      scratch.candidates.erase(std::unique(scratch.candidates.begin(), scratch.candidates.end()),
                               scratch.candidates.end());
    }
    for (uint32_t entry : scratch.candidates) TryEntry(field_set, entry, value, scratch);
  }
}

void Matcher::Impl::Match(const Record& record, Scratch& scratch, std::vector<uint32_t>& hits) const {
  if (scratch.satisfied.size() != selections_.size()) scratch.satisfied.assign(selections_.size(), 0);
  if (scratch.vetoed.size() != rules_.size()) scratch.vetoed.assign(rules_.size(), 0);
  scratch.watched = false;

  MatchKind(record.kind == RecordKind::kLogEvent ? log_ : crash_, record, scratch);

  size_t first_hit = hits.size();
  for (uint32_t s : scratch.touched) {
    const Selection& selection = selections_[s];
    if (scratch.satisfied[s] == selection.all_bits && !scratch.vetoed[selection.rule]) {
      hits.push_back(selection.rule);
    }
    scratch.satisfied[s] = 0;
  }
  for (uint32_t r : scratch.vetoes) scratch.vetoed[r] = 0;
  scratch.touched.clear();
  scratch.vetoes.clear();
  std::sort(hits.begin() + static_cast<ptrdiff_t>(first_hit), hits.end());
  hits.erase(std::unique(hits.begin() + static_cast<ptrdiff_t>(first_hit), hits.end()), hits.end());
}

Captures Matcher::Impl::ExtractCaptures(uint32_t rule, const Record& record, std::vector<MatchSpan>* spans) const {
  // Captures come from the first selection that holds completely, from each condition's first
  // matching pattern; a name keeps its first non-empty value.
  uint32_t p = first_pattern_[rule];  // into rule_patterns_
  for (const auto& selection : rules_[rule].when) {
    Captures candidate;
    std::vector<MatchSpan> where;
    bool holds = true;
    for (const Condition& condition : selection) {
      std::string_view value = record.Get(condition.field);
      bool matched = false;
      for (size_t k = 0; k < condition.patterns.size(); ++k, ++p) {
        if (matched || !holds) continue;
        const RE2& regex = patterns_[rule_patterns_[p]].regex();
        int groups = regex.NumberOfCapturingGroups();
        std::vector<re2::StringPiece> match(static_cast<size_t>(groups) + 1);
        if (!regex.Match(value, 0, value.size(), RE2::UNANCHORED, match.data(), groups + 1)) continue;
        matched = true;
        size_t at = match[0].data() == nullptr ? 0 : static_cast<size_t>(match[0].data() - value.data());
        where.push_back({condition.field, at, match[0].size()});
        for (const auto& [name, group] : regex.NamedCapturingGroups()) {
          const re2::StringPiece& piece = match[static_cast<size_t>(group)];
          bool known = std::any_of(candidate.begin(), candidate.end(),
                                   [&key = name](const auto& kv) { return kv.first == key; });
          if (!piece.empty() && !known) candidate.emplace_back(name, std::string(piece.data(), piece.size()));
        }
      }
      holds = holds && matched;
    }
    if (holds) {
      if (spans) *spans = std::move(where);
      return candidate;
    }
  }
  if (spans) spans->clear();
  return {};
}

Matcher::Matcher() = default;
Matcher::~Matcher() = default;

const std::vector<Rule>& Matcher::rules() const { return impl_->rules_; }

void Matcher::Match(const Record& record, Scratch& scratch, std::vector<uint32_t>& hits) const {
  impl_->Match(record, scratch, hits);
}

Captures Matcher::ExtractCaptures(uint32_t rule, const Record& record, std::vector<MatchSpan>* spans) const {
  return impl_->ExtractCaptures(rule, record, spans);
}

}  // namespace tediag
