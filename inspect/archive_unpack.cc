// Unpacking an archive of code into a private folder (archive_unpack.h).
#include "archive_unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>

#include "fmt/core.h"
#include "input/archive_input.h"
#include "util/libarchive_error.h"
#include "util/libarchive_reader.h"

namespace tediag::inspect {
namespace fs = std::filesystem;
namespace {

struct WriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
using DiskPtr = std::unique_ptr<archive, WriteDeleter>;

// The parts of a '/'-separated name, without empty and "." parts.
std::vector<std::string_view> Parts(std::string_view name) {
  std::vector<std::string_view> out;
  while (!name.empty()) {
    size_t slash = name.find('/');
    std::string_view part = name.substr(0, slash);
    if (!part.empty() && part != ".") out.push_back(part);
    if (slash == std::string_view::npos) break;
    name.remove_prefix(slash + 1);
  }
  return out;
}

// A member name made relative and clean ("./A.app//x" -> "A.app/x"), or nullopt when it is
// absolute or climbs out with "..". Sets *reason.
std::optional<std::string> CleanName(std::string_view name, std::string* reason) {
  if (name.starts_with('/')) {
    *reason = "an absolute path";
    return std::nullopt;
  }
  std::string out;
  for (std::string_view part : Parts(name)) {
    if (part == "..") {
      *reason = "a path with '..' that would leave the archive (zip-slip)";
      return std::nullopt;
    }
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

// Whether a symlink at `link` (a clean relative name) with `target` resolves, lexically, inside
// the archive.
bool TargetStaysInside(std::string_view link, std::string_view target) {
  if (target.empty() || target.starts_with('/')) return false;
  std::vector<std::string_view> at = Parts(link);
  if (!at.empty()) at.pop_back();  // the folder the link is in
  for (std::string_view part : Parts(target)) {
    if (part != "..") {
      at.push_back(part);
    } else if (at.empty()) {
      return false;
    } else {
      at.pop_back();
    }
  }
  return true;
}

bool IsAppleDouble(std::string_view name) {
  std::vector<std::string_view> parts = Parts(name);
  return !parts.empty() && (parts.front() == "__MACOSX" || parts.back().starts_with("._"));
}

// What happens to one entry: refused (with a reason), skipped, or written.
enum class EntryOutcome { kWritten, kSkipped, kRefused };

struct Unpacker {
  archive* reader;
  archive* disk;
  const fs::path& root;
  uint64_t byte_limit;
  const UnpackLimits& limits;
  UnpackedArchive& out;

  // Rewrites the entry's names under the root; a refusal's reason goes into *reason.
  EntryOutcome Prepare(archive_entry* entry, const std::string& name, std::string* reason) {
    if (IsAppleDouble(name)) {
      ++out.apple_double;
      return EntryOutcome::kSkipped;
    }
    std::optional<std::string> clean = CleanName(name, reason);
    if (!clean) return EntryOutcome::kRefused;
    if (clean->empty()) return EntryOutcome::kSkipped;  // "./" itself
    const char* hardlink = archive_entry_hardlink(entry);
    mode_t type = archive_entry_filetype(entry);
    if (hardlink != nullptr) {
      std::optional<std::string> target = CleanName(hardlink, reason);
      if (!target || target->empty()) {
        *reason = "a hard link out of the archive";
        return EntryOutcome::kRefused;
      }
      archive_entry_set_hardlink(entry, (root / *target).c_str());
    } else if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(entry);
      if (target == nullptr || !TargetStaysInside(*clean, target)) {
        *reason = fmt::format("a symlink to '{}', outside the archive (codesign --strict refuses such a link)",
                              target == nullptr ? "" : target);
        return EntryOutcome::kRefused;
      }
    } else if (type == AE_IFREG || type == AE_IFDIR) {
      // Permission bits only, and always readable and writable by the owner (so the inspection can
      // read it and the folder can be removed); the x bits stay as they were.
      mode_t perm = archive_entry_perm(entry) & 0777;
      archive_entry_set_perm(entry, perm | (type == AE_IFDIR ? 0700 : 0600));
    } else {
      *reason = "not a file, folder or link (a device, fifo or socket)";
      return EntryOutcome::kRefused;
    }
    archive_entry_set_pathname(entry, (root / *clean).c_str());
    return EntryOutcome::kWritten;
  }

  // Copies the entry's data; false when unpacking must stop (a limit, damage).
  bool CopyData(const std::string& name) {
    const void* buffer = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    for (;;) {
      int rc = archive_read_data_block(reader, &buffer, &size, &offset);
      if (rc == ARCHIVE_EOF) return true;
      if (rc < ARCHIVE_WARN) {
        out.problems.push_back({name, fmt::format("cannot be expanded: {}", ArchiveErrorText(reader))});
        return false;
      }
      out.bytes += size;
      if (out.bytes > byte_limit) {
        out.problems.push_back(
            {name, out.bytes > limits.max_total_bytes
                       ? fmt::format("the archive expands to more than {} bytes; unpacking stopped here (limit)",
                                     limits.max_total_bytes)
                       : fmt::format("the archive expands more than {} times its own size (a zip bomb?); unpacking "
                                     "stopped here (limit)",
                                     limits.max_ratio)});
        return false;
      }
      if (archive_write_data_block(disk, buffer, size, offset) < ARCHIVE_WARN) {
        out.problems.push_back({name, fmt::format("cannot be written: {}", ArchiveErrorText(disk))});
        return true;  // this entry is lost; the next may still be written
      }
    }
  }

  // Unpacks every entry; an error when not even the first header can be read (not an archive).
  absl::Status Run() {
    archive_entry* entry = nullptr;
    for (uint64_t seen = 0;;) {
      int rc = archive_read_next_header(reader, &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN && seen == 0)
        return absl::InvalidArgumentError(fmt::format("not a readable archive: {}", ArchiveErrorText(reader)));
      if (rc < ARCHIVE_WARN) {
        out.problems.push_back({"", fmt::format("damaged after {} entries: {}", seen, ArchiveErrorText(reader))});
        break;
      }
      if (out.format.empty() && archive_format_name(reader) != nullptr) out.format = archive_format_name(reader);
      if (++seen > limits.max_entries) {
        out.problems.push_back(
            {"", fmt::format("more than {} entries; the rest is not unpacked (limit)", limits.max_entries)});
        break;
      }
      const char* raw = archive_entry_pathname(entry);
      std::string name = raw == nullptr ? "" : raw;
      std::string reason;
      EntryOutcome outcome = raw == nullptr ? (reason = "a name that cannot be read", EntryOutcome::kRefused)
                                            : Prepare(entry, name, &reason);
      if (outcome == EntryOutcome::kRefused) out.problems.push_back({name, "refused: " + reason});
      if (outcome != EntryOutcome::kWritten) {
        archive_read_data_skip(reader);
        continue;
      }
      if (archive_write_header(disk, entry) < ARCHIVE_WARN) {
        out.problems.push_back({name, fmt::format("refused: {}", ArchiveErrorText(disk))});
        archive_read_data_skip(reader);
        continue;
      }
      if (archive_entry_size(entry) > 0 && !CopyData(name)) break;
      archive_write_finish_entry(disk);
      ++out.entries;
    }
    if (archive_write_close(disk) < ARCHIVE_WARN)
      out.problems.push_back({"", fmt::format("finishing the folders failed: {}", ArchiveErrorText(disk))});
    return absl::OkStatus();
  }
};

}  // namespace

UnpackedArchive::UnpackedArchive(UnpackedArchive&& other) noexcept { *this = std::move(other); }

UnpackedArchive& UnpackedArchive::operator=(UnpackedArchive&& other) noexcept {
  if (this != &other) {
    std::swap(folder_, other.folder_);
    format = std::move(other.format);
    entries = other.entries;
    bytes = other.bytes;
    apple_double = other.apple_double;
    problems = std::move(other.problems);
  }
  return *this;
}

UnpackedArchive::~UnpackedArchive() = default;

const fs::path& UnpackedArchive::root() const {
  static const fs::path kNone;
  return folder_ ? folder_->path() : kNone;
}

bool LooksLikeCodeArchive(const fs::path& path) { return LooksLikeArchive(path.string()); }

absl::StatusOr<UnpackedArchive> UnpackArchive(const fs::path& path, const UnpackLimits& limits) {
  ArchiveReader reader = NewArchiveReader(SingleCompressedFile::kRefused);
  DiskPtr disk(archive_write_disk_new());
  if (!reader || !disk) return absl::ResourceExhaustedError("libarchive: out of memory");
  if (archive_read_open_filename(reader.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return absl::InvalidArgumentError(fmt::format("not a readable archive: {}", ArchiveErrorText(reader.get())));
  // TempFolder gives the folder's real path: the symlink check below would refuse to write
  // through macOS's /tmp, itself a symlink.
  absl::StatusOr<std::shared_ptr<TempFolder>> folder = TempFolder::Create("inspect");
  if (!folder.ok()) return folder.status();
  UnpackedArchive out;
  out.folder_ = *std::move(folder);
  std::error_code ec;
  // Secure-symlink and no-dot-dot checks are libarchive's second line of defence behind Prepare.
  archive_write_disk_set_options(disk.get(), ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_NO_OVERWRITE);
  uint64_t archive_bytes = std::max<uint64_t>(fs::file_size(path, ec), 1);
  uint64_t byte_limit = std::min(limits.max_total_bytes, archive_bytes * limits.max_ratio);
  absl::Status status = Unpacker{reader.get(), disk.get(), out.root(), byte_limit, limits, out}.Run();
  if (!status.ok()) return status;  // `out` removes its folder
  return out;
}

}  // namespace tediag::inspect
