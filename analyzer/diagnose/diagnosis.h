// Chooses the root cause among the findings and orders the report.
//
// Rules of thumb (docs/FAILURE-CLASSES.md): a finding whose rule `refines` another finding's rule or
// class for the same app supersedes it; only unsuperseded error findings can be the root cause;
// among them, one about the focused app (--app) wins, then one that superseded another (the
// specific cause), then the one with evidence of more kinds (log and crash report), then more
// hits, then the first seen. No error finding means no diagnosis.
#pragma once

#include "tediag/report.h"

namespace tediag {

void Diagnose(Report& report);

}  // namespace tediag
