// The tediag.report/1 schema (README.md documents it), one function per top-level section.
#include "report/report_writers.h"
#include "util/json_writer.h"

namespace tediag {
namespace {

void WriteTool(JsonWriter& w, std::string_view tool_version) {
  w.Key("tool");
  w.BeginObject();
  w.Field("name", "tediag");
  w.Field("version", tool_version);
  w.EndObject();
}

void WriteRedaction(JsonWriter& w, const std::optional<Redaction>& redaction) {
  w.Key("redaction");
  w.BeginObject();
  w.Field("applied", redaction.has_value());
  WriteReplacedJson(w, redaction.value_or(Redaction{}));
  w.EndObject();
}

void WriteInputs(JsonWriter& w, const std::vector<InputSummary>& inputs) {
  w.Key("inputs");
  w.BeginArray();
  for (const InputSummary& input : inputs) {
    w.BeginObject();
    w.Field("path", input.path);
    w.Field("format", InputFormatName(input.format));
    w.Key("formats");
    w.BeginArray();
    for (InputFormat format : input.formats) w.String(InputFormatName(format));
    w.EndArray();
    w.Field("readable", input.readable);
    w.Field("bytes", input.bytes);
    w.Field("records", input.records);
    w.Field("errors_total", input.errors_total);
    w.Key("errors");
    w.BeginArray();
    for (const InputError& error : input.errors) {
      w.BeginObject();
      w.Field("line", error.line);
      w.Field("message", error.message);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

// The root cause, or null.
void WriteDiagnosis(JsonWriter& w, const Report& report) {
  w.Key("diagnosis");
  if (!report.diagnosis) {
    w.Null();
    return;
  }
  const Finding& cause = report.findings[report.diagnosis->finding];
  w.BeginObject();
  w.Field("class", cause.rule->class_slug);
  w.Field("rule", cause.rule->id);
  w.Field("title", cause.rule->title);
  w.Field("confidence", ConfidenceName(report.diagnosis->confidence));
  w.Field("app", cause.app);
  w.Field("why", report.diagnosis->why);
  w.EndObject();
}

void WriteEvidence(JsonWriter& w, const Evidence& e) {
  w.BeginObject();
  w.Field("input", e.input);
  w.Field("line", e.line);
  w.Field("timestamp", e.timestamp);
  w.Field("process", e.process);
  w.Field("kind", RecordKindName(e.kind));
  w.Field("text", e.text);
  w.Field("record_line", e.record_line);
  w.Key("lines");
  w.BeginArray();
  for (const EvidenceLine& line : e.lines) {
    w.BeginObject();
    w.Field("line", line.line);
    w.Field("field", line.field);
    w.Field("text", line.text);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteFinding(JsonWriter& w, const Finding& f) {
  w.BeginObject();
  w.Field("rule", f.rule->id);
  w.Field("class", f.rule->class_slug);
  w.Field("severity", SeverityName(f.rule->severity));
  w.Field("title", f.rule->title);
  w.Field("app", f.app);
  w.Field("hits", f.hits);
  w.Field("about_focus", f.about_focus);
  if (!f.superseded_by.empty()) w.Field("superseded_by", f.superseded_by);
  w.Key("evidence");
  w.BeginArray();
  for (const Evidence& e : f.evidence) WriteEvidence(w, e);
  w.EndArray();
  w.Field("explanation", f.explanation);
  w.StringArray("fix", f.rule->fix);
  w.Key("references");
  w.BeginArray();
  for (const Reference& ref : f.rule->references) {
    w.BeginObject();
    w.Field("title", ref.title);
    w.Field("url", ref.url);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteFindings(JsonWriter& w, const std::vector<Finding>& findings) {
  w.Key("findings");
  w.BeginArray();
  for (const Finding& finding : findings) WriteFinding(w, finding);
  w.EndArray();
}

void WriteSeenCrash(JsonWriter& w, const SeenCrash& c) {
  w.BeginObject();
  w.Field("input", c.input);
  w.Field("line", c.line);
  w.Field("process", c.process);
  w.Field("exception_type", c.exception_type);
  w.Field("exception_subtype", c.exception_subtype);
  w.Field("signal", c.signal);
  w.Field("termination", c.termination);
  w.Field("dyld", c.dyld);
  w.Field("app_specific", c.app_specific);
  w.Field("top_frame", c.top_frame);
  w.Field("kind", c.kind);
  w.Field("reading", c.reading);
  w.Field("next", c.next);
  w.EndObject();
}

// What was seen, for a report without a root cause (written always).
void WriteSeen(JsonWriter& w, const Seen& seen) {
  w.Key("seen");
  w.BeginObject();
  w.Field("summary", seen.summary);
  w.StringArray("next", seen.next);
  w.Field("crashes_total", seen.crashes_total);
  w.Key("crashes");
  w.BeginArray();
  for (const SeenCrash& c : seen.crashes) WriteSeenCrash(w, c);
  w.EndArray();
  w.EndObject();
}

void WriteUnexplained(JsonWriter& w, const Report& report) {
  w.Key("unexplained");
  w.BeginObject();
  w.Field("total", report.unexplained_total);
  w.Key("lines");
  w.BeginArray();
  for (const UnexplainedLine& line : report.unexplained) {
    w.BeginObject();
    w.Field("input", line.input);
    w.Field("line", line.line);
    w.Field("process", line.process);
    w.Field("count", line.count);
    w.Field("text", line.text);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteRules(JsonWriter& w, const Report& report) {
  w.Field("rules_loaded", report.rules_loaded);
  w.Key("rule_errors");
  w.BeginArray();
  for (const RuleError& error : report.rule_errors) {
    w.BeginObject();
    w.Field("where", error.where);
    w.Field("message", error.message);
    w.EndObject();
  }
  w.EndArray();
  w.Key("rules_replaced");  // a user's rule in place of the built-in rule of its id
  w.BeginArray();
  for (const RuleError& replaced : report.rules_replaced) {
    w.BeginObject();
    w.Field("where", replaced.where);
    w.Field("message", replaced.message);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

void WriteReplacedJson(JsonWriter& w, const Redaction& redaction) {
  w.Key("replaced");
  w.BeginArray();
  for (const RedactedCount& count : redaction.replaced) {
    w.BeginObject();
    w.Field("kind", count.kind);
    w.Field("placeholder", PlaceholderPattern(count.kind));
    w.Field("values", count.values);
    w.Field("occurrences", count.occurrences);
    w.EndObject();
  }
  w.EndArray();
}

std::string RenderJson(const Report& report, const RenderOptions& options) {
  JsonWriter w;
  w.BeginObject();
  w.Field("schema", kReportSchema);
  WriteTool(w, options.tool_version);
  if (!report.focus_app.empty()) w.Field("focus_app", report.focus_app);
  WriteRedaction(w, report.redaction);
  WriteInputs(w, report.inputs);
  WriteDiagnosis(w, report);
  WriteFindings(w, report.findings);
  WriteSeen(w, report.seen);
  WriteUnexplained(w, report);
  WriteRules(w, report);
  w.EndObject();
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

}  // namespace tediag
