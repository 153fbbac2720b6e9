#include "report/report_writers.h"
#include "report/writer_policy.h"
#include "util/text_util.h"

namespace tediag {
namespace {

using namespace report_policy;

constexpr size_t kWidth = 100;

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

// Word-wraps `text` to kWidth columns, indented by `indent` spaces; wrapped lines are indented
// `hanging` spaces more (for numbered steps).
void AppendWrapped(std::string& out, std::string_view text, size_t indent, size_t hanging = 0) {
  for (std::string_view paragraph : Split(text, '\n')) {
    size_t column = 0;
    out.append(indent, ' ');
    for (std::string_view word : Split(paragraph, ' ', /*skip_empty=*/true)) {
      if (column > 0 && indent + column + 1 + word.size() > kWidth) {
        out.push_back('\n');
        out.append(indent + hanging, ' ');
        column = hanging;
      } else if (column > 0) {
        out.push_back(' ');
        ++column;
      }
      out.append(word);
      column += word.size();
    }
    out.push_back('\n');
  }
}

void AppendEvidence(std::string& out, const Finding& f, const Painter& paint, size_t shown) {
  for (size_t i = 0; i < f.evidence.size() && i < shown; ++i) {
    const Evidence& e = f.evidence[i];
    StrAppend(out, "    ", paint.Dim(EvidenceHead(e)), "\n");
    if (ShownByLine(e)) {
      for (const EvidenceLine& line : e.lines)
        StrAppend(out, "      ", paint.Dim(StrCat("line ", line.line)), "  ", line.text, "\n");
      continue;
    }
    std::string_view text = e.text;
    for (std::string_view line : Split(text, '\n')) StrAppend(out, "      ", line, "\n");
  }
  uint64_t rest = f.hits - std::min<uint64_t>(f.hits, shown);
  if (rest > 0) StrAppend(out, "    … and ", rest, " more record", rest == 1 ? "" : "s", "\n");
}

void AppendFindingDetail(std::string& out, const Finding& f, const Painter& paint) {
  AppendWrapped(out, f.explanation, 2);
  StrAppend(out, "\n  ", paint.Bold("Evidence"), "\n");
  AppendEvidence(out, f, paint, kCauseEvidenceShown);
  StrAppend(out, "\n  ", paint.Bold("Fix"), "\n");
  for (size_t i = 0; i < f.rule->fix.size(); ++i) {
    std::string step = StrCat(i + 1, ". ", f.rule->fix[i]);
    AppendWrapped(out, step, 4, 3);
  }
  StrAppend(out, "\n  ", paint.Bold("References"), "\n");
  for (const Reference& ref : f.rule->references) StrAppend(out, "    - ", ref.title, "\n      ", ref.url, "\n");
}

void AppendUnexplained(std::string& out, const Report& report, const Painter& paint) {
  if (report.unexplained.empty()) return;
  StrAppend(out, "\n", paint.Bold("LINES THAT NO RULE EXPLAINS"), "\n");
  AppendWrapped(out, kUnexplainedIntro, 2);
  for (const UnexplainedLine& line : report.unexplained) {
    StrAppend(out, "    ", paint.Dim(UnexplainedHead(line)), "\n      ", line.text, "\n");
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
  Painter paint(options.color);
  std::string out;
  size_t first_other = FirstOtherFinding(report);
  if (report.diagnosis) {
    const Finding& cause = report.findings[report.diagnosis->finding];
    StrAppend(out, paint.Severity(Severity::kError, "ROOT CAUSE"), "  ", paint.Bold(cause.rule->title), "\n");
    StrAppend(out, "  class ", cause.rule->class_slug, " · app ", paint.Bold(cause.app), " · confidence ",
              ConfidenceName(report.diagnosis->confidence), " · rule ", cause.rule->id, "\n");
    StrAppend(out, "  ", paint.Dim(report.diagnosis->why), "\n\n");
    AppendFindingDetail(out, cause, paint);
  } else {
    StrAppend(out, paint.Bold(kNoFailureHeadline), "\n");
    AppendWrapped(out, report.seen.summary.empty() ? kNothingShown : std::string_view(report.seen.summary), 2);
    if (!report.seen.next.empty()) {
      StrAppend(out, "\n  ", paint.Bold("Collect next"), "\n");
      for (const std::string& step : report.seen.next) AppendWrapped(out, StrCat("- ", step), 4, 2);
    }
  }

  if (report.findings.size() > first_other) {
    StrAppend(out, "\n", paint.Bold(report.diagnosis ? "CONTRIBUTING AND OTHER FINDINGS" : "FINDINGS"), "\n");
    for (size_t i = first_other; i < report.findings.size(); ++i) {
      const Finding& f = report.findings[i];
      StrAppend(out, "\n", paint.Severity(f.rule->severity, StrCat("[", SeverityName(f.rule->severity), "]")), " ",
                paint.Bold(f.rule->title), "\n  class ", f.rule->class_slug, " · app ", f.app, " · rule ", f.rule->id,
                "\n");
      if (!f.superseded_by.empty()) StrAppend(out, "  ", paint.Dim(StrCat("refined by ", f.superseded_by)), "\n");
      AppendWrapped(out, f.explanation, 2);
      AppendEvidence(out, f, paint, kOtherEvidenceShown);
    }
  }
  AppendUnexplained(out, report, paint);
  out.push_back('\n');
  AppendInputs(out, report, paint);
  if (report.redaction) {
    out.push_back('\n');
    AppendWrapped(out, RedactionSentence(*report.redaction), 0);
  }
  return out;
}

}  // namespace tediag
