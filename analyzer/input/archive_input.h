// Reads an archive (zip; tar, plain or compressed with gzip, xz or bzip2; or one file compressed
// alone, x.log.gz) (a collector bundle sent to support) as a set of inputs, with
// libarchive. Expansion is bounded: total expanded bytes, number of entries and the expansion
// ratio are limited, so a hostile archive (a zip bomb) cannot exhaust memory. A limit that is
// hit is reported as an error on the archive, never silently; entries read before it are kept.
//
// A unified log archive inside (a sysdiagnose's system_logs.logarchive) is unpacked, member by
// member as the stream goes by, into a private temporary folder (sysdiagnose.h TempFolder) that
// the unified log reader reads in place: its tracev3 files are read by offset and its uuidtext
// files only when an entry needs them, which a stream cannot give. Bounded by
// max_extracted_bytes; the folder is removed when the last input that holds it goes. In a
// sysdiagnose (a folder holding system_logs.logarchive), only crash reports are kept besides
// its log; the rest is counted, in one line (sysdiagnose.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tediag {

struct ArchiveLimits {
  uint64_t max_total_bytes = uint64_t{1} << 30;  // 1 GiB expanded, all entries together
  uint64_t max_entries = 100000;                 // a sysdiagnose holds thousands (its log's uuidtext)
  uint64_t max_ratio = 200;                      // expanded bytes per archive byte, over the whole archive
  // Unified log archives inside, unpacked to a temporary folder; 0: not unpacked, reported as
  // an archive tediag cannot read here (the fuzzer's setting).
  uint64_t max_extracted_bytes = uint64_t{8} << 30;
};

struct ArchiveMember {
  std::string name;  // path inside the archive
  std::string data;
};

struct ArchiveContents {
  std::vector<ArchiveMember> members = {};  // regular files, hidden ones (.DS_Store, __MACOSX/) left out
  std::string problem = {};                 // set when reading stopped early: the reason
  // The unified log archives inside ("sysdiagnose/system_logs.logarchive") (see
  // IsUnifiedLogArchive), and where each was unpacked ("" when it was not).
  struct LogArchive {
    std::string name;
    std::filesystem::path location = {};
  };
  std::vector<LogArchive> log_archives = {};
  std::shared_ptr<const void> unpacked = nullptr;  // the temporary folder; removed with its last holder
  // Sysdiagnoses inside (the folder holding system_logs.logarchive, "" for the archive's top) and
  // how many of their files were left out: neither its log nor a crash report.
  std::vector<std::pair<std::string, uint64_t>> sysdiagnose_not_read = {};
};

// Called as an archive is read, after each member: its bytes consumed so far and its size (a
// sysdiagnose's log takes a while to unpack). May be empty.
using ReadProgress = std::function<void(uint64_t read, uint64_t total)>;

// Whether the file starts like a zip, a tar, or a gzip, xz or bzip2 stream (content, not the
// name, decides).
bool LooksLikeArchive(const std::string& path);
// The same for the first 512 bytes of a file (fewer when it is shorter).
bool LooksLikeArchiveData(std::string_view head);

ArchiveContents ReadArchive(const std::string& path, const ArchiveLimits& limits = {},
                            const ReadProgress& progress = {});
// The same for an archive already in memory.
ArchiveContents ReadArchiveData(std::string_view data, const ArchiveLimits& limits = {});

struct InputFile;
// The archive's members as inputs named "ARCHIVE:member", their content already read; a
// problem becomes one more input that cannot be read, so the report shows it.
void AppendArchiveInputs(const std::string& path, const ArchiveLimits& limits, std::vector<InputFile>& out,
                         const ReadProgress& progress = {});

}  // namespace tediag
