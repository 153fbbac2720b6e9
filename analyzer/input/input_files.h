// Turns the command line's INPUT arguments into readable inputs: files as given, folders walked
// recursively (in name order, symlinked folders not followed, so a link loop cannot trap the
// walk), "-" for standard input, archives expanded (archive_input.h) whether named or found in
// a folder. A unified log archive (`.logarchive`, a sysdiagnose's, a /private/var/db tree) and a
// lone .tracev3 are marked for the unified_log reader, not walked.
//
// Costs: the walk stats every entry; an archive is expanded here, into memory (within
// ArchiveLimits). Not thread-safe only in the sense that it reads the file system as it is.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "input/archive_input.h"

namespace tediag {

struct InputFile {
  std::string path = {};  // as shown in reports; "-" is shown as "(stdin)"
  bool stdin_ = false;
  std::string problem = {};  // set when the argument could not be expanded (missing path, ...)
  std::shared_ptr<const std::string> content = nullptr;  // already read (a member of an archive)
  // Named on the command line itself (a file, "-", or the problem of a named path or archive),
  // not found in a folder or an archive: a named input that cannot be read fails the run.
  bool named = false;
  // A unified log archive (a folder laid out as a .logarchive or a /private/var/db tree) or a
  // lone .tracev3: binary, read in place by the unified_log stage, never as text.
  bool unified_log = false;
  // A unified log archive unpacked from an archive file, or one of its tracev3 files: where it
  // is on disk (`path` is its name inside the archive, as reports show it); and the temporary
  // folder that holds it, removed when the last input holding it goes.
  std::string location = {};
  std::shared_ptr<const void> keep = nullptr;
};

// `progress` follows the archives as they are read (archive_input.h); may be empty.
std::vector<InputFile> ExpandInputs(const std::vector<std::string>& arguments, const ReadProgress& progress = {});

// The input's size when it is known without reading it: an archive member's, a file's, and
// standard input's when it is redirected from a regular file; 0 otherwise (a pipe).
uint64_t KnownSize(const InputFile& input);

// The one place that recognises a unified log archive folder (`log collect`'s `.logarchive`,
// the `system_logs.logarchive` of a sysdiagnose, a copy of /private/var/db/diagnostics beside its
// uuidtext): by its name, or by the tracev3 stores inside it (Persist/, Special/, …).
bool IsUnifiedLogArchive(const std::string& folder);
// The same for a path inside an archive: the part of `member` up to and including the
// `.logarchive` folder it is in, or empty.
std::string_view UnifiedLogArchivePrefix(std::string_view member);
// What a report says about a log archive it cannot read: how to turn it into text on a Mac.
std::string UnifiedLogArchiveProblem(std::string_view name);
// The input for an archive folder: marked unified_log when its tracev3 stores are there, else
// (a .logarchive without them) a problem saying how to convert it on a Mac.
InputFile UnifiedLogInput(const std::string& folder);

}  // namespace tediag
