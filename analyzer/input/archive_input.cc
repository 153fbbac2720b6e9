#include "input/archive_input.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "input/input_files.h"
#include "input/sysdiagnose.h"
#include "util/libarchive_error.h"
#include "util/libarchive_reader.h"
#include "util/temp_folder.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// Hidden files and folders, and the resource-fork copies macOS's Archive Utility adds.
bool IsHidden(std::string_view name) {
  for (std::string_view part : Split(name, '/', /*skip_empty=*/true)) {
    if (part.front() == '.' || part == "__MACOSX") return true;
  }
  return false;
}

// The member name a single compressed file gets until AppendArchiveInputs names it.
constexpr std::string_view kSingleFileMember = "\x01single";

// "x.log" for "dir/x.log.gz": a single compressed file's name without its compression suffix.
std::string SingleFileName(std::string_view path) {
  std::string name(path.substr(path.rfind('/') + 1));
  for (std::string_view suffix : {".gz", ".xz", ".bz2", ".gzip"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

// Where a log archive's members are being unpacked, and how far.
struct Unpacking {
  std::shared_ptr<TempFolder> folder;
  uint64_t bytes = 0;
  std::string problem;  // set when unpacking stopped: later log members are skipped
};

// Writes the current entry, `name` inside log archive `log`, under the temporary folder.
absl::Status Unpack(archive* reader, const std::string& name, ArchiveContents::LogArchive& log, uint64_t ratio_limit,
                    uint64_t in_memory, const ArchiveLimits& limits, Unpacking& u) {
  if (!u.folder) {
    absl::StatusOr<std::shared_ptr<TempFolder>> folder = TempFolder::Create("unpack");
    if (!folder.ok()) return folder.status();
    u.folder = std::move(*folder);
  }
  std::filesystem::path target = u.folder->Inside(name);
  if (target.empty()) return absl::OkStatus();  // "..": never written
  if (log.location.empty()) log.location = u.folder->Inside(log.name);
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return absl::PermissionDeniedError(StrCat("cannot unpack ", name, ": ", std::strerror(errno)));
  absl::Status status;
  char buffer[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(reader, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      status = absl::InvalidArgumentError(StrCat(name, ": cannot be expanded: ", ArchiveErrorText(reader)));
      break;
    }
    u.bytes += static_cast<uint64_t>(n);
    if (u.bytes > limits.max_extracted_bytes || u.bytes + in_memory > ratio_limit) {
      status = absl::ResourceExhaustedError(
          u.bytes > limits.max_extracted_bytes
              ? StrCat("the log archive unpacks to more than ", limits.max_extracted_bytes, " bytes (limit)")
              : StrCat("expands more than ", limits.max_ratio, " times its own size (a zip bomb?) (limit)"));
      break;
    }
    for (const char* at = buffer; at < buffer + n;) {
      ssize_t written = ::write(fd, at, static_cast<size_t>(buffer + n - at));
      if (written <= 0) {
        status = absl::ResourceExhaustedError(StrCat("cannot unpack ", name, ": ", std::strerror(errno)));
        break;
      }
      at += written;
    }
    if (!status.ok()) break;
  }
  ::close(fd);
  return status;
}

// The sysdiagnose whose log is `log_archive` ("x/system_logs.logarchive" → "x"), or nullopt.
std::optional<std::string> SysdiagnoseOf(std::string_view log_archive) {
  size_t slash = log_archive.rfind('/');
  std::string_view base = slash == std::string_view::npos ? log_archive : log_archive.substr(slash + 1);
  if (base != kSysdiagnoseLogArchive) return std::nullopt;
  return std::string(slash == std::string_view::npos ? std::string_view() : log_archive.substr(0, slash));
}

// The index of the sysdiagnose `name` is in, or SIZE_MAX.
size_t InSysdiagnose(const ArchiveContents& out, std::string_view name) {
  for (size_t i = 0; i < out.sysdiagnose_not_read.size(); ++i) {
    const std::string& root = out.sysdiagnose_not_read[i].first;
    if (root.empty() || (name.starts_with(root) && name.size() > root.size() && name[root.size()] == '/')) return i;
  }
  return SIZE_MAX;
}

// A log archive member: noted, and unpacked when allowed. A sysdiagnose's log makes the
// members of its sysdiagnose read so far that are not crash reports dropped.
void OnLogMember(archive* reader, archive_entry* entry, const std::string& name, std::string_view prefix,
                 uint64_t ratio_limit, const ArchiveLimits& limits, uint64_t& total, Unpacking& u,
                 ArchiveContents& out) {
  if (IsHidden(name)) {  // AppleDouble copies, __MACOSX/: never a log archive of their own
    archive_read_data_skip(reader);
    return;
  }
  auto log = std::find_if(out.log_archives.begin(), out.log_archives.end(),
                          [&](const ArchiveContents::LogArchive& l) { return l.name == prefix; });
  if (log == out.log_archives.end()) {
    log = out.log_archives.insert(out.log_archives.end(), {std::string(prefix)});
    if (std::optional<std::string> root = SysdiagnoseOf(prefix)) {
      out.sysdiagnose_not_read.push_back({*root, 0});
      std::erase_if(out.members, [&](const ArchiveMember& m) {
        size_t at = InSysdiagnose(out, m.name);
        if (at == SIZE_MAX || LooksLikeCrashReport(std::string_view(m.data).substr(0, 4096))) return false;
        ++out.sysdiagnose_not_read[at].second;
        total -= m.data.size();
        return true;
      });
    }
  }
  const bool regular = archive_entry_filetype(entry) == AE_IFREG;
  if (!regular || limits.max_extracted_bytes == 0 || !u.problem.empty()) {
    archive_read_data_skip(reader);
    return;
  }
  if (absl::Status status = Unpack(reader, name, *log, ratio_limit, total, limits, u); !status.ok()) {
    u.problem = StrCat(status.message());
  }
}

// The members of an opened archive of `archive_bytes` bytes, within the limits.
ArchiveContents ReadMembers(archive* reader, uint64_t archive_bytes, const ArchiveLimits& limits,
                            const ReadProgress& progress = {}) {
  ArchiveContents out;
  const uint64_t ratio_limit = archive_bytes * limits.max_ratio;
  const uint64_t byte_limit = std::min(limits.max_total_bytes, ratio_limit);
  uint64_t total = 0;
  uint64_t entries = 0;
  Unpacking unpacking;
  archive_entry* entry = nullptr;
  char buffer[1 << 16];
  for (;;) {
    int rc = archive_read_next_header(reader, &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      out.problem = StrCat("damaged archive after ", entries, " entries: ", ArchiveErrorText(reader));
      break;
    }
    if (++entries > limits.max_entries) {
      out.problem = StrCat("more than ", limits.max_entries, " entries; the rest is not read (limit)");
      break;
    }
    if (progress) progress(static_cast<uint64_t>(archive_filter_bytes(reader, -1)), archive_bytes);
    const char* raw_name = archive_entry_pathname(entry);
    std::string name = raw_name == nullptr ? "" : raw_name;
    // The raw format (a single compressed file) has no member name; it is marked empty here.
    if (archive_format(reader) == ARCHIVE_FORMAT_RAW) name = std::string(kSingleFileMember);
    if (std::string_view log_archive = UnifiedLogArchivePrefix(name); !log_archive.empty()) {
      OnLogMember(reader, entry, name, log_archive, ratio_limit, limits, total, unpacking, out);
      continue;
    }
    const bool regular = archive_entry_filetype(entry) == AE_IFREG || archive_format(reader) == ARCHIVE_FORMAT_RAW;
    if (!regular || name.empty() || IsHidden(name)) {
      archive_read_data_skip(reader);
      continue;
    }
    const size_t sysdiagnose = InSysdiagnose(out, name);
    ArchiveMember member{name, {}};
    bool stop = false, dropped = false;
    for (;;) {
      la_ssize_t n = archive_read_data(reader, buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) {
        out.problem = StrCat(name, ": cannot be expanded: ", ArchiveErrorText(reader));
        stop = true;
        break;
      }
      // In a sysdiagnose, a file that does not start like a crash report is only counted.
      if (member.data.empty() && sysdiagnose != SIZE_MAX &&
          !LooksLikeCrashReport(std::string_view(buffer, std::min<size_t>(static_cast<size_t>(n), 4096)))) {
        ++out.sysdiagnose_not_read[sysdiagnose].second;
        archive_read_data_skip(reader);
        dropped = true;
        break;
      }
      total += static_cast<uint64_t>(n);
      if (total > byte_limit) {
        out.problem =
            total > limits.max_total_bytes
                ? StrCat("expands to more than ", limits.max_total_bytes, " bytes; stopped at ", name, " (limit)")
                : StrCat("expands more than ", limits.max_ratio, " times its own size (a zip bomb?); stopped at ", name,
                         " (limit)");
        stop = true;
        break;
      }
      member.data.append(buffer, static_cast<size_t>(n));
    }
    if (stop) break;
    if (!dropped) out.members.push_back(std::move(member));
  }
  if (!unpacking.problem.empty() && out.problem.empty()) {
    out.problem = StrCat("its unified log is not read whole: ", unpacking.problem);
  }
  out.unpacked = std::move(unpacking.folder);
  return out;
}

}  // namespace

bool LooksLikeArchive(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[512] = {};
  in.read(head, sizeof head);
  return LooksLikeArchiveData(std::string_view(head, static_cast<size_t>(in.gcount())));
}

bool LooksLikeArchiveData(std::string_view head) {
  auto at = [&](size_t offset, std::string_view magic) {
    return head.substr(std::min(offset, head.size())).starts_with(magic);
  };
  return at(0, "PK\x03\x04") || at(0, "PK\x05\x06")  // zip (an empty one ends at once)
         || at(0, "\x1f\x8b")                        // gzip: .tar.gz, .tgz, a single .gz
         || at(0,
               "\xfd"
               "7zXZ") ||
         at(0, "BZh")          // xz, bzip2
         || at(257, "ustar");  // tar, uncompressed
}

ArchiveContents ReadArchive(const std::string& path, const ArchiveLimits& limits, const ReadProgress& progress) {
  ArchiveReader reader = NewArchiveReader(SingleCompressedFile::kReadAsOneMember);
  if (!reader) return {{}, "libarchive: out of memory"};
  if (archive_read_open_filename(reader.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return {{}, StrCat("not a readable archive: ", ArchiveErrorText(reader.get()))};
  }
  std::error_code ec;
  return ReadMembers(reader.get(), std::max<uint64_t>(std::filesystem::file_size(path, ec), 1), limits, progress);
}

ArchiveContents ReadArchiveData(std::string_view data, const ArchiveLimits& limits) {
  ArchiveReader reader = NewArchiveReader(SingleCompressedFile::kReadAsOneMember);
  if (!reader) return {{}, "libarchive: out of memory"};
  if (archive_read_open_memory(reader.get(), data.data(), data.size()) != ARCHIVE_OK) {
    return {{}, StrCat("not a readable archive: ", ArchiveErrorText(reader.get()))};
  }
  return ReadMembers(reader.get(), std::max<uint64_t>(data.size(), 1), limits);
}

void AppendArchiveInputs(const std::string& path, const ArchiveLimits& limits, std::vector<InputFile>& out,
                         const ReadProgress& progress) {
  ArchiveContents contents = ReadArchive(path, limits, progress);
  for (ArchiveMember& member : contents.members) {
    if (member.name == kSingleFileMember) member.name = SingleFileName(path);
    InputFile input{StrCat(path, ":", member.name), false, {}};
    input.content = std::make_shared<const std::string>(std::move(member.data));
    out.push_back(std::move(input));
  }
  for (const ArchiveContents::LogArchive& log : contents.log_archives) {
    if (!log.location.empty()) {
      out.push_back({.path = StrCat(path, ":", log.name),
                     .unified_log = true,
                     .location = log.location.string(),
                     .keep = contents.unpacked});
    } else {
      out.push_back(
          {StrCat(path, ":", log.name), false, UnifiedLogArchiveProblem(log.name.substr(log.name.rfind('/') + 1))});
    }
  }
  for (const auto& [root, count] : contents.sysdiagnose_not_read) {
    if (count != 0) out.push_back({StrCat(path, ":", root.empty() ? "." : root), false, SysdiagnoseNotRead(count)});
  }
  if (!contents.problem.empty()) {
    out.push_back({path, false, StrCat("archive: ", contents.problem)});
  } else if (contents.members.empty() && contents.log_archives.empty()) {
    out.push_back({path, false, "archive holds no files"});
  }
}

}  // namespace tediag
