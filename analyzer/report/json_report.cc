#include <cstdint>

#include "util/json_string.h"
#include "report/report_writers.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// A tiny streaming writer: enough structure to keep commas right, pretty-printed.
class JsonWriter {
 public:
  std::string Take() { return std::move(out_); }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key) {
    Separate();
    AppendJsonString(out_, key);
    out_ += ": ";
    after_key_ = true;
  }
  void String(std::string_view value) {
    Separate();
    AppendJsonString(out_, value);
  }
  void Number(uint64_t value) {
    Separate();
    StrAppend(out_, value);
  }
  void Bool(bool value) {
    Separate();
    out_ += value ? "true" : "false";
  }
  void Null() {
    Separate();
    out_ += "null";
  }
  template <typename T>
  void Field(std::string_view key, const T& value) {
    Key(key);
    if constexpr (std::is_same_v<T, bool>) {
      Bool(value);
    } else if constexpr (std::is_integral_v<T>) {
      Number(static_cast<uint64_t>(value));
    } else {
      String(value);
    }
  }

 private:
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_.push_back(',');
    if (depth_ > 0) Newline();
    first_ = false;
  }
  void Open(char c) {
    Separate();
    out_.push_back(c);
    ++depth_;
    first_ = true;
  }
  void Close(char c) {
    --depth_;
    if (!first_) Newline();
    out_.push_back(c);
    first_ = false;
  }
  void Newline() {
    out_.push_back('\n');
    out_.append(static_cast<size_t>(depth_) * 2, ' ');
  }

  std::string out_;
  int depth_ = 0;
  bool first_ = true;
  bool after_key_ = false;
};

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
  for (const Evidence& e : f.evidence) {
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
  w.EndArray();
  w.Field("explanation", f.explanation);
  w.Key("fix");
  w.BeginArray();
  for (const std::string& step : f.rule->fix) w.String(step);
  w.EndArray();
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

}  // namespace

std::string RenderJson(const Report& report, std::string_view tool_version) {
  JsonWriter w;
  w.BeginObject();
  w.Field("schema", "tediag.report/1");
  w.Key("tool");
  w.BeginObject();
  w.Field("name", "tediag");
  w.Field("version", tool_version);
  w.EndObject();
  if (!report.focus_app.empty()) w.Field("focus_app", report.focus_app);
  w.Key("redaction");
  w.BeginObject();
  w.Field("applied", report.redaction.has_value());
  w.Key("replaced");
  w.BeginArray();
  if (report.redaction) {
    for (const RedactedCount& count : report.redaction->replaced) {
      w.BeginObject();
      w.Field("kind", count.kind);
      w.Field("placeholder", StrCat("<", count.kind, "-N>"));
      w.Field("values", count.values);
      w.Field("occurrences", count.occurrences);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  w.Key("inputs");
  w.BeginArray();
  for (const InputSummary& input : report.inputs) {
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
  w.Key("diagnosis");
  if (report.diagnosis) {
    const Finding& cause = report.findings[report.diagnosis->finding];
    w.BeginObject();
    w.Field("class", cause.rule->class_slug);
    w.Field("rule", cause.rule->id);
    w.Field("title", cause.rule->title);
    w.Field("confidence", ConfidenceName(report.diagnosis->confidence));
    w.Field("app", cause.app);
    w.Field("why", report.diagnosis->why);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("findings");
  w.BeginArray();
  for (const Finding& finding : report.findings) WriteFinding(w, finding);
  w.EndArray();
  w.Key("seen");
  w.BeginObject();
  w.Field("summary", report.seen.summary);
  w.Key("next");
  w.BeginArray();
  for (const std::string& step : report.seen.next) w.String(step);
  w.EndArray();
  w.Field("crashes_total", report.seen.crashes_total);
  w.Key("crashes");
  w.BeginArray();
  for (const SeenCrash& c : report.seen.crashes) {
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
  w.EndArray();
  w.EndObject();
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
  w.EndObject();
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

}  // namespace tediag
