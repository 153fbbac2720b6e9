// JSON Lines (--format jsonl): one self-contained object per line for log shippers and fleet
// tools: a "diagnosis" line (also when nothing was diagnosed), one "finding" line per finding,
// one "input-error" line per input that could not be read. docs/JSONL.md documents every field
// and its Elastic Common Schema name. Each line is built with JsonWriter and then put on one line.
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
               std::string_view timestamp_text) {
  w.Field("schema", kJsonlSchema);  // first, so that `analyze` knows the file for tediag's own (tediag_output.h)
  if (std::optional<std::string> utc = UtcIso8601(timestamp_text)) w.Field("@timestamp", *utc);
  w.Field("type", type);
  w.Field("tool", "tediag");
  w.Field("tool_version", options.tool_version);
  w.Field("redacted", report.redaction.has_value());
  if (!report.focus_app.empty()) w.Field("focus_app", report.focus_app);
}

void WriteTimestamps(JsonWriter& w, std::string_view text) {
  if (std::optional<std::string> utc = UtcIso8601(text)) w.Field("timestamp", *utc);
  if (!text.empty()) w.Field("timestamp_text", text);
}

void WriteEvidence(JsonWriter& w, const std::vector<Evidence>& evidence) {
  w.Key("evidence");
  w.BeginArray();
  for (const Evidence& e : evidence) {
    w.BeginObject();
    w.Field("input", e.input);
    w.Field("line", e.line);
    WriteTimestamps(w, e.timestamp);
    if (!e.process.empty()) w.Field("process", e.process);
    w.Field("kind", RecordKindName(e.kind));
    w.Field("text", e.text);
    w.EndObject();
  }
  w.EndArray();
}

// What a diagnosis and a finding line share: the rule, the app, where the first evidence is.
void WriteFindingFields(JsonWriter& w, const Finding& f) {
  w.Field("app", f.app);
  w.Field("class", f.rule->class_slug);
  w.Field("rule", f.rule->id);
  w.Field("title", f.rule->title);
  w.Field("severity", SeverityName(f.rule->severity));
  if (!f.evidence.empty()) {
    const Evidence& first = f.evidence.front();
    w.Field("input", first.input);
    w.Field("line", first.line);
    WriteTimestamps(w, first.timestamp);
    if (!first.process.empty()) w.Field("process", first.process);
  }
  w.Field("hits", f.hits);
  w.Field("explanation", f.explanation);
  WriteEvidence(w, f.evidence);
}

std::string EvidenceTime(const Finding& f) { return f.evidence.empty() ? "" : f.evidence.front().timestamp; }

std::string DiagnosisLine(const Report& report, const RenderOptions& options) {
  JsonWriter w;
  w.BeginObject();
  const Finding* cause = report.diagnosis ? &report.findings[report.diagnosis->finding] : nullptr;
  WriteHead(w, "diagnosis", report, options, cause ? EvidenceTime(*cause) : "");
  w.Key("inputs");
  w.BeginArray();
  for (const InputSummary& input : report.inputs) w.String(input.path);
  w.EndArray();
  w.Field("findings", static_cast<uint64_t>(report.findings.size()));
  if (cause == nullptr) {
    w.Key("class");
    w.Null();
    w.Field("summary", report.seen.summary);
  } else {
    w.Field("confidence", ConfidenceName(report.diagnosis->confidence));
    w.Field("why", report.diagnosis->why);
    WriteFindingFields(w, *cause);
  }
  w.EndObject();
  return OneLine(w.Take());
}

std::string FindingLine(const Report& report, const RenderOptions& options, size_t index) {
  const Finding& f = report.findings[index];
  JsonWriter w;
  w.BeginObject();
  WriteHead(w, "finding", report, options, EvidenceTime(f));
  w.Field("root_cause", report.diagnosis && report.diagnosis->finding == index);
  if (!f.superseded_by.empty()) w.Field("superseded_by", f.superseded_by);
  w.Field("about_focus", f.about_focus);
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
  std::string out = DiagnosisLine(report, options);
  for (size_t i = 0; i < report.findings.size(); ++i) out += FindingLine(report, options, i);
  for (const InputSummary& input : report.inputs) {
    if (!input.readable) out += InputErrorLine(report, options, input);
  }
  return out;
}

}  // namespace tediag
