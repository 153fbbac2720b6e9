// Gives each app its own diagnosis and orders the report.
//
// Rules of thumb (docs/FAILURE-CLASSES.md): findings are grouped by app (Finding::app; a finding
// whose evidence names no app is a group of its own, per input or crash report). Within a group,
// a finding whose rule `refines` another's rule or class supersedes it; the group's root cause
// is its best unsuperseded error finding: one that superseded another (the specific cause), then
// the one with evidence of more kinds (log and crash report), then more hits, then the first
// seen. A group without an error finding has no diagnosis; its findings are listed as others. A
// group that names no app has no diagnosis either when an app's diagnosis from the same input is
// of its class or refines it (it is that failure, seen by a line that does not say whose), and
// its confidence is never high.
//
// Diagnoses are ordered: the focused app's (--app) first, then those not outranked by a more
// specific error finding, then by confidence, specificity, whether the app is named, kinds of
// evidence and hits. With --app the report keeps only what may concern that app; when nothing
// does, the headline says so and names the apps that were seen. Report::headline is the one-line
// summary every writer opens with; when no input gave a record it says that nothing could be read.
#pragma once

#include "tediag/report.h"

namespace tediag {

void Diagnose(Report& report);

}  // namespace tediag
