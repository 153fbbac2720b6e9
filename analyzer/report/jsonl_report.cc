// JSON Lines (--format jsonl): one self-contained object per line for log shippers and fleet
// tools: a "diagnosis" line per diagnosis (one with a null class when nothing was diagnosed), one
// "finding" line per finding, one "input-error" line per input that could not be read.
// docs/JSONL.md documents every field and its Elastic Common Schema name. Each line is built with JsonWriter and then
// put on one line.
#include <string>

#include "report/report_writers.h"
#include "report/utc_time.h"
#include "util/json_writer.h"

namespace tediag {
namespace {

constexpr std::string_view kJsonlSchema = "tediag.jsonl/1";

// JsonWriter's pretty output on one line: its only literal newlines are those it puts between
// tokens (strings escape theirs), each followed by indentation.
std::string OneLine(std::string pretty) {
  std::string out;
  out.reserve(pretty.size());
  for (size_t i = 0; i < pretty.size(); ++i) {
    if (pretty[i] != '\n') {
      out.push_back(pretty[i]);
      continue;
    }
    while (i + 1 < pretty.size() && pretty[i + 1] == ' ') ++i;
  }
  out.push_back('\n');
  return out;
}

// The keys every line starts with: what it is, which tool wrote it, when the event happened.
void WriteHead(JsonWriter& w, std::string_view type, const Report& report, const RenderOptions& options,
               std::string_view time) {
  w.Field("schema", kJsonlSchema);  // first, so that `analyze` knows the file for tediag's own (tediag_output.h)
  if (std::optional<std::string> utc = UtcIso8601(time)) w.Field("@timestamp", *utc);
  w.Field("type", type);
  w.Field("tool", "tediag");
  w.Field("tool_version", options.tool_version);
  w.Field("redacted", report.redaction.has_value());
  if (!report.focus_app.empty()) w.Field("focus_app", report.focus_app);
}

// `timestamp` (UTC, from Evidence::time) when it has a zone, `timestamp_text` as the input wrote it.
void WriteTimestamps(JsonWriter& w, const Evidence& e) {
  if (std::optional<std::string> utc = UtcIso8601(e.time)) w.Field("timestamp", *utc);
  if (!e.timestamp.empty()) w.Field("timestamp_text", e.timestamp);
}

void WriteEvidence(JsonWriter& w, const std::vector<Evidence>& evidence) {
  w.Key("evidence");
  w.BeginArray();
  for (const Evidence& e : evidence) {
    w.BeginObject();
    w.Field("input", e.input);
    w.Field("line", e.line);
    WriteTimestamps(w, e);
    if (!e.process.empty()) w.Field("process", e.process);
    w.Field("kind", RecordKindName(e.kind));
    w.Field("text", e.text);
    w.EndObject();
  }
  w.EndArray();
}

// `app`: the app's name, or null when the evidence names none; `bundle_id` when known.
void WriteApp(JsonWriter& w, const Report& report, const std::optional<size_t>& app) {
  w.Key("app");
  if (!app) {
    w.Null();
    return;
  }
  const AppIdentity& identity = report.apps[*app];
  w.String(identity.name);
  if (!identity.bundle_id.empty()) w.Field("bundle_id", identity.bundle_id);
}

// What a diagnosis and a finding line share: the rule, where the first evidence is, the evidence.
void WriteFindingFields(JsonWriter& w, const Finding& f) {
  w.Field("class", f.rule->class_slug);
  w.Field("rule", f.rule->id);
  w.Field("title", f.rule->title);
  w.Field("severity", SeverityName(f.rule->severity));
  if (!f.evidence.empty()) {
    const Evidence& first = f.evidence.front();
    w.Field("input", first.input);
    w.Field("line", first.line);
    WriteTimestamps(w, first);
    if (!first.process.empty()) w.Field("process", first.process);
  }
  w.Field("hits", f.hits);
  w.Field("explanation", f.explanation);
  WriteEvidence(w, f.evidence);
}

std::string_view EvidenceTime(const Finding& f) {
  return f.evidence.empty() ? std::string_view() : std::string_view(f.evidence.front().time);
}

// The fields of every diagnosis line, with or without a cause.
void WriteRunFields(JsonWriter& w, const Report& report) {
  w.Key("inputs");
  w.BeginArray();
  for (const InputSummary& input : report.inputs) w.String(input.path);
  w.EndArray();
  w.Field("findings", static_cast<uint64_t>(report.findings.size()));
  w.Field("diagnoses", static_cast<uint64_t>(report.diagnoses.size()));
  w.Field("headline", report.headline);
}

// The line of a run with no diagnosis: `class` null and what was seen.
std::string NoDiagnosisLine(const Report& report, const RenderOptions& options) {
  JsonWriter w;
  w.BeginObject();
  WriteHead(w, "diagnosis", report, options, "");
  WriteRunFields(w, report);
  w.Key("class");
  w.Null();
  w.Field("summary", report.seen.summary);
  w.EndObject();
  return OneLine(w.Take());
}

std::string DiagnosisLine(const Report& report, const RenderOptions& options, size_t index) {
  const Diagnosis& d = report.diagnoses[index];
  const Finding& cause = report.findings[d.finding];
  JsonWriter w;
  w.BeginObject();
  WriteHead(w, "diagnosis", report, options, EvidenceTime(cause));
  WriteRunFields(w, report);
  w.Field("diagnosis", static_cast<uint64_t>(index + 1));
  WriteApp(w, report, d.app);
  w.Field("confidence", ConfidenceName(d.confidence));
  w.Field("why", d.why);
  w.Field("root_cause", cause.id);
  w.Key("contributing");
  w.BeginArray();
  for (size_t i : d.contributing) w.String(report.findings[i].id);
  w.EndArray();
  WriteFindingFields(w, cause);
  w.EndObject();
  return OneLine(w.Take());
}

std::string FindingLine(const Report& report, const RenderOptions& options, size_t index) {
  const Finding& f = report.findings[index];
  bool root_cause = false;
  for (const Diagnosis& d : report.diagnoses) root_cause |= d.finding == index;
  JsonWriter w;
  w.BeginObject();
  WriteHead(w, "finding", report, options, EvidenceTime(f));
  w.Field("id", f.id);
  w.Field("root_cause", root_cause);
  if (!f.superseded_by.empty()) w.Field("superseded_by", f.superseded_by);
  w.Field("about_focus", f.about_focus);
  WriteApp(w, report, f.app);
  WriteFindingFields(w, f);
  w.EndObject();
  return OneLine(w.Take());
}

std::string InputErrorLine(const Report& report, const RenderOptions& options, const InputSummary& input) {
  JsonWriter w;
  w.BeginObject();
  WriteHead(w, "input-error", report, options, "");
  w.Field("input", input.path);
  w.Field("message", input.errors.empty() ? std::string("not read") : input.errors.front().message);
  w.EndObject();
  return OneLine(w.Take());
}

}  // namespace

std::string RenderJsonLines(const Report& report, const RenderOptions& options) {
  std::string out = report.diagnoses.empty() ? NoDiagnosisLine(report, options) : "";
  for (size_t i = 0; i < report.diagnoses.size(); ++i) out += DiagnosisLine(report, options, i);
  for (size_t i = 0; i < report.findings.size(); ++i) out += FindingLine(report, options, i);
  for (const InputSummary& input : report.inputs) {
    if (!input.readable) out += InputErrorLine(report, options, input);
  }
  return out;
}

}  // namespace tediag
