// Inspection into the analyzer's pipeline (inspect_runner.h).
#include "inspect_runner.h"

#include "analyzer.h"
#include "bundle_inspector.h"

namespace tediag::inspect {

InspectResult RunInspection(const Matcher& matcher, const std::vector<std::string>& paths) {
  Observations all;
  for (const std::string& path : paths) InspectPath(path, all);
  InspectResult result;
  result.observations = all.list();
  std::string findings;
  for (const Observation& o : result.observations)
    if (o.kind == Observation::Kind::kFinding) findings += ObservationLine(o) + "\n";
  result.report = AnalyzeText(matcher, kInspectInputName, findings);
  return result;
}

}  // namespace tediag::inspect
