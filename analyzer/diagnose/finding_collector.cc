#include "diagnose/finding_collector.h"
#include "util/text_util.h"

#include <algorithm>


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
  for (std::string_view path : {CaptureValue(captures, "path"), CaptureValue(captures, "bundle_path"),
                                record.Get(Field::kPath)}) {
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

std::string FillTemplate(std::string_view text, const Captures& captures, const Record& record,
                         std::string_view app) {
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
    if (value.empty()) value = has_fallback ? fallback : std::string_view("(unknown)");
    // An empty value leaves no gap: "(CODESIGNING 1 {indicator|})" → "(CODESIGNING 1)".
    char after = close + 1 < text.size() ? text[close + 1] : '\0';
    if (value.empty() && out.ends_with(' ') && (after == ' ' || after == ')' || after == ',' || after == '.' || after == '\0')) {
      out.pop_back();
    }
    out.append(value);
    i = close + 1;
  }
  return out;
}

FindingCollector::FindingCollector(const Matcher& matcher, std::string_view focus_app)
    : matcher_(matcher), focus_(ToLower(focus_app)) {}

void FindingCollector::AddMatched(std::string_view input, const Record& record, const std::vector<uint32_t>& hits) {
  for (uint32_t rule_index : hits) {
    const Rule& rule = matcher_.rules()[rule_index];
    Captures captures = matcher_.ExtractCaptures(rule_index, record);

    auto [app, keys, identified] = IdentifySubject(captures, record);
    auto [it, inserted] = index_.try_emplace({rule_index, app}, findings_.size());
    if (inserted) {
      Finding finding;
      finding.rule = &rule;
      finding.app = Printable(app);
      finding.app_identified = identified;
      finding.explanation = Printable(FillTemplate(rule.explanation, captures, record, identified ? app : ""));
      findings_.push_back(std::move(finding));
    }
    Finding& finding = findings_[it->second];
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
    if (finding.evidence.size() < kMaxEvidence) {
      finding.evidence.push_back({std::string(input), record.line, Printable(record.Get(Field::kTimestamp)),
                                  Printable(record.Get(Field::kProcess)), EvidenceText(record.text), record.kind});
    }
  }
}

}  // namespace tediag
