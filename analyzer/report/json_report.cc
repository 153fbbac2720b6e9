// The tediag.report/2 schema (docs/report.schema.json; docs/report-schema.md says what each field
// means), one function per top-level section.
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

// {name, bundle_id, paths}, or null when the evidence names no app.
void WriteApp(JsonWriter& w, const Report& report, const std::optional<size_t>& app, bool names = false) {
  if (!app) {
    w.Null();
    return;
  }
  const AppIdentity& a = report.apps[*app];
  w.BeginObject();
  w.Field("name", a.name);
  w.Key("bundle_id");
  if (a.bundle_id.empty()) {
    w.Null();
  } else {
    w.String(a.bundle_id);
  }
  w.StringArray("paths", a.paths);
  if (names) w.StringArray("names", a.names);
  w.EndObject();
}

void WriteApps(JsonWriter& w, const Report& report) {
  w.Key("apps");
  w.BeginArray();
  for (size_t i = 0; i < report.apps.size(); ++i) WriteApp(w, report, i, /*names=*/true);
  w.EndArray();
}

std::string_view Status(const Report& report) {
  if (report.nothing_read) return "nothing-read";
  if (!report.diagnoses.empty()) return "diagnosed";
  if (!report.focus_found) return "focus-not-found";
  return "no-failure";
}

void WriteEvidence(JsonWriter& w, const Evidence& e) {
  w.BeginObject();
  w.Field("input", e.input);
  w.Field("line", e.line);
  w.Field("timestamp", e.timestamp);
  w.Key("time");
  if (e.time.empty()) {
    w.Null();
  } else {
    w.String(e.time);
  }
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

void WriteFinding(JsonWriter& w, const Report& report, const Finding& f) {
  w.BeginObject();
  w.Field("id", f.id);
  w.Field("rule", f.rule->id);
  w.Field("class", f.rule->class_slug);
  w.Field("severity", SeverityName(f.rule->severity));
  w.Field("title", f.rule->title);
  w.Key("app");
  WriteApp(w, report, f.app);
  if (!f.app) w.Field("scope", f.scope);
  w.Field("hits", f.hits);
  w.Field("about_focus", f.about_focus);
  if (!f.superseded_by.empty()) w.Field("superseded_by", f.superseded_by);
  w.Key("evidence");
  w.BeginArray();
  for (const Evidence& e : f.evidence) WriteEvidence(w, e);
  w.EndArray();
  w.Field("unattributed_hits", f.unattributed_hits);
  w.Key("unattributed_evidence");
  w.BeginArray();
  for (const Evidence& e : f.unattributed) WriteEvidence(w, e);
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

// One diagnosis per app: its root cause first in `findings`, then its contributing findings.
void WriteDiagnoses(JsonWriter& w, const Report& report, std::vector<bool>& written) {
  w.Key("diagnoses");
  w.BeginArray();
  for (const Diagnosis& d : report.diagnoses) {
    const Finding& cause = report.findings[d.finding];
    w.BeginObject();
    w.Key("app");
    WriteApp(w, report, d.app);
    w.Field("class", cause.rule->class_slug);
    w.Field("rule", cause.rule->id);
    w.Field("title", cause.rule->title);
    w.Field("confidence", ConfidenceName(d.confidence));
    w.Field("why", d.why);
    w.Field("root_cause", cause.id);
    w.Key("findings");
    w.BeginArray();
    WriteFinding(w, report, cause);
    written[d.finding] = true;
    for (size_t i : d.contributing) {
      WriteFinding(w, report, report.findings[i]);
      written[i] = true;
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

// The findings in no diagnosis: warnings and notes, and failures that name no app beside an
// app's diagnosis of them.
void WriteOtherFindings(JsonWriter& w, const Report& report, const std::vector<bool>& written) {
  w.Key("other_findings");
  w.BeginArray();
  for (size_t i = 0; i < report.findings.size(); ++i) {
    if (!written[i]) WriteFinding(w, report, report.findings[i]);
  }
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

// --since / --until / --last: the window and the records left outside it; null without one.
void WriteWindow(JsonWriter& w, const Report& report) {
  w.Key("window");
  if (report.window.empty()) return w.Null();
  w.BeginObject();
  w.Field("description", report.window);
  w.Field("records_outside", report.outside_window);
  w.Field("chunksets_outside", report.chunksets_outside_window);
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
  w.Key("focus_app");
  if (report.focus_app.empty()) {
    w.Null();
  } else {
    w.String(report.focus_app);
  }
  w.Field("status", Status(report));
  w.Field("headline", report.headline);
  WriteRedaction(w, report.redaction);
  WriteInputs(w, report.inputs);
  WriteApps(w, report);
  std::vector<bool> written(report.findings.size(), false);
  WriteDiagnoses(w, report, written);
  WriteOtherFindings(w, report, written);
  WriteSeen(w, report.seen);
  WriteUnexplained(w, report);
  WriteWindow(w, report);
  WriteRules(w, report);
  w.EndObject();
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

}  // namespace tediag
