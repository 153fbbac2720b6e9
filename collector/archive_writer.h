// Packs the finished bundle folder into one file to attach to a ticket, with libarchive:
// a .zip when libarchive can write zip, otherwise a .tar.gz.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace tediag::collector {

// Writes every regular file under `dir` (names relative to dir's parent, so the archive
// unpacks into one folder) to `base` + ".zip" (or ".tar.gz"); returns the file written.
absl::StatusOr<std::string> ArchiveFolder(const std::string& dir, const std::string& base);

}  // namespace tediag::collector
