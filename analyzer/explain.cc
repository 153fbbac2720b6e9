#include "explain.h"

#include <algorithm>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "input/chunk_source.h"
#include "input/input_files.h"
#include "match/pattern_prefilter.h"
#include "read/input_reader.h"
#include "read/line_parsers.h"
#include "unified_log_inputs.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// What became of one condition of a rule on a record.
enum class Outcome : uint8_t { kHeld, kLiteralOnly, kNoLiteral, kEmpty };

constexpr std::string_view kOutcomeMark[] = {"held", "literal present, pattern did not match",
                                             "no literal of the pattern in the value", "field empty"};

// A rule pattern as the explanation needs it: its regex and its prefilter literals.
struct Probe {
  std::unique_ptr<RE2> regex;
  PatternPrefilter prefilter;
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string Shown(std::string_view value, size_t max) {
  std::string out;
  for (char c : value.substr(0, max)) out.push_back(c == '\n' || c == '\t' ? ' ' : c);
  if (value.size() > max) StrAppend(out, "… (", value.size() - max, " more bytes)");
  return out;
}

struct ConditionResult {
  const Condition* condition;
  Outcome outcome;
};

struct Closeness {
  const Rule* rule = nullptr;
  int score = 0;     // 2 per condition held, 1 per literal without a match
  int evidence = 0;  // conditions whose literal is in the value (held or not): what makes it close
  size_t selection = 0;
  std::vector<ConditionResult> conditions;
  std::vector<const Condition*> vetoes;  // `unless` conditions that held
  bool wrong_kind = false;
};

class ExplainSink : public RecordSink {
 public:
  ExplainSink(const Matcher& matcher, const ExplainOptions& options, std::string& out)
      : matcher_(matcher), options_(options), out_(out) {}

  void Start(std::string_view path) { path_ = path; }
  size_t shown() const { return shown_; }
  size_t not_shown() const { return not_shown_; }

  void OnFormat(InputFormat format) override { format_ = format; }
  void OnError(uint64_t line, std::string_view message) override {
    if (shown_ < options_.max_records) StrAppend(out_, path_, ":", line, "  problem: ", message, "\n");
  }
  void OnRecord(const Record& record) override {
    if (shown_ >= options_.max_records) {
      ++not_shown_;
      return;
    }
    ++shown_;
    StrAppend(out_, path_, ":", record.line, "  ", RecordKindName(record.kind), " record, read as ",
              InputFormatName(format_), "\n");
    for (size_t f = 0; f < kFieldCount; ++f) {
      std::string_view value = record.fields[f];
      if (!value.empty())
        StrAppend(out_, "    ", FieldName(static_cast<Field>(f)), ": ", Shown(value, options_.max_value), "\n");
    }
    hits_.clear();
    matcher_.Match(record, scratch_, hits_);
    for (uint32_t hit : hits_) {
      const Rule& rule = matcher_.rules()[hit];
      StrAppend(out_, "  matched  ", rule.id);
      // A rule with `needs` stands only beside another finding of its input (finding_collector.h).
      if (!rule.needs.empty()) StrAppend(out_, "  (kept only beside ", Join(rule.needs, " or "), " from this input)");
      out_.push_back('\n');
    }
    std::vector<Closeness> close;
    for (uint32_t i = 0; i < matcher_.rules().size(); ++i) {
      if (std::find(hits_.begin(), hits_.end(), i) != hits_.end()) continue;
      Closeness c = Measure(matcher_.rules()[i], record);
      if (c.score > 0) close.push_back(std::move(c));
    }
    std::stable_sort(close.begin(), close.end(),
                     [](const Closeness& a, const Closeness& b) { return a.score > b.score; });
    if (hits_.empty() && close.empty()) StrAppend(out_, "  no rule matched or came close\n");
    for (size_t i = 0; i < close.size() && i < options_.max_close; ++i) Describe(close[i]);
    if (close.size() > options_.max_close)
      StrAppend(out_, "  … and ", close.size() - options_.max_close, " more rules came close\n");
  }

 private:
  Probe& ProbeFor(const std::string& pattern) {
    auto [it, added] = probes_.try_emplace(pattern);
    if (added) {
      // A pattern RE2 rejects never reaches a compiled Matcher; should one, it is left untried.
      if (absl::StatusOr<PatternAnalysis> analysis = AnalyzePattern(pattern); analysis.ok()) {
        it->second.regex = std::move(analysis->regex);
        it->second.prefilter = std::move(analysis->prefilter);
      }
    }
    return it->second;
  }

  bool NeedsLiteral(const Condition& condition) {
    for (const std::string& pattern : condition.patterns) {
      if (!ProbeFor(pattern).prefilter.atoms.empty()) return true;
    }
    return false;
  }

  Outcome Try(const Condition& condition, const Record& record) {
    std::string_view value = record.Get(condition.field);
    if (value.empty()) return Outcome::kEmpty;
    Outcome best = Outcome::kNoLiteral;
    std::string lower;
    for (const std::string& pattern : condition.patterns) {
      Probe& probe = ProbeFor(pattern);
      if (!probe.regex) continue;
      if (RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *probe.regex)) return Outcome::kHeld;
      if (lower.empty()) lower = Lower(value);
      for (const std::string& atom : probe.prefilter.atoms) {
        if (lower.find(atom) != std::string::npos) best = Outcome::kLiteralOnly;
      }
    }
    return best;
  }

  Closeness Measure(const Rule& rule, const Record& record) {
    Closeness best;
    best.rule = &rule;
    best.wrong_kind = record.kind == RecordKind::kCrashReport ? !rule.applies_to_crash : !rule.applies_to_log;
    for (size_t s = 0; s < rule.when.size(); ++s) {
      Closeness c;
      c.rule = &rule;
      c.selection = s;
      c.wrong_kind = best.wrong_kind;
      for (const Condition& condition : rule.when[s]) {
        Outcome outcome = Try(condition, record);
        c.conditions.push_back({&condition, outcome});
        c.score += outcome == Outcome::kHeld ? 2 : outcome == Outcome::kLiteralOnly ? 1 : 0;
        // A pattern that needs no literal (".", "^error$") holds or fails on anything: no sign of closeness.
        c.evidence += outcome == Outcome::kLiteralOnly || (outcome == Outcome::kHeld && NeedsLiteral(condition));
      }
      if (c.evidence > 0 && c.score > best.score) best = std::move(c);
    }
    if (best.score > 0) {
      for (const Condition& condition : rule.unless) {
        if (Try(condition, record) == Outcome::kHeld) best.vetoes.push_back(&condition);
      }
    }
    return best;
  }

  void Describe(const Closeness& c) {
    StrAppend(out_, "  came close  ", c.rule->id, " (", c.rule->origin, ")");
    if (c.rule->when.size() > 1) StrAppend(out_, ", alternative ", c.selection + 1, " of ", c.rule->when.size());
    out_.push_back('\n');
    for (const ConditionResult& result : c.conditions) {
      StrAppend(out_, "      ", result.outcome == Outcome::kHeld ? "+ " : "- ", FieldName(result.condition->field),
                ": ", Join(result.condition->patterns, " | "), "  (", kOutcomeMark[static_cast<size_t>(result.outcome)],
                ")\n");
    }
    for (const Condition* veto : c.vetoes) {
      StrAppend(out_, "      vetoed by unless ", FieldName(veto->field), ": ", Join(veto->patterns, " | "), "\n");
    }
    if (c.wrong_kind) {
      StrAppend(out_, "      the rule applies to ", c.rule->applies_to_log ? "log" : "crash", " records only\n");
    }
  }

  const Matcher& matcher_;
  const ExplainOptions& options_;
  std::string& out_;
  std::string path_;
  InputFormat format_ = InputFormat::kUnknown;
  Matcher::Scratch scratch_;
  std::vector<uint32_t> hits_;
  absl::flat_hash_map<std::string, Probe> probes_;
  size_t shown_ = 0, not_shown_ = 0;
};

}  // namespace

std::string ExplainInputs(const Matcher& matcher, const std::vector<std::string>& inputs,
                          const ExplainOptions& options) {
  std::string out;
  ExplainSink sink(matcher, options, out);
  InputReader reader;
  UnifiedLogInputs unified;
  std::vector<InputFile> files = ExpandUnifiedLogs(ExpandInputs(inputs), unified);
  for (size_t i = 0; i < files.size(); ++i) {
    const InputFile& file = files[i];
    sink.Start(file.path);
    if (const UnifiedLogInputs::Of& of = unified.of[i]; of.reader != SIZE_MAX) {
      // A tracev3 file: its entries, as the unified log stage makes them into records.
      if (sink.not_shown() == 0) unified.readers[of.reader]->ReadFile(of.file, sink);
      continue;
    }
    absl::StatusOr<std::unique_ptr<ChunkSource>> source = ChunkSource::Open(file, IsWholeEntryLine);
    if (!source.ok()) {
      StrAppend(out, file.path, "  not read: ", source.status().message(), "\n");
      continue;
    }
    Chunk chunk;
    while (sink.not_shown() == 0) {
      absl::StatusOr<bool> more = (*source)->Next(chunk);
      if (!more.ok()) StrAppend(out, file.path, "  read stopped: ", more.status().message(), "\n");
      if (!more.ok() || !*more) break;
      for (const auto& [line, message] : chunk.errors)
        StrAppend(out, file.path, ":", line, "  problem: ", message, "\n");
      reader.Read(chunk.data(), sink, chunk.buffer.size() - chunk.size, chunk.first_line);
    }
  }
  StrAppend(out, sink.shown(), " record", sink.shown() == 1 ? "" : "s", " described");
  if (sink.not_shown() > 0) {
    StrAppend(out, "; the rest of the input is not (--explain describes the first ", options.max_records, ")");
  }
  out += ".\n";
  return out;
}

}  // namespace tediag
