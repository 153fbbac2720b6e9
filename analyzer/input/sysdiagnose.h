// What tediag reads of a sysdiagnose (a folder, or the .tar.gz `sysdiagnose` writes): its unified
// log (`system_logs.logarchive`) and its crash reports; the rest (plists, tool outputs, spindumps,
// thousands of files) is counted and reported in one line, not read. A sysdiagnose is recognised
// by layout: a folder that holds `system_logs.logarchive`. A crash report is recognised by
// content (its first bytes), not by its name or folder.
// Pure functions. (A log archive inside an archive file is unpacked into a util/temp_folder.h.)
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tediag {

// The name of a sysdiagnose's unified log, the mark of a sysdiagnose.
inline constexpr std::string_view kSysdiagnoseLogArchive = "system_logs.logarchive";

// Whether `folder` holds a `system_logs.logarchive` folder.
bool IsSysdiagnoseFolder(const std::filesystem::path& folder);

// Whether `head` (a file's first few KiB) starts a crash report: an .ips (its JSON header line
// names a bug_type) or a text report (Incident Identifier, or Process: and Exception Type:).
bool LooksLikeCrashReport(std::string_view head);
// The same for the first 4 KiB of a file.
bool FileLooksLikeCrashReport(const std::filesystem::path& file);

// The one line a report gives for the files of a sysdiagnose that were not read.
std::string SysdiagnoseNotRead(uint64_t files);

}  // namespace tediag
