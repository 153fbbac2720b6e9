// SARIF 2.1.0 (--format sarif): the findings whose evidence points at a file, as results with a
// file and line, so code-scanning tools (GitHub's among them) show them where they are. One run;
// its driver lists the rules those results use. docs/JSONL.md ("SARIF") says what maps to what.
#include <algorithm>
#include <string>
#include <vector>

#include "report/report_writers.h"
#include "util/json_writer.h"

namespace tediag {
namespace {

constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

// A path as a URI reference: relative paths stay relative (to the folder tediag ran in, which
// code scanning takes as the repository root), absolute ones become file:// URIs. Bytes outside
// RFC 3986's unreserved set and '/' are percent-encoded.
std::string PathUri(std::string_view path) {
  std::string out = path.starts_with('/') ? "file://" : "";
  constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    bool plain = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out.push_back(c);
    } else {
      out += {'%', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  return out;
}

// Evidence read from standard input points at no file. Evidence at line 0 is about a file as a
// whole (tediag inspect's findings: a bundle or Mach-O); its region is the file's first line,
// since code scanning shows no result without a startLine.
bool PointsAtFile(const Evidence& e) { return !e.input.empty() && e.input != "(stdin)"; }

// SARIF's levels are tediag's severities, except that "info" is "note".
std::string_view Level(Severity severity) { return severity == Severity::kInfo ? "note" : SeverityName(severity); }

void WriteRule(JsonWriter& w, const Rule& rule) {
  w.BeginObject();
  w.Field("id", rule.id);
  w.Key("shortDescription");
  w.BeginObject();
  w.Field("text", rule.title);
  w.EndObject();
  if (!rule.references.empty()) w.Field("helpUri", rule.references.front().url);
  std::string help;
  for (size_t i = 0; i < rule.fix.size(); ++i) help += std::to_string(i + 1) + ". " + rule.fix[i] + "\n";
  w.Key("help");
  w.BeginObject();
  w.Field("text", help);
  w.EndObject();
  w.Key("defaultConfiguration");
  w.BeginObject();
  w.Field("level", Level(rule.severity));
  w.EndObject();
  w.Key("properties");
  w.BeginObject();
  w.StringArray("tags", std::vector<std::string_view>{"tediag", rule.class_slug});
  w.EndObject();
  w.EndObject();
}

void WriteLocation(JsonWriter& w, const Evidence& e) {
  w.BeginObject();
  w.Key("physicalLocation");
  w.BeginObject();
  w.Key("artifactLocation");
  w.BeginObject();
  w.Field("uri", PathUri(e.input));
  w.EndObject();
  w.Key("region");
  w.BeginObject();
  w.Field("startLine", std::max<uint64_t>(e.line, 1));
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

void WriteResult(JsonWriter& w, const Report& report, size_t index, size_t rule_index) {
  const Finding& f = report.findings[index];
  bool root_cause = false;
  for (const Diagnosis& d : report.diagnoses) root_cause |= d.finding == index;
  w.BeginObject();
  w.Field("ruleId", f.rule->id);
  w.Field("ruleIndex", static_cast<uint64_t>(rule_index));
  w.Field("level", Level(f.rule->severity));
  w.Key("message");
  w.BeginObject();
  w.Field("text", f.explanation.empty() ? f.rule->title : f.explanation);
  w.EndObject();
  w.Key("locations");
  w.BeginArray();
  for (const Evidence& e : f.evidence) {
    if (PointsAtFile(e)) WriteLocation(w, e);
  }
  w.EndArray();
  w.Key("properties");
  w.BeginObject();
  w.Field("id", f.id);
  w.Key("app");
  if (f.app) {
    w.String(report.apps[*f.app].name);
  } else {
    w.Null();
  }
  w.Field("class", f.rule->class_slug);
  w.Field("hits", f.hits);
  w.Field("rootCause", root_cause);
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string RenderSarif(const Report& report, const RenderOptions& options) {
  // The findings with at least one evidence line in a file, and the rules they use (in order).
  std::vector<size_t> results, rule_of_result;
  std::vector<const Rule*> rules;
  for (size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& f = report.findings[i];
    bool in_file = false;
    for (const Evidence& e : f.evidence) in_file |= PointsAtFile(e);
    if (!in_file) continue;
    size_t rule_index = 0;
    while (rule_index < rules.size() && rules[rule_index] != f.rule) ++rule_index;
    if (rule_index == rules.size()) rules.push_back(f.rule);
    results.push_back(i);
    rule_of_result.push_back(rule_index);
  }
  JsonWriter w;
  w.BeginObject();
  w.Field("$schema", kSarifSchema);
  w.Field("version", "2.1.0");
  w.Key("runs");
  w.BeginArray();
  w.BeginObject();
  w.Key("tool");
  w.BeginObject();
  w.Key("driver");
  w.BeginObject();
  w.Field("name", "tediag");
  w.Field("version", options.tool_version);
  w.Key("rules");
  w.BeginArray();
  for (const Rule* rule : rules) WriteRule(w, *rule);
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.Key("results");
  w.BeginArray();
  for (size_t i = 0; i < results.size(); ++i) WriteResult(w, report, results[i], rule_of_result[i]);
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

}  // namespace tediag
