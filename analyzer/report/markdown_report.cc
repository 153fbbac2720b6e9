#include "report/report_writers.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// Table cells cannot hold pipes or line breaks.
std::string Cell(std::string_view s) {
  return ReplaceAll(ReplaceAll(ReplaceAll(s, "|", "\\|"), "\n", " "), "\r", " ");
}

// Prose outside code: "<user-1>" or a log's "<private>" would be taken for an HTML tag and vanish.
std::string Prose(std::string_view s) { return ReplaceAll(s, "<", "\\<"); }

// A fenced block must not be closed early by a fence inside the evidence.
std::string Fenced(std::string_view s) { return ReplaceAll(s, "```", "`\u200b``"); }

void AppendEvidenceBlock(std::string& out, const Finding& f, size_t shown) {
  out += "```text\n";
  for (size_t i = 0; i < f.evidence.size() && i < shown; ++i) {
    const Evidence& e = f.evidence[i];
    bool several = e.lines.size() > 1;  // lines of a crash report: each with its own number
    std::string head = several ? e.input : StrCat(e.input, ":", e.line);
    if (!e.timestamp.empty()) StrAppend(head, "  ", e.timestamp);
    if (!e.process.empty()) StrAppend(head, "  ", e.process);
    StrAppend(out, Fenced(head), "\n");
    if (several) {
      for (const EvidenceLine& line : e.lines) StrAppend(out, "    line ", line.line, "  ", Fenced(line.text), "\n");
      continue;
    }
    StrAppend(out, "    ", Fenced(ReplaceAll(e.text, "\n", "\n    ")), "\n");
  }
  out += "```\n";
  if (f.hits > shown) StrAppend(out, "\n_… and ", f.hits - shown, " more records._\n");
}

}  // namespace

std::string RenderMarkdown(const Report& report) {
  std::string out = "## tediag diagnosis\n\n";
  size_t first_other = 0;
  if (report.diagnosis) {
    const Finding& cause = report.findings[report.diagnosis->finding];
    first_other = report.diagnosis->finding + 1;
    StrAppend(out, "**Root cause:** ", cause.rule->title, "  \n", "**Class:** `", cause.rule->class_slug,
                    "` · **App:** ", Prose(Cell(cause.app)), " · **Confidence:** ", ConfidenceName(report.diagnosis->confidence),
                    " · **Rule:** `", cause.rule->id, "`  \n_", Prose(report.diagnosis->why), "_\n\n");
    StrAppend(out, Prose(cause.explanation), "\n\n**Evidence**\n\n");
    AppendEvidenceBlock(out, cause, 5);
    out += "\n**Fix**\n\n";
    for (size_t i = 0; i < cause.rule->fix.size(); ++i) StrAppend(out, i + 1, ". ", cause.rule->fix[i], "\n");
    out += "\n**References**\n\n";
    for (const Reference& ref : cause.rule->references) StrAppend(out, "- [", ref.title, "](", ref.url, ")\n");
  } else {
    out += "**No trusted-execution failure found.** ";
    out += report.seen.summary.empty() ? "Nothing in these inputs shows a launch stopped by code signing, "
                                         "Gatekeeper, the App Sandbox or privacy consent."
                                       : Prose(report.seen.summary);
    out += "\n";
    if (!report.seen.next.empty()) {
      out += "\n**Collect next**\n\n";
      for (const std::string& step : report.seen.next) StrAppend(out, "- ", Prose(step), "\n");
    }
  }

  if (report.findings.size() > first_other) {
    StrAppend(out, "\n### ", report.diagnosis ? "Contributing and other findings" : "Findings", "\n\n",
                    "| Severity | Class | App | Title | Records | Rule |\n|---|---|---|---|---|---|\n");
    for (size_t i = first_other; i < report.findings.size(); ++i) {
      const Finding& f = report.findings[i];
      std::string title = Cell(f.rule->title);
      if (!f.superseded_by.empty()) StrAppend(title, " (refined by `", f.superseded_by, "`)");
      StrAppend(out, "| ", SeverityName(f.rule->severity), " | `", f.rule->class_slug, "` | ", Prose(Cell(f.app)), " | ",
                      title, " | ", f.hits, " | `", f.rule->id, "` |\n");
    }
    for (size_t i = first_other; i < report.findings.size(); ++i) {
      const Finding& f = report.findings[i];
      StrAppend(out, "\n#### ", Cell(f.rule->title), " — ", Prose(Cell(f.app)), "\n\n", Prose(f.explanation), "\n\n");
      AppendEvidenceBlock(out, f, 2);
    }
  }

  if (!report.unexplained.empty()) {
    out += "\n### Lines that no rule explains\n\nThey mention code signing, dyld, Gatekeeper, privacy consent, the sandbox "
           "or notarization.\n\n```text\n";
    uint64_t listed = 0;
    for (const UnexplainedLine& line : report.unexplained) {
      listed += line.count;
      std::string head = StrCat(line.input, ":", line.line);
      if (!line.process.empty()) StrAppend(head, "  ", line.process);
      if (line.count > 1) StrAppend(head, "  (", line.count, " times)");
      StrAppend(out, Fenced(head), "\n    ", Fenced(line.text), "\n");
    }
    out += "```\n";
    if (report.unexplained_total > listed) StrAppend(out, "\n_… and ", report.unexplained_total - listed, " more._\n");
  }

  uint64_t records = 0;
  for (const InputSummary& input : report.inputs) records += input.records;
  StrAppend(out, "\n### Inputs\n\n", records, " records read with ", report.rules_loaded,
                  " rules.\n\n| Input | Format | Records | Problems |\n|---|---|---|---|\n");
  for (const InputSummary& input : report.inputs) {
    std::vector<std::string> formats;
    for (InputFormat format : input.formats) formats.emplace_back(InputFormatName(format));
    std::vector<std::string> problems;
    for (const InputError& error : input.errors) {
      problems.push_back(error.line ? StrCat("line ", error.line, ": ", error.message) : error.message);
    }
    if (input.errors_total > input.errors.size()) problems.push_back(StrCat("… and ", input.errors_total - input.errors.size(), " more"));
    StrAppend(out, "| `", Cell(input.path), "` | ", input.readable ? Join(formats, "+") : "not read",
                    " | ", input.records, " | ", Prose(Cell(Join(problems, "; "))), " |\n");
  }
  if (report.redaction) StrAppend(out, "\n_", RedactionSentence(*report.redaction, /*code=*/true), "_\n");
  return out;
}

}  // namespace tediag
