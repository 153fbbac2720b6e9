// Inspection into the analyzer's pipeline (inspect_runner.h).
#include "inspect_runner.h"

#include "analyzer.h"
#include "bundle_inspector.h"

namespace tediag::inspect {
namespace {

// The pipeline saw the finding lines as one text input; each piece of evidence is really about
// the file its line names. It takes that file as its input, with line 0 (the file as a whole:
// a Mach-O has no lines) and no process (the pseudo-process "tediag-inspect").
void PointEvidenceAtFiles(const std::vector<Observation>& observations, Report& report) {
  std::vector<const Observation*> by_line{nullptr};  // by_line[n]: the observation on line n
  for (const Observation& o : observations)
    if (o.kind == Observation::Kind::kFinding) by_line.push_back(&o);
  auto point = [&](Evidence& e) {
    if (e.input != kInspectInputName || e.line == 0 || e.line >= by_line.size()) return;
    e.input = by_line[e.line]->path;
    e.line = e.record_line = 0;
    e.process.clear();
    for (EvidenceLine& line : e.lines) line.line = 0;
  };
  for (Finding& f : report.findings) {
    for (Evidence& e : f.evidence) point(e);
    for (Evidence& e : f.unattributed) point(e);
  }
}

// Problems with an input (an archive that cannot be unpacked, an entry refused) are listed with
// the inputs, as analyze lists an input it could not read, not diagnosed.
void AddInputProblems(const std::vector<Observation>& observations, Report& report) {
  for (const Observation& o : observations) {
    if (o.kind != Observation::Kind::kProblem) continue;
    InputSummary input;
    input.path = o.path;
    input.readable = o.code != "archive-unreadable";
    input.errors.push_back({0, o.detail});
    input.errors_total = 1;
    report.inputs.push_back(std::move(input));
  }
}

}  // namespace

InspectResult RunInspection(const Matcher& matcher, const std::vector<std::string>& paths) {
  Observations all;
  for (const std::string& path : paths) InspectPath(path, all);
  InspectResult result;
  result.observations = all.list();
  std::string findings;
  for (const Observation& o : result.observations)
    if (o.kind == Observation::Kind::kFinding) findings += ObservationLine(o) + "\n";
  result.report = AnalyzeText(matcher, kInspectInputName, findings);
  PointEvidenceAtFiles(result.observations, result.report);
  AddInputProblems(result.observations, result.report);
  return result;
}

}  // namespace tediag::inspect
