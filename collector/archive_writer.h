// Packs the finished bundle folder into one file to attach to a ticket, with libarchive:
// a .zip when libarchive can write zip, otherwise a .tar.gz.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tediag::collector {

// Writes every regular file under `dir` (names relative to dir's parent, so the archive
// unpacks into one folder) to `base` + ".zip" (or ".tar.gz"); returns the file written.
absl::StatusOr<std::string> ArchiveFolder(const std::string& dir, const std::string& base);

// The regular files under `dir` that ArchiveFolder packs (hidden ones left out), sorted.
absl::StatusOr<std::vector<std::string>> ListFolder(const std::string& dir);

// One member of an archive written from memory: `name` is its path inside the archive.
struct ArchiveEntry {
  std::string name;
  std::string data;
};

// Writes `entries`, in their order, to `base` + ".zip" (or ".tar.gz"); returns the file written.
// For archives whose content is not the folder's as it is on disk (a redacted bundle).
absl::StatusOr<std::string> ArchiveEntries(const std::vector<ArchiveEntry>& entries, const std::string& base);

}  // namespace tediag::collector
