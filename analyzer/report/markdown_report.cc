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
  if (f.unattributed_hits == 0) return;
  StrAppend(out, "\n_The same, by ", f.unattributed_hits, f.unattributed_hits == 1 ? " line" : " lines",
            " of this input that do", f.unattributed_hits == 1 ? "es" : "",
            " not name the app (not counted):_\n\n```text\n");
  for (size_t i = 0; i < f.unattributed.size() && i < kOtherEvidenceShown; ++i) {
    const Evidence& e = f.unattributed[i];
    StrAppend(out, Fenced(EvidenceHead(e)), "\n    ", Fenced(ReplaceAll(e.text, "\n", "\n    ")), "\n");
  }
  out += "```\n";
}

std::string AppText(const Report& report, const std::optional<size_t>& app) {
  if (!app) return "not named by the evidence";
  const AppIdentity& a = report.apps[*app];
  std::string text = Prose(Cell(a.name));
  if (!a.bundle_id.empty() && a.bundle_id != a.name) StrAppend(text, " (`", Cell(a.bundle_id), "`)");
  return text;
}

void AppendDiagnosis(std::string& out, const Report& report, size_t n) {
  const Diagnosis& d = report.diagnoses[n];
  const Finding& cause = report.findings[d.finding];
  if (report.diagnoses.size() > 1)
    StrAppend(out, "\n### ", n + 1, ". ",
              Prose(Cell(std::string(AppName(report, d.app)).empty() ? "App not named"
                                                                     : std::string(AppName(report, d.app)))),
              "\n\n");
  StrAppend(out, "**Root cause:** ", cause.rule->title, "  \n", "**Class:** `", cause.rule->class_slug, "` · **App:** ",
            AppText(report, d.app), " · **Confidence:** ", ConfidenceName(d.confidence), " · **Rule:** `",
            cause.rule->id, "` · ", cause.id, "  \n_", Prose(d.why), "_\n\n");
  StrAppend(out, Prose(cause.explanation), "\n\n**Evidence**\n\n");
  AppendEvidenceBlock(out, cause, kCauseEvidenceShown);
  out += "\n**Fix**\n\n";
  for (size_t i = 0; i < cause.rule->fix.size(); ++i) StrAppend(out, i + 1, ". ", cause.rule->fix[i], "\n");
  out += "\n**References**\n\n";
  for (const Reference& ref : cause.rule->references) StrAppend(out, "- [", ref.title, "](", ref.url, ")\n");
  if (d.contributing.empty()) return;
  StrAppend(out, "\n**", d.app ? "Also about this app" : "Also in this input", "**\n");
  for (size_t i : d.contributing) {
    const Finding& f = report.findings[i];
    StrAppend(out, "\n#### ", f.id, " ", Cell(f.rule->title), " (", SeverityName(f.rule->severity), ", `", f.rule->id,
              "`", f.superseded_by.empty() ? "" : StrCat(", refined by `", f.superseded_by, "`"), ")\n\n",
              Prose(f.explanation), "\n\n");
    AppendEvidenceBlock(out, f, kOtherEvidenceShown);
  }
}

// The user rules that were skipped or took a built-in rule's place (--rules, TEDIAG_RULES): a
// reader of the ticket must know the report did not come from the built-in rules alone.
void AppendRuleNotes(std::string& out, const Report& report) {
  if (report.rule_errors.empty() && report.rules_replaced.empty()) return;
  out += "\n### Rules\n\n";
  for (const RuleError& error : report.rule_errors) {
    StrAppend(out, "- **Rule skipped** `", Cell(error.where), "`: ", Prose(Cell(error.message)), "\n");
  }
  for (const RuleError& replaced : report.rules_replaced) {
    StrAppend(out, "- **Rule replaced** `", Cell(replaced.where), "`: ", Prose(Cell(replaced.message)), "\n");
  }
}

}  // namespace

std::string RenderMarkdown(const Report& report, const RenderOptions&) {
  std::string out = StrCat(kMarkdownTitle, "\n");
  if (!report.diagnoses.empty()) {
    StrAppend(out, "**", Prose(report.headline), "**\n");
    for (size_t n = 0; n < report.diagnoses.size(); ++n) AppendDiagnosis(out, report, n);
  } else {
    StrAppend(out, "**", report.headline.empty() ? std::string(kNoFailureHeadline) : Prose(report.headline), "** ");
    if (!report.nothing_read)
      out += report.seen.summary.empty() ? std::string(kNothingShown) : Prose(report.seen.summary);
    out += "\n";
    if (!report.seen.next.empty()) {
      out += "\n**Collect next**\n\n";
      for (const std::string& step : report.seen.next) StrAppend(out, "- ", Prose(step), "\n");
    }
  }

  std::vector<size_t> others;
  std::vector<bool> shown(report.findings.size(), false);
  for (const Diagnosis& d : report.diagnoses) {
    shown[d.finding] = true;
    for (size_t i : d.contributing) shown[i] = true;
  }
  for (size_t i = 0; i < report.findings.size(); ++i) {
    if (!shown[i]) others.push_back(i);
  }
  if (!others.empty()) {
    StrAppend(out, "\n### ", report.diagnoses.empty() ? "Findings" : "Other findings", "\n\n",
              "| Id | Severity | Class | App | Title | Records | Rule |\n|---|---|---|---|---|---|---|\n");
    for (size_t i : others) {
      const Finding& f = report.findings[i];
      std::string title = Cell(f.rule->title);
      if (!f.superseded_by.empty()) StrAppend(title, " (refined by `", f.superseded_by, "`)");
      StrAppend(out, "| ", f.id, " | ", SeverityName(f.rule->severity), " | `", f.rule->class_slug, "` | ",
                AppText(report, f.app), " | ", title, " | ", f.hits, " | `", f.rule->id, "` |\n");
    }
    for (size_t i : others) {
      const Finding& f = report.findings[i];
      StrAppend(out, "\n#### ", f.id, " ", Cell(f.rule->title), " — ", AppText(report, f.app), "\n\n",
                Prose(f.explanation), "\n\n");
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

  StrAppend(out, "\n### Inputs\n\n", RecordsTotal(report), " records read with ", report.rules_loaded, " rules.");
  if (!report.window.empty()) {
    std::string window = WindowSummary(report);
    window[0] = 'T';
    StrAppend(out, " ", window, ".");
  }
  StrAppend(out, "\n\n| Input | Format | Records | Problems |\n|---|---|---|---|\n");
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
  AppendRuleNotes(out, report);
  if (report.redaction) StrAppend(out, "\n_", RedactionSentence(*report.redaction, /*code=*/true), "_\n");
  return out;
}

}  // namespace tediag
