#include "report/report_writers.h"
#include "report/writer_policy.h"
#include "util/text_util.h"

namespace tediag {
namespace {

using namespace report_policy;

// Table cells cannot hold pipes or line breaks.
std::string Cell(std::string_view s) { return ReplaceAll(ReplaceAll(ReplaceAll(s, "|", "\\|"), "\n", " "), "\r", " "); }

// Prose outside code: "<user-1>" or a log's "<private>" would be taken for an HTML tag and vanish.
std::string Prose(std::string_view s) { return ReplaceAll(s, "<", "\\<"); }

// A fenced block must not be closed early by a fence inside the evidence.
std::string Fenced(std::string_view s) { return ReplaceAll(s, "```", "`\u200b``"); }

void AppendEvidenceBlock(std::string& out, const Finding& f, size_t shown) {
  out += "```text\n";
  for (size_t i = 0; i < f.evidence.size() && i < shown; ++i) {
    const Evidence& e = f.evidence[i];
    StrAppend(out, Fenced(EvidenceHead(e)), "\n");
    if (ShownByLine(e)) {
      for (const EvidenceLine& line : e.lines) StrAppend(out, "    line ", line.line, "  ", Fenced(line.text), "\n");
      continue;
    }
    StrAppend(out, "    ", Fenced(ReplaceAll(e.text, "\n", "\n    ")), "\n");
  }
  out += "```\n";
  if (f.hits > shown) StrAppend(out, "\n_… and ", f.hits - shown, " more records._\n");
}

}  // namespace

std::string RenderMarkdown(const Report& report, const RenderOptions&) {
  std::string out = StrCat(kMarkdownTitle, "\n");
  size_t first_other = FirstOtherFinding(report);
  if (report.diagnosis) {
    const Finding& cause = report.findings[report.diagnosis->finding];
    StrAppend(out, "**Root cause:** ", cause.rule->title, "  \n", "**Class:** `", cause.rule->class_slug,
              "` · **App:** ", Prose(Cell(cause.app)), " · **Confidence:** ",
              ConfidenceName(report.diagnosis->confidence), " · **Rule:** `", cause.rule->id, "`  \n_",
              Prose(report.diagnosis->why), "_\n\n");
    StrAppend(out, Prose(cause.explanation), "\n\n**Evidence**\n\n");
    AppendEvidenceBlock(out, cause, kCauseEvidenceShown);
    out += "\n**Fix**\n\n";
    for (size_t i = 0; i < cause.rule->fix.size(); ++i) StrAppend(out, i + 1, ". ", cause.rule->fix[i], "\n");
    out += "\n**References**\n\n";
    for (const Reference& ref : cause.rule->references) StrAppend(out, "- [", ref.title, "](", ref.url, ")\n");
  } else {
    StrAppend(out, "**", kNoFailureHeadline, "** ");
    out += report.seen.summary.empty() ? std::string(kNothingShown) : Prose(report.seen.summary);
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
      StrAppend(out, "| ", SeverityName(f.rule->severity), " | `", f.rule->class_slug, "` | ", Prose(Cell(f.app)),
                " | ", title, " | ", f.hits, " | `", f.rule->id, "` |\n");
    }
    for (size_t i = first_other; i < report.findings.size(); ++i) {
      const Finding& f = report.findings[i];
      StrAppend(out, "\n#### ", Cell(f.rule->title), " — ", Prose(Cell(f.app)), "\n\n", Prose(f.explanation), "\n\n");
      AppendEvidenceBlock(out, f, kOtherEvidenceShown);
    }
  }

  if (!report.unexplained.empty()) {
    StrAppend(out, "\n### Lines that no rule explains\n\n", kUnexplainedIntro, "\n\n```text\n");
    for (const UnexplainedLine& line : report.unexplained) {
      StrAppend(out, Fenced(UnexplainedHead(line)), "\n    ", Fenced(line.text), "\n");
    }
    out += "```\n";
    uint64_t listed = UnexplainedListed(report);
    if (report.unexplained_total > listed) StrAppend(out, "\n_… and ", report.unexplained_total - listed, " more._\n");
  }

  StrAppend(out, "\n### Inputs\n\n", RecordsTotal(report), " records read with ", report.rules_loaded,
            " rules.\n\n| Input | Format | Records | Problems |\n|---|---|---|---|\n");
  for (const InputSummary& input : report.inputs) {
    std::vector<std::string> formats;
    for (InputFormat format : input.formats) formats.emplace_back(InputFormatName(format));
    std::vector<std::string> problems;
    for (const InputError& error : input.errors) {
      problems.push_back(error.line ? StrCat("line ", error.line, ": ", error.message) : error.message);
    }
    if (input.errors_total > input.errors.size())
      problems.push_back(StrCat("… and ", input.errors_total - input.errors.size(), " more"));
    StrAppend(out, "| `", Cell(input.path), "` | ", input.readable ? Join(formats, "+") : "not read", " | ",
              input.records, " | ", Prose(Cell(Join(problems, "; "))), " |\n");
  }
  if (report.redaction) StrAppend(out, "\n_", RedactionSentence(*report.redaction, /*code=*/true), "_\n");
  return out;
}

}  // namespace tediag
