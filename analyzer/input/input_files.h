// Turns the command line's INPUT arguments into readable inputs: files as given, folders walked
// recursively (in name order, symlinked folders not followed, so a link loop cannot trap the
// walk), "-" for standard input, zip and tar.gz archives expanded (archive_input.h), unified log
// archives and .tracev3 files marked for their own reader (not walked).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tediag {

struct InputFile {
  std::string path = {};  // as shown in reports; "-" is shown as "(stdin)"
  bool stdin_ = false;
  std::string problem = {};  // set when the argument could not be expanded (missing path, ...)
  std::shared_ptr<const std::string> content = nullptr;  // already read (a member of an archive)
  // A unified log archive (a folder laid out as a .logarchive or a /private/var/db tree) or a
  // lone .tracev3: binary, read in place by the unified_log stage, never as text.
  bool unified_log = false;
};

// Whether `dir` is laid out as a unified log archive: Persist/, Special/, Signpost/ or
// HighVolume/ holding .tracev3 files (or logdata.LiveData.tracev3), directly or under
// Diagnostics/ beside uuidtext/. Decided by layout alone; a folder walk stops there.
bool IsUnifiedLogArchive(const std::string& dir);

std::vector<InputFile> ExpandInputs(const std::vector<std::string>& arguments);

}  // namespace tediag
