// The exit statuses of `tediag` (README.md "Exit status" and `--help` document them). Each is
// derived from a typed outcome (AnalyzeOutcome, CollectFailure, a rule check's problems),
// never from an absl::StatusCode.
#pragma once

namespace tediag::cli {

inline constexpr int kExitAnalysed = 0;      // analysed (rules check/test: no problem)
inline constexpr int kExitThresholdMet = 1;  // --fail-on met (rules check/test: a problem)
inline constexpr int kExitUsage = 2;         // bad command line
inline constexpr int kExitNoInput = 3;       // nothing could be read: every input missing, refused or empty
inline constexpr int kExitInputNotRead = 4;  // analysed, but an input named on the command line was not read

// The exit status text every --help shows.
inline constexpr const char* kExitStatusHelp =
    "Exit status: 0 analysed; 1 the --fail-on threshold was met; 2 usage error; 3 nothing could\n"
    "be read (every input missing, refused or empty); 4 analysed, but an input named on the\n"
    "command line could not be read (1 wins over 4 when both hold).";

}  // namespace tediag::cli
