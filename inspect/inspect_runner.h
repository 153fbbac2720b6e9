// `tediag inspect` end to end: inspects every path (bundle_inspector.h), then hands the
// findings, as their tediag-inspect lines (inspection.h), to the analyzer's pipeline, so they
// are matched by the same rules (rules/inspect.yaml), diagnosed and reported like any input.
// Facts stay out of the pipeline: they describe, the rules judge.
//
// Cost: the inspection (see bundle_inspector.h) plus one AnalyzeText over a few lines.
// Thread-safe as long as each call has its own result.
#pragma once

#include <string>
#include <vector>

#include "inspection.h"
#include "match/matcher.h"
#include "tediag/report.h"

namespace tediag::inspect {

struct InspectResult {
  std::vector<Observation> observations;  // in inspection order, facts and findings
  Report report;                          // the findings diagnosed by the rules
};

// The label the report gives the inspection as its one input.
inline constexpr std::string_view kInspectInputName = "tediag inspect";

InspectResult RunInspection(const Matcher& matcher, const std::vector<std::string>& paths);

}  // namespace tediag::inspect
