// What tediag saw, in plain words, for a result that names no root cause: the crash reports read
// (process, exception and signal, termination, dyld's message) and what each one is, why that is
// not a trusted-execution failure, and what to collect next.
//
// Both readings come from tables (analyzer/seen.cc): a crash report is read by the first row whose
// tests its fields pass; the next steps are chosen by the kinds of input that are missing. Adding
// a reading is a row, not code. Cheap: runs once per crash report and once per report.
#pragma once

#include "tediag/record.h"
#include "tediag/report.h"

namespace tediag {

// What a crash report shows; `input` names it. Fills everything but the location.
SeenCrash DescribeCrash(const Record& crash);

// Fills report.seen.summary and report.seen.next from the inputs, report.seen.crashes, the
// unexplained lines and the findings. Leaves them empty when the report has a diagnosis.
void DescribeSeen(Report& report);

}  // namespace tediag
