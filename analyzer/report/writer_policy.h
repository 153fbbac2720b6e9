// What the text and Markdown writers show alike, decided once: how much evidence, how a record
// is headed, what a report with no root cause says, what is counted. Each writer adds only its
// own markup (colour, fences, tables). Private to report/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tediag/report.h"

namespace tediag::report_policy {

// Evidence records shown for the root cause, and for every other finding.
inline constexpr size_t kCauseEvidenceShown = 5;
inline constexpr size_t kOtherEvidenceShown = 2;

// The headline and the default paragraph of a report that names no root cause.
inline constexpr std::string_view kNoFailureHeadline = "No trusted-execution failure found.";
inline constexpr std::string_view kNothingShown =
    "Nothing in these inputs shows a launch stopped by code signing, Gatekeeper, the App Sandbox or privacy consent.";
// Says what the "lines that no rule explains" section lists.
inline constexpr std::string_view kUnexplainedIntro =
    "They mention code signing, dyld, Gatekeeper, privacy consent, the sandbox or notarization.";

// Whether `e` is shown line by line (the matched lines of a crash report, each with its number)
// rather than as one text under one line number.
inline bool ShownByLine(const Evidence& e) { return e.lines.size() > 1; }

// "input:line  timestamp  process" (the line number left out when ShownByLine), empty parts
// left out.
std::string EvidenceHead(const Evidence& e);
// "input:line  process  (N times)" for a line no rule explains.
std::string UnexplainedHead(const UnexplainedLine& line);

// Records read from all inputs.
uint64_t RecordsTotal(const Report& report);
// "time window W: N records outside it, read but not matched[; M unified log chunksets …]", without
// a capital or a full stop; empty when the report has no time window.
std::string WindowSummary(const Report& report);
// The unexplained lines listed, repeats counted: report.unexplained_total minus this is "… and N more".
uint64_t UnexplainedListed(const Report& report);

}  // namespace tediag::report_policy
