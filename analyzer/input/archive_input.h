// Reads an archive (zip; tar, plain or compressed with gzip, xz or bzip2; or one file compressed
// alone, x.log.gz) (a collector bundle sent to support) as a set of inputs, with
// libarchive. Expansion is bounded: total expanded bytes, number of entries and the expansion
// ratio are limited, so a hostile archive (a zip bomb) cannot exhaust memory. A limit that is
// hit is reported as an error on the archive, never silently; entries read before it are kept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tediag {

struct ArchiveLimits {
  uint64_t max_total_bytes = uint64_t{1} << 30;  // 1 GiB expanded, all entries together
  uint64_t max_entries = 10000;
  uint64_t max_ratio = 200;  // expanded bytes per archive byte, over the whole archive
};

struct ArchiveMember {
  std::string name;  // path inside the archive
  std::string data;
};

struct ArchiveContents {
  std::vector<ArchiveMember> members = {};  // regular files, hidden ones (.DS_Store, __MACOSX/) left out
  std::string problem = {};                 // set when reading stopped early: the reason
  // The unified log archives inside ("sysdiagnose/system_logs.logarchive"), whose members are
  // not read (see IsUnifiedLogArchive).
  std::vector<std::string> log_archives = {};
};

// Whether the file starts like a zip, a tar, or a gzip, xz or bzip2 stream (content, not the
// name, decides).
bool LooksLikeArchive(const std::string& path);
// The same for the first 512 bytes of a file (fewer when it is shorter).
bool LooksLikeArchiveData(std::string_view head);

ArchiveContents ReadArchive(const std::string& path, const ArchiveLimits& limits = {});
// The same for an archive already in memory.
ArchiveContents ReadArchiveData(std::string_view data, const ArchiveLimits& limits = {});

struct InputFile;
// The archive's members as inputs named "ARCHIVE:member", their content already read; a
// problem becomes one more input that cannot be read, so the report shows it.
void AppendArchiveInputs(const std::string& path, const ArchiveLimits& limits, std::vector<InputFile>& out);

}  // namespace tediag
