#include "matcher.h"

#include <algorithm>

#include "text_util.h"

namespace tediag {
namespace {

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

bool HasNonAscii(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// RE2 lowercases the literals it extracts, including non-ASCII letters, whose upper and lower
// case LiteralScanner cannot equate. An atom is safe when each of its non-ASCII characters
// appears as written in a pattern (it was lower case, or has no case, already) and no pattern
// ignores case over non-ASCII text.
bool AtomsSafe(const std::vector<std::string>& atoms, const std::vector<std::string>& patterns) {
  for (const std::string& pattern : patterns) {
    if (HasNonAscii(pattern) && Contains(pattern, "(?i")) return false;
  }
  for (const std::string& atom : atoms) {
    for (size_t i = 0; i < atom.size();) {
      size_t length = std::max<size_t>(1, Utf8SequenceLength(atom, i));
      std::string_view character = std::string_view(atom).substr(i, length);
      i += length;
      if (static_cast<unsigned char>(character[0]) < 0x80) continue;
      if (std::none_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return Contains(p, character); })) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

std::unique_ptr<Matcher> Matcher::Compile(std::vector<Rule> rules, std::vector<RuleError>& errors) {
  auto matcher = std::unique_ptr<Matcher>(new Matcher());
  // Compile every pattern on its own first, so that a bad one names its rule; keep good rules.
  for (Rule& rule : rules) {
    std::vector<CompiledPattern> compiled;
    bool ok = true;
    auto compile = [&](const Condition& condition) {
      for (const std::string& pattern : condition.patterns) {
        auto regex = std::make_unique<RE2>(pattern, PatternOptions());
        if (!regex->ok()) {
          errors.push_back({rule.origin, StrCat("rule ", rule.id, ": bad pattern for ", FieldName(condition.field),
                                                " '", pattern, "': ", regex->error())});
          ok = false;
        }
        compiled.push_back({condition.field, std::move(regex)});
      }
    };
    for (const auto& selection : rule.when) {
      if (selection.size() > 64) {
        errors.push_back({rule.origin, StrCat("rule ", rule.id, ": more than 64 conditions in one selection")});
        ok = false;
      }
      for (const Condition& condition : selection) compile(condition);
    }
    for (const Condition& condition : rule.unless) compile(condition);
    if (!ok) continue;
    matcher->first_pattern_.push_back(static_cast<uint32_t>(matcher->patterns_.size()));
    for (CompiledPattern& pattern : compiled) matcher->patterns_.push_back(std::move(pattern));
    matcher->rules_.push_back(std::move(rule));
  }
  matcher->first_pattern_.push_back(static_cast<uint32_t>(matcher->patterns_.size()));
  for (uint32_t i = 0; i < matcher->rules_.size(); ++i) matcher->AddRule(i);
  for (KindMatcher* kind : {&matcher->log_, &matcher->crash_}) {
    for (FieldSet& field_set : kind->fields) {
      BuildPrefilter(field_set);
      if (!field_set.set->Compile()) {
        // Too large for one automaton: the patterns are then tried one by one.
        errors.push_back({"rules", StrCat("the patterns for field ", FieldName(field_set.field),
                                          " are too many to match in one pass; matching them one by one")});
        field_set.set.reset();
      }
    }
  }
  return matcher;
}

void Matcher::BuildPrefilter(FieldSet& field_set) {
  field_set.filter = std::make_unique<re2::FilteredRE2>(static_cast<int>(LiteralScanner::kMinLength));
  std::vector<std::string> patterns;
  for (const RE2* regex : field_set.single) {
    int id = 0;
    patterns.push_back(regex->pattern());
    if (field_set.filter->Add(regex->pattern(), PatternOptions(), &id) != RE2::NoError) {
      field_set.filter.reset();
      return;
    }
  }
  std::vector<std::string> atoms;
  field_set.filter->Compile(&atoms);
  field_set.filter->AllPotentials({}, &field_set.unfiltered);
  // With many patterns that need no literal, one pass of the set is cheaper than trying them.
  constexpr size_t kMaxUnfiltered = 4;
  if (atoms.empty() || field_set.unfiltered.size() > kMaxUnfiltered || !AtomsSafe(atoms, patterns)) {
    field_set.filter.reset();
    field_set.unfiltered.clear();
    return;
  }
  field_set.scanner = std::make_unique<LiteralScanner>(atoms);
}

void Matcher::AddRule(uint32_t index) {
  const Rule& rule = rules_[index];
  const CompiledPattern* next = &patterns_[first_pattern_[index]];  // patterns in the order compiled
  auto add = [&](KindMatcher& kind, const Condition& condition, Target target, const CompiledPattern* pattern) {
    auto it = std::find_if(kind.fields.begin(), kind.fields.end(),
                           [&](const FieldSet& f) { return f.field == condition.field; });
    if (it == kind.fields.end()) {
      kind.fields.push_back({condition.field, std::make_unique<RE2::Set>(PatternOptions(), RE2::UNANCHORED), {}, {}});
      it = kind.fields.end() - 1;
    }
    for (const std::string& pattern_text : condition.patterns) {
      // Each pattern compiled on its own already, so adding it to a set cannot fail.
      it->set->Add(pattern_text, nullptr);
      it->targets.push_back(target);
      it->single.push_back(pattern->regex.get());
      ++pattern;
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

void Matcher::Hit(const Target& target, Scratch& scratch) const {
  if (target.veto) {
    if (!scratch.vetoed[target.index]) scratch.vetoes.push_back(target.index);
    scratch.vetoed[target.index] = 1;
  } else {
    uint64_t& bits = scratch.satisfied[target.index];
    if (bits == 0) scratch.touched.push_back(target.index);
    bits |= uint64_t{1} << target.bit;
  }
}

void Matcher::MatchKind(const KindMatcher& kind, const Record& record, Scratch& scratch) const {
  for (const FieldSet& field_set : kind.fields) {
    std::string_view value = record.Get(field_set.field);
    if (value.empty()) continue;
    if (field_set.filter) {
      scratch.atoms.clear();
      field_set.scanner->Find(value, scratch.atoms);
      if (scratch.atoms.empty()) {
        for (int i : field_set.unfiltered) {
          if (RE2::PartialMatch(value, *field_set.single[static_cast<size_t>(i)])) {
            Hit(field_set.targets[static_cast<size_t>(i)], scratch);
          }
        }
        continue;
      }
    }
    scratch.set_hits.clear();
    RE2::Set::ErrorInfo error{};
    bool matched = field_set.set && field_set.set->Match(value, &scratch.set_hits, &error);
    if (!matched && (!field_set.set || error.kind != RE2::Set::kNoError)) {
      // No set, or the set's automaton ran out of memory on this text: one pattern at a time.
      for (size_t i = 0; i < field_set.single.size(); ++i) {
        if (RE2::PartialMatch(value, *field_set.single[i])) scratch.set_hits.push_back(static_cast<int>(i));
      }
    }
    for (int hit : scratch.set_hits) Hit(field_set.targets[static_cast<size_t>(hit)], scratch);
  }
}

void Matcher::Match(const Record& record, Scratch& scratch, std::vector<uint32_t>& hits) const {
  if (scratch.satisfied.size() != selections_.size()) scratch.satisfied.assign(selections_.size(), 0);
  if (scratch.vetoed.size() != rules_.size()) scratch.vetoed.assign(rules_.size(), 0);

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

Captures Matcher::ExtractCaptures(uint32_t rule, const Record& record) const {
  // Captures come from the first selection that holds completely, from each condition's first
  // matching pattern; a name keeps its first non-empty value.
  uint32_t p = first_pattern_[rule];
  for (const auto& selection : rules_[rule].when) {
    Captures candidate;
    bool holds = true;
    for (const Condition& condition : selection) {
      std::string_view value = record.Get(condition.field);
      bool matched = false;
      for (size_t k = 0; k < condition.patterns.size(); ++k, ++p) {
        const RE2& regex = *patterns_[p].regex;
        if (matched || !holds) continue;
        int groups = regex.NumberOfCapturingGroups();
        std::vector<re2::StringPiece> match(static_cast<size_t>(groups) + 1);
        if (!regex.Match(value, 0, value.size(), RE2::UNANCHORED, match.data(), groups + 1)) continue;
        matched = true;
        for (const auto& [name, group] : regex.NamedCapturingGroups()) {
          const re2::StringPiece& piece = match[static_cast<size_t>(group)];
          bool known = std::any_of(candidate.begin(), candidate.end(), [&key = name](const auto& kv) { return kv.first == key; });
          if (!piece.empty() && !known) candidate.emplace_back(name, std::string(piece.data(), piece.size()));
        }
      }
      holds = holds && matched;
    }
    if (holds) return candidate;
  }
  return {};
}

}  // namespace tediag
