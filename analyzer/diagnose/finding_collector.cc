#include "diagnose/finding_collector.h"

#include <algorithm>

#include "diagnose/seen.h"
#include "match/watch_list.h"
#include "util/text_util.h"

namespace tediag {
namespace {

std::string_view CaptureValue(const Captures& captures, std::string_view name) {
  for (const auto& [key, value] : captures) {
    if (key == name) return value;
  }
  return {};
}

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

// Who a hit is about, and the names that identify it (compared with --app and between findings):
// what the rule captured (app, path, bundle_id) or the record names (a notary issue's path);
// for a crash report its own process; otherwise the process that logged the line.
struct Subject {
  std::string app;
  std::vector<std::string> keys;
  bool identified;  // false when only the logging process (or nothing) names it
};

Subject IdentifySubject(const Captures& captures, const Record& record) {
  std::vector<std::string> keys;
  std::string app(CaptureValue(captures, "app"));
  for (std::string_view path :
       {CaptureValue(captures, "path"), CaptureValue(captures, "bundle_path"), record.Get(Field::kPath)}) {
    if (path.empty()) continue;
    keys.emplace_back(path);
    if (app.empty()) app = AppFromPath(path);
  }
  if (std::string_view id = CaptureValue(captures, "bundle_id"); !id.empty()) {
    keys.emplace_back(id);
    if (app.empty()) app = std::string(id);
  }
  if (record.kind == RecordKind::kCrashReport) {
    for (Field f : {Field::kProcess, Field::kBundleId, Field::kProcessPath}) {
      if (!record.Get(f).empty()) keys.emplace_back(record.Get(f));
    }
  }
  bool identified = !app.empty() || record.kind == RecordKind::kCrashReport;
  if (app.empty()) app = std::string(record.Get(Field::kProcess));
  if (app.empty() && !record.Get(Field::kProcessPath).empty()) app = AppFromPath(record.Get(Field::kProcessPath));
  if (app.empty()) app = "(unknown app)";
  if (app.size() > 4 && app.ends_with(".app")) app.resize(app.size() - 4);
  keys.insert(keys.begin(), app);
  // The pid ties lines about one process together (an AMFI kill and Gatekeeper's line for it).
  std::string_view pid = CaptureValue(captures, "pid");
  if (pid.empty() && record.kind == RecordKind::kCrashReport) pid = record.Get(Field::kPid);
  if (!pid.empty()) keys.push_back(StrCat("pid:", pid));
  return {app, keys, identified};
}

}  // namespace

std::string AppFromPath(std::string_view path) {
  size_t end = path.find(".app/");
  if (end == std::string_view::npos && path.ends_with(".app")) end = path.size() - 4;
  if (end != std::string_view::npos) {
    // The innermost bundle: find the last ".app/" (a helper inside an app is its own app).
    size_t last = path.rfind(".app/");
    if (last != std::string_view::npos && last > end) end = last;
    size_t start = path.rfind('/', end);
    return std::string(path.substr(start == std::string_view::npos ? 0 : start + 1,
                                   end - (start == std::string_view::npos ? 0 : start + 1)));
  }
  std::string_view trimmed = (path.ends_with("/") ? path.substr(0, path.size() - 1) : path);
  size_t slash = trimmed.rfind('/');
  return std::string(slash == std::string_view::npos ? trimmed : trimmed.substr(slash + 1));
}

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

// After a part was left out: no double spaces, no space before a stop or a comma.
std::string Tidy(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    if ((c == '.' || c == ',' || c == ';' || c == ')') && out.ends_with(' ')) out.pop_back();
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

    auto [app, keys, identified] = IdentifySubject(captures, record);
    auto [it, inserted] = index_.try_emplace({rule_index, app}, findings_.size());
    if (inserted) {
      Finding finding;
      finding.rule = &rule;
      finding.app = Printable(app);
      finding.app_identified = identified;
      findings_.push_back(std::move(finding));
      values_.emplace_back();
    }
    Finding& finding = findings_[it->second];
    // The explanation is filled, at the end, from the first value of each name over all records.
    Values& values = values_[it->second];
    for (const std::string& name : TemplateNames(rule_index)) {
      std::string_view captured = CaptureValue(captures, name);
      if (!captured.empty() && CaptureValue(values.captures, name).empty())
        values.captures.emplace_back(name, captured);
      if (auto field = FieldFromName(name)) {
        std::string& kept = values.fields[static_cast<size_t>(*field)];
        if (kept.empty()) kept = std::string(record.Get(*field));
      }
    }
    for (std::string& key : keys) {
      if (std::find(finding.app_keys.begin(), finding.app_keys.end(), key) == finding.app_keys.end()) {
        finding.app_keys.push_back(std::move(key));
      }
    }
    if (!finding.about_focus) {
      for (const std::string& key : finding.app_keys) finding.about_focus |= ContainsFocus(key, focus_);
      finding.about_focus |= ContainsFocus(record.text, focus_);
    }
    ++finding.hits;
    std::vector<EvidenceLine> lines;
    if (crash) lines = MatchedLines(record, spans, explained);
    if (finding.evidence.size() >= kMaxEvidence) continue;
    Evidence e{std::string(input),
               record.line,
               record.line,
               Printable(record.Get(Field::kTimestamp)),
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
  }
  if (!crash) return;

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

std::vector<Finding> FindingCollector::TakeFindings() {
  for (size_t i = 0; i < findings_.size(); ++i) {
    Finding& finding = findings_[i];
    Record fields;
    for (size_t f = 0; f < kFieldCount; ++f) fields.fields[f] = values_[i].fields[f];
    finding.explanation = Printable(FillTemplate(finding.rule->explanation, values_[i].captures, fields,
                                                 finding.app_identified ? finding.app : ""));
  }
  values_.clear();
  return std::move(findings_);
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
