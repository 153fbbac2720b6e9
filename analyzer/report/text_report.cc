#include <algorithm>

#include "report/report_writers.h"
#include "report/terminal_layout.h"
#include "report/writer_policy.h"
#include "util/text_util.h"

namespace tediag {
namespace {

using namespace report_policy;
using terminal_layout::Columns;

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string Bold(std::string_view s) const { return Wrap("1", s); }
  std::string Dim(std::string_view s) const { return Wrap("2", s); }
  std::string Severity(tediag::Severity severity, std::string_view s) const {
    switch (severity) {
      case Severity::kError: return Wrap("1;31", s);
      case Severity::kWarning: return Wrap("33", s);
      case Severity::kInfo: break;
    }
    return Wrap("36", s);
  }

 private:
  std::string Wrap(std::string_view code, std::string_view s) const {
    return color_ ? StrCat("\x1b[", code, "m", s, "\x1b[0m") : std::string(s);
  }
  bool color_;
};

// What every part of the text report is written with: colours and the screen's width.
// Without a screen (a pipe or a file: RenderOptions::width 0) prose still wraps at the default
// width, but nothing is cut or broken: what is written there is read by grep as much as by people.
struct Layout {
  Painter paint;
  size_t width;
  bool screen;
};

// Word-wraps `text` to the width, indented by `indent` spaces; wrapped lines are indented
// `hanging` spaces more (for numbered steps).
void AppendWrapped(std::string& out, std::string_view text, size_t indent, const Layout& layout, size_t hanging = 0) {
  for (std::string_view paragraph : Split(text, '\n')) {
    size_t column = 0;
    out.append(indent, ' ');
    for (std::string_view word : Split(paragraph, ' ', /*skip_empty=*/true)) {
      if (column > 0 && indent + column + 1 + Columns(word) > layout.width) {
        out.push_back('\n');
        out.append(indent + hanging, ' ');
        column = hanging;
      } else if (column > 0) {
        out.push_back(' ');
        ++column;
      }
      out.append(word);
      column += Columns(word);
    }
    out.push_back('\n');
  }
}

// An evidence line: tabs as spaces, cut to about two screen lines (the JSON report has it all).
std::string EvidenceLineText(std::string_view text, size_t indent, const Layout& layout) {
  if (!layout.screen) return std::string(text);
  return terminal_layout::TwoScreenLines(terminal_layout::ExpandTabs(text), indent, layout.width);
}

void AppendEvidence(std::string& out, const Finding& f, const Layout& layout, size_t shown) {
  const Painter& paint = layout.paint;
  for (size_t i = 0; i < f.evidence.size() && i < shown; ++i) {
    const Evidence& e = f.evidence[i];
    StrAppend(out, "    ", paint.Dim(EvidenceHead(e)), "\n");
    if (ShownByLine(e)) {
      for (const EvidenceLine& line : e.lines) {
        std::string head = StrCat("line ", line.line);
        StrAppend(out, "      ", paint.Dim(head), "  ", EvidenceLineText(line.text, 8 + head.size(), layout), "\n");
      }
      continue;
    }
    for (std::string_view line : Split(e.text, '\n')) StrAppend(out, "      ", EvidenceLineText(line, 6, layout), "\n");
  }
  uint64_t rest = f.hits - std::min<uint64_t>(f.hits, shown);
  if (rest > 0) StrAppend(out, "    … and ", rest, " more record", rest == 1 ? "" : "s", "\n");
  if (f.unattributed_hits == 0) return;
  StrAppend(out, "    ",
            paint.Dim(StrCat("The same, by ", f.unattributed_hits, f.unattributed_hits == 1 ? " line" : " lines",
                             " of this input that do", f.unattributed_hits == 1 ? "es" : "",
                             " not name the app (not counted):")),
            "\n");
  for (size_t i = 0; i < f.unattributed.size() && i < kOtherEvidenceShown; ++i) {
    const Evidence& e = f.unattributed[i];
    StrAppend(out, "    ", paint.Dim(EvidenceHead(e)), "\n");
    for (std::string_view line : Split(e.text, '\n')) StrAppend(out, "      ", EvidenceLineText(line, 6, layout), "\n");
  }
}

void AppendFindingDetail(std::string& out, const Finding& f, const Layout& layout) {
  const Painter& paint = layout.paint;
  AppendWrapped(out, f.explanation, 2, layout);
  StrAppend(out, "\n  ", paint.Bold("Evidence"), "\n");
  AppendEvidence(out, f, layout, kCauseEvidenceShown);
  StrAppend(out, "\n  ", paint.Bold("Fix"), "\n");
  for (size_t i = 0; i < f.rule->fix.size(); ++i) {
    std::string step = StrCat(i + 1, ". ", f.rule->fix[i]);
    AppendWrapped(out, step, 4, layout, 3);
  }
  StrAppend(out, "\n  ", paint.Bold("References"), "\n");
  for (const Reference& ref : f.rule->references) StrAppend(out, "    - ", ref.title, "\n      ", ref.url, "\n");
}

// "app Foo (com.example.foo)", or "app not named by the evidence".
std::string AppLabel(const Report& report, const std::optional<size_t>& app, const Painter& paint) {
  if (!app) return "app not named by the evidence";
  const AppIdentity& a = report.apps[*app];
  return StrCat("app ", paint.Bold(a.name),
                a.bundle_id.empty() || a.bundle_id == a.name ? "" : StrCat(" (", a.bundle_id, ")"));
}

// A finding listed under a diagnosis or among the others: title, class, rule, explanation, evidence.
void AppendShortFinding(std::string& out, const Report& report, const Finding& f, const Layout& layout, bool with_app) {
  const Painter& paint = layout.paint;
  StrAppend(out, "\n  ", paint.Severity(f.rule->severity, StrCat("[", SeverityName(f.rule->severity), "]")), " ",
            paint.Bold(f.rule->title), "\n    ", f.id, " · class ", f.rule->class_slug,
            with_app ? StrCat(" · ", AppLabel(report, f.app, paint)) : "", " · rule ", f.rule->id, "\n");
  if (!f.superseded_by.empty()) StrAppend(out, "    ", paint.Dim(StrCat("refined by ", f.superseded_by)), "\n");
  AppendWrapped(out, f.explanation, 4, layout);
  AppendEvidence(out, f, layout, kOtherEvidenceShown);
}

void AppendDiagnosis(std::string& out, const Report& report, size_t n, const Layout& layout) {
  const Painter& paint = layout.paint;
  const Diagnosis& d = report.diagnoses[n];
  const Finding& cause = report.findings[d.finding];
  std::string label =
      report.diagnoses.size() == 1 ? "ROOT CAUSE" : StrCat("ROOT CAUSE ", n + 1, " of ", report.diagnoses.size());
  StrAppend(out, "\n", paint.Severity(Severity::kError, label), "  ", paint.Bold(cause.rule->title), "\n");
  StrAppend(out, "  ", AppLabel(report, d.app, paint), " · class ", cause.rule->class_slug, " · confidence ",
            ConfidenceName(d.confidence), " · rule ", cause.rule->id, " · ", cause.id, "\n");
  AppendWrapped(out, paint.Dim(d.why), 2, layout);
  out.push_back('\n');
  AppendFindingDetail(out, cause, layout);
  if (d.contributing.empty()) return;
  StrAppend(out, "\n  ", paint.Bold(d.app ? StrCat("Also about ", report.apps[*d.app].name) : "Also in this input"),
            "\n");
  for (size_t i : d.contributing) AppendShortFinding(out, report, report.findings[i], layout, /*with_app=*/false);
}

void AppendUnexplained(std::string& out, const Report& report, const Layout& layout) {
  const Painter& paint = layout.paint;
  if (report.unexplained.empty()) return;
  StrAppend(out, "\n", paint.Bold("LINES THAT NO RULE EXPLAINS"), "\n");
  AppendWrapped(out, kUnexplainedIntro, 2, layout);
  for (const UnexplainedLine& line : report.unexplained) {
    StrAppend(out, "    ", paint.Dim(UnexplainedHead(line)), "\n      ", EvidenceLineText(line.text, 6, layout), "\n");
  }
  uint64_t listed = UnexplainedListed(report);
  if (report.unexplained_total > listed) StrAppend(out, "    … and ", report.unexplained_total - listed, " more\n");
}

void AppendInputs(std::string& out, const Report& report, const Painter& paint) {
  uint64_t records = RecordsTotal(report);
  StrAppend(out,
            paint.Bold(StrCat("Read ", report.inputs.size(), " input", report.inputs.size() == 1 ? "" : "s", ", ",
                              records, " record", records == 1 ? "" : "s", ", with ", report.rules_loaded, " rules")),
            "\n");
  if (!report.window.empty()) StrAppend(out, "  ", WindowSummary(report), "\n");
  for (const InputSummary& input : report.inputs) {
    if (!input.readable) {
      StrAppend(out, "  ", input.path, "  ", paint.Severity(Severity::kError, "not read"), ": ",
                input.errors.empty() ? "" : input.errors.front().message, "\n");
      continue;
    }
    std::vector<std::string> formats;
    for (InputFormat format : input.formats) formats.emplace_back(InputFormatName(format));
    StrAppend(out, "  ", input.path, "  ", formats.empty() ? "empty" : Join(formats, "+"), ", ", input.records,
              " record", input.records == 1 ? "" : "s");
    if (input.errors_total > 0) {
      StrAppend(out, ", ",
                paint.Severity(Severity::kWarning,
                               StrCat(input.errors_total, " problem", input.errors_total == 1 ? "" : "s")));
    }
    out.push_back('\n');
    for (const InputError& error : input.errors) {
      // Line 0 concerns the whole input.
      StrAppend(out, "    ", input.path, error.line ? StrCat(":", error.line) : "", ": ", error.message, "\n");
    }
    if (input.errors_total > input.errors.size()) {
      StrAppend(out, "    … and ", input.errors_total - input.errors.size(), " more (the first ", kMaxInputErrors,
                " are kept)\n");
    }
  }
  for (const RuleError& error : report.rule_errors) {
    StrAppend(out, "  ", paint.Severity(Severity::kWarning, "rule skipped"), " ", error.where, ": ", error.message,
              "\n");
  }
  for (const RuleError& replaced : report.rules_replaced) {
    StrAppend(out, "  rule replaced ", replaced.where, ": ", replaced.message, "\n");
  }
}

}  // namespace

std::string RedactionSentence(const Redaction& redaction, bool code) {
  struct Label {
    std::string_view kind, one, many;
  };
  static constexpr Label kLabels[] = {
      {"user", "user name", "user names"},
      {"host", "host or computer name", "host or computer names"},
      {"email", "e-mail address", "e-mail addresses"},
      {"ip", "IP address", "IP addresses"},
      {"mac", "MAC address", "MAC addresses"},
      {"serial", "serial number", "serial numbers"},
      {"machine-uuid", "machine identifier", "machine identifiers"},
  };
  if (redaction.replaced.empty()) {
    return "Redacted: no user or host names, addresses, serial numbers or machine identifiers were found to replace.";
  }
  std::vector<std::string> parts;
  for (const RedactedCount& count : redaction.replaced) {
    std::string_view one = count.kind, many = count.kind;
    for (const Label& label : kLabels) {
      if (label.kind == count.kind) one = label.one, many = label.many;
    }
    std::string placeholder = PlaceholderPattern(count.kind);
    if (code) placeholder = StrCat("`", placeholder, "`");
    parts.push_back(StrCat(count.values, " ", count.values == 1 ? one : many, " (", placeholder, ", ",
                           count.occurrences, count.occurrences == 1 ? " time)" : " times)"));
  }
  return StrCat("Redacted: replaced ", Join(parts, ", "),
                ". Bundle IDs, Team IDs, system paths and error codes are kept.");
}

std::string RenderText(const Report& report, const RenderOptions& options) {
  Layout layout{Painter(options.color), terminal_layout::ClampWidth(options.width), options.width != 0};
  const Painter& paint = layout.paint;
  std::string out;
  if (report.diagnoses.empty()) {
    std::string headline = report.headline.empty() ? std::string(kNoFailureHeadline) : report.headline;
    StrAppend(out, paint.Bold(headline), "\n");
    if (!report.nothing_read) {
      AppendWrapped(out, report.seen.summary.empty() ? kNothingShown : std::string_view(report.seen.summary), 2,
                    layout);
    }
    if (!report.seen.next.empty()) {
      StrAppend(out, "\n  ", paint.Bold("Collect next"), "\n");
      for (const std::string& step : report.seen.next) AppendWrapped(out, StrCat("- ", step), 4, layout, 2);
    }
  } else {
    AppendWrapped(out, paint.Bold(report.headline), 0, layout, 2);
    for (size_t n = 0; n < report.diagnoses.size(); ++n) AppendDiagnosis(out, report, n, layout);
  }

  std::vector<bool> shown(report.findings.size(), false);
  for (const Diagnosis& d : report.diagnoses) {
    shown[d.finding] = true;
    for (size_t i : d.contributing) shown[i] = true;
  }
  if (std::find(shown.begin(), shown.end(), false) != shown.end()) {
    StrAppend(out, "\n", paint.Bold(report.diagnoses.empty() ? "FINDINGS" : "OTHER FINDINGS"), "\n");
    for (size_t i = 0; i < report.findings.size(); ++i) {
      if (!shown[i]) AppendShortFinding(out, report, report.findings[i], layout, /*with_app=*/true);
    }
  }
  AppendUnexplained(out, report, layout);
  out.push_back('\n');
  AppendInputs(out, report, paint);
  if (report.redaction) {
    out.push_back('\n');
    AppendWrapped(out, RedactionSentence(*report.redaction), 0, layout);
  }
  return layout.screen ? terminal_layout::FitLines(out, layout.width) : out;
}

}  // namespace tediag
