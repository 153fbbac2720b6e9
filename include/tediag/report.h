// The report model: what an analysis found, in one structure that every writer (text, JSON,
// Markdown) renders. Nothing here refers back to the inputs' buffers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tediag/record.h"
#include "tediag/rule.h"

namespace tediag {

// A line of the input that a rule's pattern matched, at its own line number.
struct EvidenceLine {
  uint64_t line = 0;
  std::string text;   // the line as written, or "field: value" when the reader kept only the value (.ips)
  std::string field;  // the field the pattern tested ("app_specific", "message")
};

struct Evidence {
  std::string input;
  uint64_t line = 0;         // the first matched line
  uint64_t record_line = 0;  // where the record starts (a crash report: its Exception Type line); names the record
  std::string timestamp;     // as the input wrote it
  std::string time;  // the same in ISO 8601 ("2022-06-13T12:28:52.217-04:00"; the zone only when given); may be empty
  std::string process;
  std::string text;                 // what matched: a log entry's message; a crash report's matched lines, one per line
  std::vector<EvidenceLine> lines;  // the matched lines with their numbers, in input order
  RecordKind kind = RecordKind::kLogEvent;
};

// One app, however the evidence names it (analyzer/diagnose/app_identity.h): its bundle ID, its
// names (CFBundleName, executable, helpers) and the paths inside its bundle that the evidence gave.
struct AppIdentity {
  std::string name;                // the display name: "Foo" (helpers folded into their app)
  std::string bundle_id;           // may be empty
  std::vector<std::string> paths;  // bundle, executable and other paths, as the evidence wrote them
  std::vector<std::string> names;  // every name the evidence used ("Foo", "Foo Helper (GPU)")
};

// One rule's hits for one app (or, when the evidence names no app, for one input or crash report).
struct Finding {
  std::string id;  // "F1", "F2", …: the finding's place in Report::findings, 1-based
  const Rule* rule = nullptr;
  std::optional<size_t> app;       // index into Report::apps; none when the evidence names no app
  bool app_identified = false;     // named by what the evidence says, not just the process that logged it
  std::string scope;               // without an app: the input (or crash report) its evidence is from
  std::string explanation;         // the rule's text with its captures filled in
  std::vector<Evidence> evidence;  // the first kMaxEvidence hits
  uint64_t hits = 0;               // all hits, including those not kept as evidence
  // Hits of the same rule in the same input by lines that do not name the app (a kernel line
  // beside amfid's): shown with the finding, but never counted in `hits` nor in its confidence.
  std::vector<Evidence> unattributed;
  uint64_t unattributed_hits = 0;
  bool about_focus = false;   // matches --app
  std::string superseded_by;  // id of a rule that refines this finding, if any
};

enum class Confidence : uint8_t { kLow, kMedium, kHigh };
std::string_view ConfidenceName(Confidence confidence);

// The root cause of one app's failure, and what else concerns that app.
struct Diagnosis {
  std::optional<size_t> app;         // index into Report::apps; none when the evidence names no app
  size_t finding = 0;                // the root cause: index into Report::findings
  std::vector<size_t> contributing;  // the app's other findings (indices), worst first
  Confidence confidence = Confidence::kMedium;
  std::string why;  // how the root cause was chosen, one sentence
};

struct InputError {
  uint64_t line = 0;  // 0 when the whole input is concerned
  std::string message;
};

struct InputSummary {
  std::string path;
  InputFormat format = InputFormat::kUnknown;  // the format most records came in
  std::vector<InputFormat> formats;            // every format seen, in order of appearance
  uint64_t records = 0;
  uint64_t bytes = 0;
  bool readable = true;
  std::vector<InputError> errors;
  uint64_t errors_total = 0;  // errors may be more than the ones kept
};

// What --redact replaced (analyzer/redactor.h): per kind of value, how many distinct values and
// how many occurrences in the report.
struct RedactedCount {
  std::string kind;  // "user", "host", "email", "ip", "mac", "serial", "machine-uuid"
  uint64_t values = 0;
  uint64_t occurrences = 0;
};

struct Redaction {
  std::vector<RedactedCount> replaced;  // only kinds with at least one value
};

// "<user-N>": how a report names the placeholders of one kind (the redactor numbers them
// "<user-1>", "<user-2>", …). Every writer and the collector's manifest say it this way.
inline std::string PlaceholderPattern(std::string_view kind) {
  std::string out = "<";
  out.append(kind);
  out += "-N>";
  return out;
}

// A line that mentions the machinery tediag diagnoses (amfid, CODESIGNING, Gatekeeper, TCC,
// sandbox, ...; analyzer/watch_list.h) but that no rule explains: shown so that a person sees it
// and a rule writer knows what to add. Identical texts are listed once, with their count.
struct UnexplainedLine {
  std::string input;
  uint64_t line = 0;  // the first occurrence
  std::string process;
  std::string text;
  uint64_t count = 1;  // occurrences of this text
};

// What a crash report showed, for a result that names no trusted-execution failure.
struct SeenCrash {
  std::string input;
  uint64_t line = 0;
  std::string process;
  std::string exception_type;     // "EXC_BAD_ACCESS"
  std::string exception_subtype;  // "KERN_INVALID_ADDRESS at 0x0000000000000001"
  std::string signal;             // "SIGSEGV"
  std::string termination;        // "SIGNAL 11 Segmentation fault: 11", "DYLD 1 Library missing"
  std::string dyld;               // dyld's message (the termination details), first lines
  std::string app_specific;       // first line of the Application Specific Information
  std::string top_frame;          // where the crashed thread stopped: "the program's own code (Foo, main)"
  std::string kind;               // the reading (analyzer/seen.cc): "bad-access", "missing-library", ...
  std::string reading;            // what that is, and why it is (or may not be) a trusted-execution failure
  std::string next;               // what to look at next for this kind of crash; may be empty
};

// What tediag saw, said in plain words when no root cause is named.
struct Seen {
  std::vector<SeenCrash> crashes;  // the first kMaxSeenCrashes distinct crash reports
  uint64_t crashes_total = 0;
  std::string summary;            // one paragraph: what was read and seen, and what it is not
  std::vector<std::string> next;  // what to collect next, most useful first
};

struct Report {
  std::string focus_app;
  std::vector<InputSummary> inputs;
  std::vector<RuleError> rule_errors;
  std::vector<RuleError> rules_replaced;  // user rules that took a built-in rule's place (same id)
  size_t rules_loaded = 0;
  std::vector<AppIdentity> apps;  // every app the evidence named, in order of first appearance
  // Each diagnosis's root cause and contributing findings, in diagnosis order, then the other
  // findings by severity, app and class.
  std::vector<Finding> findings;
  // One per app with a trusted-execution failure (and per failure whose evidence names no app),
  // in the order a support engineer should read them: the focused app first, then by severity,
  // confidence and evidence. With --app, only those that may concern that app.
  std::vector<Diagnosis> diagnoses;
  std::string headline;                      // the one-line summary every writer opens with
  bool nothing_read = false;                 // no input gave a single record: the headline says why
  bool focus_found = true;                   // with --app: some evidence names that app
  std::optional<Redaction> redaction;        // set when the report was redacted
  std::vector<UnexplainedLine> unexplained;  // the first kMaxUnexplained, in input order
  uint64_t unexplained_total = 0;            // all such lines, repeats included
  Seen seen;
  // With --since / --until / --last: the window ("since 2023-01-12 01:00:00+0000 until …") and
  // how many records were outside it (read and counted, never matched), and how many unified log
  // chunksets started after it, so were not decompressed (their records are not counted).
  // Empty: no window.
  std::string window;
  uint64_t outside_window = 0;
  uint64_t chunksets_outside_window = 0;
};

// The first diagnosis's root cause, or null when nothing was diagnosed.
inline const Finding* RootCause(const Report& report) {
  return report.diagnoses.empty() ? nullptr : &report.findings[report.diagnoses.front().finding];
}

// The name of the app a finding or diagnosis is about, or "" when the evidence names none.
inline std::string_view AppName(const Report& report, const std::optional<size_t>& app) {
  return app ? std::string_view(report.apps[*app].name) : std::string_view();
}

// Calls `fn(std::string&)` on every string of `report` that comes from the analysed inputs (paths,
// app names, evidence, explanations, messages), and on none that comes from the rules' own text
// (titles, fixes, references). Redaction walks the report through this: a field added to the
// model must be added here, next to it, or it escapes redaction.
template <typename Fn>
void ForEachAnalysisString(Report& report, Fn fn) {
  fn(report.focus_app);
  for (InputSummary& input : report.inputs) {
    fn(input.path);
    for (InputError& error : input.errors) fn(error.message);
  }
  for (RuleError& error : report.rule_errors) {
    fn(error.where);
    fn(error.message);
  }
  for (AppIdentity& app : report.apps) {
    fn(app.name);
    fn(app.bundle_id);
    for (std::string& path : app.paths) fn(path);
    for (std::string& name : app.names) fn(name);
  }
  for (RuleError& replaced : report.rules_replaced) {
    fn(replaced.where);
    fn(replaced.message);
  }
  for (Finding& finding : report.findings) {
    fn(finding.scope);
    fn(finding.explanation);
    for (std::vector<Evidence>* list : {&finding.evidence, &finding.unattributed}) {
      for (Evidence& e : *list) {
        for (std::string* s : {&e.input, &e.timestamp, &e.time, &e.process, &e.text}) fn(*s);
        for (EvidenceLine& line : e.lines) fn(line.text);
      }
    }
  }
  for (UnexplainedLine& line : report.unexplained) {
    for (std::string* s : {&line.input, &line.process, &line.text}) fn(*s);
  }
  for (SeenCrash& c : report.seen.crashes) {
    for (std::string* s : {&c.input, &c.process, &c.exception_type, &c.exception_subtype, &c.signal, &c.termination,
                           &c.dyld, &c.app_specific, &c.top_frame, &c.reading, &c.next}) {
      fn(*s);
    }
  }
  fn(report.seen.summary);
  for (std::string& step : report.seen.next) fn(step);
  for (Diagnosis& diagnosis : report.diagnoses) fn(diagnosis.why);
  fn(report.headline);
}

// tediag's own documents, as the writers write them and as the readers recognise them to skip
// them (read/tediag_output.h): one definition, so the two cannot drift apart.
inline constexpr std::string_view kSchemaPrefix = "tediag.";                 // every schema tediag writes
inline constexpr std::string_view kReportSchema = "tediag.report/2";         // a JSON report (docs/report-schema.md)
inline constexpr std::string_view kBundleSchema = "tediag.bundle/1";         // a collector bundle's manifest.json
inline constexpr std::string_view kMarkdownTitle = "## tediag diagnosis\n";  // a Markdown report's first line
static_assert(kReportSchema.starts_with(kSchemaPrefix) && kBundleSchema.starts_with(kSchemaPrefix));

inline constexpr size_t kMaxEvidence = 10;
inline constexpr size_t kMaxInputErrors = 50;
inline constexpr size_t kMaxUnexplained = 20;
inline constexpr size_t kMaxSeenCrashes = 5;

}  // namespace tediag
