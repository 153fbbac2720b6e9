// The report model: what an analysis found, in one structure that every writer (text, JSON,
// Markdown) renders. Nothing here refers back to the inputs' buffers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tediag/record.h"
#include "tediag/rule.h"

namespace tediag {

struct Evidence {
  std::string input;
  uint64_t line = 0;
  std::string timestamp;
  std::string process;
  std::string text;
  RecordKind kind = RecordKind::kLogEvent;
};

// One rule's hits for one app.
struct Finding {
  const Rule* rule = nullptr;
  std::string app;                      // who the finding is about (name, or a path's app)
  bool app_identified = false;          // named by the evidence, not just the process that logged it
  std::vector<std::string> app_keys;    // name, bundle id, paths: what --app is compared with
  std::string explanation;              // the rule's text with its captures filled in
  std::vector<Evidence> evidence;       // the first kMaxEvidence hits
  uint64_t hits = 0;                    // all hits, including those not kept as evidence
  bool about_focus = false;             // matches --app
  std::string superseded_by;            // id of a rule that refines this finding, if any
};

enum class Confidence : uint8_t { kLow, kMedium, kHigh };
std::string_view ConfidenceName(Confidence confidence);

struct Diagnosis {
  size_t finding = 0;  // index into Report::findings
  Confidence confidence = Confidence::kMedium;
  std::string why;     // how the root cause was chosen, one sentence
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

struct Report {
  std::string focus_app;
  std::vector<InputSummary> inputs;
  std::vector<RuleError> rule_errors;
  size_t rules_loaded = 0;
  // Root cause first, then the other findings by severity, app and class.
  std::vector<Finding> findings;
  std::optional<Diagnosis> diagnosis;
  std::optional<Redaction> redaction;  // set when the report was redacted
};

inline constexpr size_t kMaxEvidence = 10;
inline constexpr size_t kMaxInputErrors = 50;

}  // namespace tediag
