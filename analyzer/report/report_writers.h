// The output formats: one table, ReportWriters(), lists every writer with its --format name and
// the file it is written to in a collector bundle. The CLI offers and dispatches --format from
// it; the collector and the redacted archive write the bundle's reports from it. Adding a format
// is its writer file (a Render function below) and one row in writers.cc.
//
// Each writer only reads the model; none decides anything. All are pure functions of their
// arguments (the same Report gives the same bytes) and may run concurrently on distinct or
// shared const Reports.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "tediag/report.h"

namespace tediag {

class JsonWriter;  // util/json_writer.h

// What a writer may be told besides the report. A writer ignores what it has no use for.
struct RenderOptions {
  bool color = false;  // ANSI colours (text): only on a terminal, never with NO_COLOR set
  // Screen columns the text report fits (COLUMNS or the tty; bounded to 40..100): prose wraps,
  // evidence lines are cut to two screen lines and no line is wider. 0, no screen (a pipe, a
  // file): prose wraps at 100 and nothing is cut.
  size_t width = 0;
  std::string_view tool_version = {};  // tediag's version, recorded in the JSON report
};

struct ReportWriter {
  std::string_view name;         // the --format value: "text", "json", "markdown"
  std::string_view bundle_file;  // where a collector bundle holds it ("report.md"); empty: not written there
  bool for_programs;             // read by programs, not people: no progress line on the terminal beside it
  std::string (*render)(const Report& report, const RenderOptions& options);
};

// Every writer, the default (--format text) first; the order is the order --help lists them.
std::span<const ReportWriter> ReportWriters();
// The writer named `name`, or nullptr.
const ReportWriter* FindReportWriter(std::string_view name);

// The writers themselves (writers.cc lists them).
std::string RenderText(const Report& report, const RenderOptions& options = {});
// The tediag.report/2 schema (docs/report.schema.json, docs/report-schema.md).
std::string RenderJson(const Report& report, const RenderOptions& options = {});
// JSON Lines: a diagnosis line, a line per finding, a line per unreadable input (docs/JSONL.md).
std::string RenderJsonLines(const Report& report, const RenderOptions& options = {});
// SARIF 2.1.0: the findings whose evidence is in a file, with file and line (docs/JSONL.md).
std::string RenderSarif(const Report& report, const RenderOptions& options = {});
// Starts with kMarkdownTitle, which is how `analyze` knows to skip a report it wrote itself.
std::string RenderMarkdown(const Report& report, const RenderOptions& options = {});

// "Redacted: replaced 1 user name (<user-N>, 3 times), …": what --redact did, for the text and
// Markdown writers; `code` wraps each placeholder in backticks (Markdown).
std::string RedactionSentence(const Redaction& redaction, bool code = false);

// The "replaced" array of a redaction ({"kind", "placeholder", "values", "occurrences"} per
// kind), as the JSON report writes it; a collector bundle's manifest records its redaction alike.
void WriteReplacedJson(JsonWriter& w, const Redaction& redaction);

}  // namespace tediag
