#include "matcher.h"
#include "text_util.h"

#include <algorithm>


namespace tediag {
namespace {

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

}  // namespace

std::unique_ptr<Matcher> Matcher::Compile(std::vector<Rule> rules, std::vector<RuleError>& errors) {
  auto matcher = std::unique_ptr<Matcher>(new Matcher());
  // First check every pattern on its own, so a bad one names its rule; keep the good rules.
  std::vector<Rule> good;
  for (Rule& rule : rules) {
    bool ok = true;
    auto check = [&](const Condition& condition) {
      for (const std::string& pattern : condition.patterns) {
        RE2 regex(pattern, PatternOptions());
        if (!regex.ok()) {
          errors.push_back({rule.origin, StrCat("rule ", rule.id, ": bad pattern for ",
                                                      FieldName(condition.field), " '", pattern, "': ",
                                                      regex.error())});
          ok = false;
        }
      }
    };
    for (const auto& selection : rule.when) {
      if (selection.size() > 64) {
        errors.push_back({rule.origin, StrCat("rule ", rule.id, ": more than 64 conditions in one selection")});
        ok = false;
      }
      for (const Condition& condition : selection) check(condition);
    }
    for (const Condition& condition : rule.unless) check(condition);
    if (ok) good.push_back(std::move(rule));
  }
  matcher->rules_ = std::move(good);
  for (uint32_t i = 0; i < matcher->rules_.size(); ++i) matcher->AddRule(i, errors);
  for (KindMatcher* kind : {&matcher->log_, &matcher->crash_}) {
    for (FieldSet& field_set : kind->fields) {
      if (!field_set.set->Compile()) {
        errors.push_back({"rules", StrCat("the patterns for field ", FieldName(field_set.field),
                                                " are too large to compile together")});
        field_set.targets.clear();
      }
    }
  }
  return matcher;
}

bool Matcher::AddRule(uint32_t index, std::vector<RuleError>& errors) {
  const Rule& rule = rules_[index];
  auto add = [&](KindMatcher& kind, const Condition& condition, Target target) {
    auto it = std::find_if(kind.fields.begin(), kind.fields.end(),
                           [&](const FieldSet& f) { return f.field == condition.field; });
    if (it == kind.fields.end()) {
      kind.fields.push_back({condition.field, std::make_unique<RE2::Set>(PatternOptions(), RE2::UNANCHORED), {}});
      it = kind.fields.end() - 1;
    }
    for (const std::string& pattern : condition.patterns) {
      std::string error;
      if (it->set->Add(pattern, &error) < 0) {
        errors.push_back({rule.origin, StrCat("rule ", rule.id, ": ", error)});
        continue;
      }
      it->targets.push_back(target);
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
      for (KindMatcher* kind : kinds) add(*kind, selection[c], {selection_index, static_cast<uint8_t>(c), false});
    }
    selections_.push_back({index, all_bits});
  }
  for (const Condition& condition : rule.unless) {
    for (KindMatcher* kind : kinds) add(*kind, condition, {index, 0, true});
  }
  for (const auto& selection : rule.when) {
    for (const Condition& condition : selection) {
      for (const std::string& pattern : condition.patterns) {
        auto regex = std::make_unique<RE2>(pattern, PatternOptions());
        if (regex->NumberOfCapturingGroups() > 0 && !regex->NamedCapturingGroups().empty()) {
          patterns_.push_back({index, condition.field, std::move(regex)});
        }
      }
    }
  }
  return true;
}

void Matcher::MatchKind(const KindMatcher& kind, const Record& record, Scratch& scratch) const {
  for (const FieldSet& field_set : kind.fields) {
    std::string_view value = record.Get(field_set.field);
    if (value.empty() || field_set.targets.empty()) continue;
    scratch.set_hits.clear();
    if (!field_set.set->Match(value, &scratch.set_hits)) continue;
    for (int hit : scratch.set_hits) {
      const Target& target = field_set.targets[static_cast<size_t>(hit)];
      if (target.veto) {
        if (!scratch.vetoed[target.index]) scratch.vetoes.push_back(target.index);
        scratch.vetoed[target.index] = 1;
      } else {
        uint64_t& bits = scratch.satisfied[target.index];
        if (bits == 0) scratch.touched.push_back(target.index);
        bits |= uint64_t{1} << target.bit;
      }
    }
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
  Captures out;
  for (const CompiledPattern& pattern : patterns_) {
    if (pattern.rule != rule) continue;
    std::string_view value = record.Get(pattern.field);
    int groups = pattern.regex->NumberOfCapturingGroups();
    std::vector<re2::StringPiece> match(static_cast<size_t>(groups) + 1);
    if (!pattern.regex->Match(value, 0, value.size(), RE2::UNANCHORED, match.data(), groups + 1)) continue;
    for (const auto& [name, group] : pattern.regex->NamedCapturingGroups()) {
      const re2::StringPiece& piece = match[static_cast<size_t>(group)];
      if (piece.empty()) continue;
      auto existing = std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == name; });
      if (existing == out.end()) out.emplace_back(name, std::string(piece.data(), piece.size()));
    }
  }
  return out;
}

}  // namespace tediag
