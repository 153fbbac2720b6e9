// `collect --redact`: the archive that is sent, made from redacted copies of the bundle folder.
// The folder itself stays as it was written (it is the user's own, on their Mac); only what
// leaves the machine is redacted.
//
// Contract: one Redactor learns from every file of the folder (and from whatever the caller
// learned before, e.g. the app's path) before anything is redacted, so a name revealed in one
// file is replaced in all of them and the same value has the same placeholder everywhere.
// Then each text file's content and name are redacted ('<' and '>' of a placeholder become '_'
// in names, which must unpack on any OS); UTF-16 text is stored as UTF-8. Binary files are left
// out: they cannot be redacted line by line. The reports (every writer with a bundle file,
// report/report_writers.h) are rendered from `report` after RedactReport(), not copied.
// manifest.json is written anew from `manifest` and `commands` with each string redacted, last
// (so that it counts every file's replacements), and gains
//   "redaction": {"applied": true, "replaced": [{"kind", "placeholder", "values", "occurrences"}…],
//                 "left_out": ["NAME (WHAT IT IS)"…]}
// Costs: each file is read twice (learn, then redact) and held in memory while it is redacted;
// the archive is written from memory, so the redacted bundle is held whole until it is written.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "bundle.h"
#include "redact/redactor.h"
#include "tediag/report.h"

namespace tediag::collector {

// Writes the redacted archive of the finished bundle folder `dir` to `base` + ".zip" (or
// ".tar.gz") and returns the file written. `report` is the analysis of the folder; it is
// redacted in place (so the caller prints the redacted one). `manifest` and `commands` are what
// the folder's manifest.json was written from (the folder must hold one).
absl::StatusOr<std::string> WriteRedactedArchive(const std::string& dir, const std::string& base, Report& report,
                                                 const Manifest& manifest, const std::vector<CommandRecord>& commands,
                                                 Redactor& redactor);

}  // namespace tediag::collector
