#include "diagnose/finding_collector.h"

#include <algorithm>
#include <numeric>

#include "diagnose/seen.h"
#include "diagnose/timestamp.h"
#include "match/watch_list.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// Evidence keeps at most this much of a record's text; a line can be arbitrarily long.
constexpr size_t kMaxEvidenceText = 2000;

std::string EvidenceText(std::string_view text) {
  if (text.size() <= kMaxEvidenceText) return Printable(text);
  size_t cut = kMaxEvidenceText;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return StrCat(Printable(text.substr(0, cut)), " … (", text.size() - cut, " more bytes)");
}

bool ContainsFocus(std::string_view haystack, const std::string& focus) {
  return !focus.empty() && Contains(ToLower(haystack), focus);
}

bool AppMatches(const AppIdentity& app, const std::string& focus) {
  if (ContainsFocus(app.name, focus) || ContainsFocus(app.bundle_id, focus)) return true;
  for (const std::string& name : app.names) {
    if (ContainsFocus(name, focus)) return true;
  }
  for (const std::string& path : app.paths) {
    if (ContainsFocus(path, focus)) return true;
  }
  return false;
}

}  // namespace

namespace {

// Fills one placeholder-bearing part of a template; `missing` tells whether a placeholder had no
// value of its own.
std::string FillPart(std::string_view text, const Captures& captures, const Record& record, std::string_view app,
                     bool& missing) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    std::string_view inner = text.substr(open + 1, close - open - 1);
    size_t bar = inner.find('|');
    std::string_view name = inner.substr(0, bar);
    bool has_fallback = bar != std::string_view::npos;
    std::string_view fallback = has_fallback ? inner.substr(bar + 1) : std::string_view{};
    std::string_view value = CaptureValue(captures, name);
    if (value.empty() && name == "app") value = app;  // empty when the evidence does not name the app
    if (value.empty()) {
      if (auto field = FieldFromName(name)) value = record.Get(*field);
    }
    // A crash report's process is its app: a fragment without the Process line is named by the
    // app its other lines point to (app_identity.h).
    if (value.empty() && name == "process" && record.kind == RecordKind::kCrashReport) value = app;
    if (value.empty()) {
      missing = true;
      value = has_fallback ? fallback : std::string_view("(unknown)");
    }
    // An empty value leaves no gap: "(CODESIGNING 1 {indicator|})" → "(CODESIGNING 1)".
    char after = close + 1 < text.size() ? text[close + 1] : '\0';
    if (value.empty() && out.ends_with(' ') &&
        (after == ' ' || after == ')' || after == ',' || after == '.' || after == '\0')) {
      out.pop_back();
    }
    out.append(value);
    i = close + 1;
  }
  return out;
}

// After a part was left out: no double spaces, no space before a stop or a comma. A '.' or ',' that
// starts a word (a value such as ".openfang/bin/tool" or ".5") is not a stop and keeps its space.
std::string Tidy(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    char next = i + 1 < text.size() ? text[i + 1] : ' ';
    bool ends_word = next == ' ' || next == '\n' || next == ')' || next == '"';
    bool stop = c == ')' || ((c == '.' || c == ',' || c == ';') && ends_word);
    if (stop && out.ends_with(' ')) out.pop_back();
    out.push_back(c);
  }
  while (out.ends_with(' ')) out.pop_back();
  return out;
}

}  // namespace

std::string FillTemplate(std::string_view text, const Captures& captures, const Record& record, std::string_view app) {
  std::string out;
  bool dropped = false;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("[[", i);
    size_t close = open == std::string_view::npos ? open : text.find("]]", open + 2);
    if (close == std::string_view::npos) {
      bool missing = false;
      out.append(FillPart(text.substr(i), captures, record, app, missing));
      break;
    }
    bool missing = false;
    out.append(FillPart(text.substr(i, open - i), captures, record, app, missing));
    missing = false;
    std::string part = FillPart(text.substr(open + 2, close - open - 2), captures, record, app, missing);
    if (missing) {
      dropped = true;
    } else {
      out.append(part);
    }
    i = close + 2;
  }
  return dropped ? Tidy(out) : out;
}

std::vector<std::string> TemplateNames(std::string_view text) {
  std::vector<std::string> names;
  size_t i = 0;
  while (true) {
    size_t open = text.find('{', i);
    size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    std::string_view inner = text.substr(open + 1, close - open - 1);
    std::string name(inner.substr(0, inner.find('|')));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
    i = close + 1;
  }
  return names;
}

namespace {

// A line of a field's value: the index-th, '\n'-separated.
std::string_view NthLine(std::string_view value, size_t index) {
  size_t start = 0;
  for (size_t k = 0; k < index; ++k) {
    size_t nl = value.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  return value.substr(start, value.find('\n', start) - start);
}

// One line of a record's field, located (Record::field_lines) or at the record's line.
struct FieldLine {
  uint64_t line;
  std::string text;  // as written, or "field: value"
  std::string key;   // names the input line, to tell lines apart
};

FieldLine LocateLine(const Record& record, Field field, size_t index) {
  std::string_view sub = NthLine(record.Get(field), index);
  const SourceLine* source = record.field_lines ? record.field_lines->Find(field, index) : nullptr;
  uint64_t line = source ? source->line : record.line;
  if (source && !source->text.empty()) {
    return {line, EvidenceText(source->text), StrCat(line, "\t", source->text)};
  }
  return {line, EvidenceText(StrCat(FieldName(field), ": ", sub)), StrCat(line, "\t", FieldName(field), "\t", index)};
}

// The lines of a crash report that a rule's patterns matched, in input order, each once.
std::vector<EvidenceLine> MatchedLines(const Record& record, const std::vector<Matcher::MatchSpan>& spans,
                                       std::vector<std::string>& keys) {
  std::vector<std::pair<FieldLine, Field>> lines;
  for (const Matcher::MatchSpan& span : spans) {
    std::string_view value = record.Get(span.field);
    size_t first = static_cast<size_t>(
        std::count(value.begin(), value.begin() + static_cast<ptrdiff_t>(std::min(span.offset, value.size())), '\n'));
    size_t end = std::min(span.offset + span.size, value.size());
    size_t last = first + static_cast<size_t>(
                              std::count(value.begin() + static_cast<ptrdiff_t>(std::min(span.offset, value.size())),
                                         value.begin() + static_cast<ptrdiff_t>(end), '\n'));
    if (end > span.offset && value[end - 1] == '\n') --last;  // a match that ends with the line's break
    for (size_t k = first; k <= last && k < first + 10; ++k) {
      FieldLine located = LocateLine(record, span.field, k);
      bool known = std::any_of(lines.begin(), lines.end(), [&](const auto& l) { return l.first.key == located.key; });
      if (!known) lines.emplace_back(std::move(located), span.field);
    }
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return a.first.line < b.first.line; });
  std::vector<EvidenceLine> out;
  for (auto& [line, field] : lines) {
    keys.push_back(line.key);
    out.push_back({line.line, std::move(line.text), std::string(FieldName(field))});
  }
  return out;
}

// The fields of a crash report whose lines may mention the diagnosed machinery, and how many of
// each field's lines to look at.
constexpr std::pair<Field, size_t> kWatchedCrashFields[] = {
    {Field::kExceptionType, 1},
    {Field::kSignal, 1},
    {Field::kTerminationNamespace, 1},
    {Field::kTerminationIndicator, 1},
    {Field::kTerminationDetails, 20},
    {Field::kAppSpecific, 40},
    {Field::kVmRegion, 5},
    {Field::kFrames, 10},
};

}  // namespace

FindingCollector::FindingCollector(const Matcher& matcher, std::string_view focus_app)
    : matcher_(matcher), focus_(ToLower(focus_app)) {}

const std::vector<std::string>& FindingCollector::TemplateNames(uint32_t rule) {
  auto [it, added] = names_.try_emplace(rule);
  if (added) it->second = tediag::TemplateNames(matcher_.rules()[rule].explanation);
  return it->second;
}

void FindingCollector::AddMatched(std::string_view input, const Record& record, const std::vector<uint32_t>& hits) {
  const bool crash = record.kind == RecordKind::kCrashReport;
  std::vector<std::string> explained;  // keys of the crash report's lines some rule matched
  for (uint32_t rule_index : hits) {
    const Rule& rule = matcher_.rules()[rule_index];
    std::vector<Matcher::MatchSpan> spans;
    Captures captures = matcher_.ExtractCaptures(rule_index, record, &spans);

    AppNames names = NamesOfHit(input, captures, record);
    size_t handle = resolver_.Add(names);
    // Evidence that names no app stays with its input (a crash report: with itself).
    std::string scope =
        crash && names.Empty() && names.pid_key.empty() ? StrCat(input, ":", record.line) : std::string(input);
    auto [it, inserted] =
        index_.try_emplace(std::make_tuple(rule_index, handle, names.Empty() ? scope : std::string()), raw_.size());
    if (inserted) {
      Raw& raw = raw_.emplace_back();
      raw.handle = handle;
      raw.finding.rule = &rule;
      raw.finding.app_identified = names.identified || crash;
      raw.finding.scope = Printable(scope);
    }
    Raw& raw = raw_[it->second];
    if (std::find(raw.inputs.begin(), raw.inputs.end(), input) == raw.inputs.end()) raw.inputs.emplace_back(input);
    Finding& finding = raw.finding;
    // The explanation is filled, at the end, from the first value of each name over all records.
    Values& values = raw.values;
    for (const std::string& name : TemplateNames(rule_index)) {
      std::string_view captured = CaptureValue(captures, name);
      if (!captured.empty() && CaptureValue(values.captures, name).empty())
        values.captures.emplace_back(name, captured);
      if (auto field = FieldFromName(name)) {
        std::string& kept = values.fields[static_cast<size_t>(*field)];
        if (kept.empty()) kept = std::string(record.Get(*field));
      }
    }
    finding.about_focus |= ContainsFocus(record.text, focus_);
    ++finding.hits;
    std::vector<EvidenceLine> lines;
    if (crash) lines = MatchedLines(record, spans, explained);
    if (finding.evidence.size() >= kMaxEvidence) continue;
    Evidence e{std::string(input),
               record.line,
               record.line,
               Printable(record.Get(Field::kTimestamp)),
               NormalizeTimestamp(record.Get(Field::kTimestamp)),
               Printable(record.Get(Field::kProcess)),
               {},
               {},
               record.kind};
    if (lines.empty()) {
      // A log entry (or a crash report whose match could not be placed): its own text, at its line.
      e.text = EvidenceText(record.text);
      e.lines.push_back({record.line, e.text, spans.empty() ? "" : std::string(FieldName(spans.front().field))});
    } else {
      e.line = lines.front().line;
      std::vector<std::string_view> texts;
      for (const EvidenceLine& l : lines) texts.push_back(l.text);
      e.text = Join(texts, "\n");
      e.lines = std::move(lines);
    }
    finding.evidence.push_back(std::move(e));
    raw.seq.push_back(seq_++);
  }
  if (!crash) return;
  if (hits.empty()) resolver_.Add(NamesOfHit(input, {}, record));  // its app was seen, with no failure

  // What a negative result describes, and the report's lines no rule explained.
  ++crashes_total_;
  if (crashes_.size() < kMaxSeenCrashes) {
    SeenCrash seen = DescribeCrash(record);
    if (!hits.empty()) {  // read by the rules: the findings say what it is
      seen.kind = "matched";
      seen.reading = "Rules matched it; the findings say what it shows.";
      seen.next.clear();
    }
    seen.input = std::string(input);
    seen.line = record.line;
    crashes_.push_back(std::move(seen));
  }
  for (const auto& [field, most] : kWatchedCrashFields) {
    // A report a rule explained: its exception and termination are that failure; only its
    // free-text lines may say something else.
    if (!hits.empty() && field != Field::kAppSpecific && field != Field::kTerminationDetails) continue;
    std::string_view value = record.Get(field);
    size_t index = 0;
    for (std::string_view sub : Split(value, '\n')) {
      if (index >= most) break;
      if (MentionsWatchWord(sub)) {
        FieldLine located = LocateLine(record, field, index);
        if (std::find(explained.begin(), explained.end(), located.key) == explained.end()) {
          explained.push_back(located.key);  // once, though two fields share the line
          AddLine(input, located.line, record.Get(Field::kProcess), located.text, 1);
        }
      }
      ++index;
    }
  }
}

void FindingCollector::AddUnexplained(std::string_view input, uint64_t line, std::string_view process,
                                      std::string_view text, uint64_t count) {
  if (MentionsWatchWord(text)) AddLine(input, line, process, EvidenceText(text), count);
}

void FindingCollector::AddUnexplainedCount(uint64_t count) { unexplained_total_ += count; }

void FindingCollector::AddLine(std::string_view input, uint64_t line, std::string_view process, std::string_view text,
                               uint64_t count) {
  unexplained_total_ += count;
  std::string printable = Printable(text);
  auto it = unexplained_index_.find(printable);
  if (it != unexplained_index_.end()) {
    unexplained_[it->second].count += count;
    return;
  }
  if (unexplained_.size() >= kMaxUnexplained) return;
  unexplained_index_.emplace(printable, unexplained_.size());
  unexplained_.push_back({std::string(input), line, Printable(process), std::move(printable), count});
}

void FindingCollector::AddKnownApp(AppNames names) { resolver_.AddKnown(std::move(names)); }

void FindingCollector::DropUnmetNeeds() {
  auto names = [](const Raw& raw, const std::string& name) {
    return raw.finding.rule->id == name || raw.finding.rule->class_slug == name;
  };
  auto shares_input = [](const Raw& a, const Raw& b) {
    return std::any_of(a.inputs.begin(), a.inputs.end(), [&](const std::string& input) {
      return std::find(b.inputs.begin(), b.inputs.end(), input) != b.inputs.end();
    });
  };
  std::vector<bool> unmet(raw_.size(), false);
  for (size_t r = 0; r < raw_.size(); ++r) {
    const std::vector<std::string>& needs = raw_[r].finding.rule->needs;
    if (needs.empty()) continue;
    unmet[r] = std::none_of(raw_.begin(), raw_.end(), [&](const Raw& other) {
      return &other != &raw_[r] && shares_input(raw_[r], other) &&
             std::any_of(needs.begin(), needs.end(), [&](const std::string& name) { return names(other, name); });
    });
  }
  std::vector<Raw> kept;
  for (size_t r = 0; r < raw_.size(); ++r) {
    if (!unmet[r]) {
      kept.push_back(std::move(raw_[r]));
      continue;
    }
    for (const Evidence& e : raw_[r].finding.evidence) {
      for (const EvidenceLine& line : e.lines) AddLine(e.input, line.line, e.process, line.text, 1);
    }
  }
  raw_ = std::move(kept);
  index_.clear();  // its indices are into the old raw_; nothing is added after this
}

std::vector<Finding> FindingCollector::TakeFindings(std::vector<AppIdentity>& apps) {
  DropUnmetNeeds();
  std::vector<std::optional<size_t>> app_of = resolver_.Resolve(apps);
  std::vector<bool> focus(apps.size());
  for (size_t i = 0; i < apps.size(); ++i) focus[i] = AppMatches(apps[i], focus_);
  // Raw findings of one rule whose names turned out to be one app become one finding.
  std::vector<Finding> findings;
  std::vector<std::vector<uint64_t>> seqs;
  std::vector<size_t> first_raw;
  absl::flat_hash_map<std::pair<const Rule*, size_t>, size_t> merged;  // (rule, app) → findings
  for (size_t r = 0; r < raw_.size(); ++r) {
    Raw& raw = raw_[r];
    std::optional<size_t> app = app_of[raw.handle];
    raw.finding.app = app;
    if (app) {
      raw.finding.about_focus |= focus[*app];
      auto [it, added] = merged.try_emplace(std::make_pair(raw.finding.rule, *app), findings.size());
      if (!added) {
        Finding& into = findings[it->second];
        into.hits += raw.finding.hits;
        into.about_focus |= raw.finding.about_focus;
        into.app_identified |= raw.finding.app_identified;
        for (size_t k = 0; k < raw.finding.evidence.size(); ++k) {
          into.evidence.push_back(std::move(raw.finding.evidence[k]));
          seqs[it->second].push_back(raw.seq[k]);
        }
        Values& values = raw_[first_raw[it->second]].values;  // the first value of each name, over all
        for (auto& capture : raw.values.captures) {
          if (CaptureValue(values.captures, capture.first).empty()) values.captures.push_back(capture);
        }
        for (size_t f = 0; f < kFieldCount; ++f) {
          if (values.fields[f].empty()) values.fields[f] = raw.values.fields[f];
        }
        continue;
      }
    }
    findings.push_back(std::move(raw.finding));
    seqs.push_back(std::move(raw.seq));
    first_raw.push_back(r);
  }
  // A finding with no app that diagnosis will show with the one app finding of its rule in its
  // input (AttachUnattributed, diagnosis.cc) lends that finding the values its lines captured: a
  // reporter's `chmod +x Foo.app/…` line completes the dialog's explanation.
  for (size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].app) continue;
    std::optional<size_t> owner;
    bool ambiguous = false;
    for (size_t j = 0; j < findings.size(); ++j) {
      if (!findings[j].app || findings[j].rule != findings[i].rule) continue;
      bool shares = std::any_of(findings[j].evidence.begin(), findings[j].evidence.end(), [&](const Evidence& e) {
        return std::any_of(findings[i].evidence.begin(), findings[i].evidence.end(),
                           [&](const Evidence& x) { return x.input == e.input; });
      });
      if (!shares) continue;
      ambiguous |= owner.has_value();
      owner = j;
    }
    if (!owner || ambiguous) continue;
    Values& into = raw_[first_raw[*owner]].values;
    for (const auto& capture : raw_[first_raw[i]].values.captures) {
      if (CaptureValue(into.captures, capture.first).empty()) into.captures.push_back(capture);
    }
  }
  for (size_t i = 0; i < findings.size(); ++i) {
    Finding& finding = findings[i];
    // Evidence in the order it was read, the first kMaxEvidence.
    std::vector<size_t> order(finding.evidence.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return seqs[i][a] < seqs[i][b]; });
    std::vector<Evidence> evidence;
    for (size_t k : order) {
      if (evidence.size() < kMaxEvidence) evidence.push_back(std::move(finding.evidence[k]));
    }
    finding.evidence = std::move(evidence);
    const Values& values = raw_[first_raw[i]].values;
    Record fields;
    for (size_t f = 0; f < kFieldCount; ++f) fields.fields[f] = values.fields[f];
    if (!finding.evidence.empty()) fields.kind = finding.evidence.front().kind;
    std::string_view app = finding.app ? std::string_view(apps[*finding.app].name) : std::string_view();
    finding.explanation =
        Printable(FillTemplate(finding.rule->explanation, values.captures, fields, finding.app_identified ? app : ""));
  }
  for (AppIdentity& app : apps) {
    app.name = Printable(app.name);
    app.bundle_id = Printable(app.bundle_id);
    for (std::string& path : app.paths) path = Printable(path);
    for (std::string& name : app.names) name = Printable(name);
  }
  raw_.clear();
  return findings;
}

std::vector<UnexplainedLine> FindingCollector::TakeUnexplained(uint64_t& total) {
  total = unexplained_total_;
  return std::move(unexplained_);
}

std::vector<SeenCrash> FindingCollector::TakeSeenCrashes(uint64_t& total) {
  total = crashes_total_;
  return std::move(crashes_);
}

}  // namespace tediag
