#include "archive_writer.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "util/libarchive_error.h"
#include "util/text_util.h"

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

fs::path FolderRoot(const std::string& dir) {
  fs::path root = fs::path(dir).lexically_normal();
  if (root.filename().empty()) root = root.parent_path();
  return root;
}

// Opens `base` + ".zip" (or ".tar.gz" where libarchive has no zip writer); sets `path`.
absl::StatusOr<ArchivePtr> OpenArchive(const std::string& base, std::string& path) {
  ArchivePtr writer(archive_write_new());
  if (!writer) return absl::ResourceExhaustedError("libarchive: out of memory");
  path = StrCat(base, ".zip");
  if (archive_write_set_format_zip(writer.get()) != ARCHIVE_OK) {
    writer.reset(archive_write_new());
    path = StrCat(base, ".tar.gz");
    if (archive_write_set_format_pax_restricted(writer.get()) != ARCHIVE_OK ||
        archive_write_add_filter_gzip(writer.get()) != ARCHIVE_OK) {
      return absl::UnimplementedError("libarchive can write neither zip nor tar.gz here");
    }
  }
  if (archive_write_open_filename(writer.get(), path.c_str()) != ARCHIVE_OK) {
    return absl::PermissionDeniedError(StrCat("cannot write ", path, ": ", ArchiveErrorText(writer.get())));
  }
  return writer;
}

// libarchive's last error as a status: its errno picks the code (ENOSPC: resource exhausted,
// EACCES: permission denied, ...), its text the message.
absl::Status ArchiveError(archive* writer, std::string_view what) {
  int code = archive_errno(writer);
  return absl::ErrnoToStatus(code > 0 ? code : EIO, StrCat(what, ": ", ArchiveErrorText(writer)));
}

absl::Status AddHeader(archive* writer, const std::string& name, uintmax_t size) {
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
  if (archive_write_header(writer, entry.get()) != ARCHIVE_OK) {
    return ArchiveError(writer, StrCat("cannot add ", name));
  }
  return absl::OkStatus();
}

absl::Status Close(archive* writer, const std::string& path) {
  if (archive_write_close(writer) != ARCHIVE_OK) {
    return ArchiveError(writer, StrCat("cannot finish ", path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListFolder(const std::string& dir) {
  fs::path root = FolderRoot(dir);
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().filename().string()[0] != '.') files.push_back(it->path().string());
  }
  if (ec) return absl::ErrnoToStatus(ec.value(), StrCat("while reading ", dir));
  std::sort(files.begin(), files.end());
  return files;
}

absl::StatusOr<std::string> ArchiveFolder(const std::string& dir, const std::string& base) {
  std::string path;
  absl::StatusOr<ArchivePtr> writer = OpenArchive(base, path);
  if (!writer.ok()) return writer.status();
  absl::StatusOr<std::vector<std::string>> files = ListFolder(dir);
  if (!files.ok()) return files.status();

  fs::path root = FolderRoot(dir);
  std::vector<char> buffer(1 << 16);
  for (const std::string& file : *files) {
    std::string name = (root.filename() / fs::path(file).lexically_relative(root)).generic_string();
    std::ifstream in(file, std::ios::binary);
    std::error_code size_ec;
    uintmax_t size = fs::file_size(file, size_ec);
    if (!in || size_ec) return absl::ErrnoToStatus(size_ec ? size_ec.value() : errno, StrCat("cannot read ", file));
    if (absl::Status status = AddHeader(writer->get(), name, size); !status.ok()) return status;
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      std::streamsize n = in.gcount();
      if (n > 0 && archive_write_data(writer->get(), buffer.data(), static_cast<size_t>(n)) < 0) {
        return ArchiveError(writer->get(), StrCat("cannot add ", name));
      }
    }
  }
  if (absl::Status status = Close(writer->get(), path); !status.ok()) return status;
  return path;
}

absl::StatusOr<std::string> ArchiveEntries(const std::vector<ArchiveEntry>& entries, const std::string& base) {
  std::string path;
  absl::StatusOr<ArchivePtr> writer = OpenArchive(base, path);
  if (!writer.ok()) return writer.status();
  for (const ArchiveEntry& entry : entries) {
    if (absl::Status status = AddHeader(writer->get(), entry.name, entry.data.size()); !status.ok()) return status;
    if (!entry.data.empty() && archive_write_data(writer->get(), entry.data.data(), entry.data.size()) < 0) {
      return ArchiveError(writer->get(), StrCat("cannot add ", entry.name));
    }
  }
  if (absl::Status status = Close(writer->get(), path); !status.ok()) return status;
  return path;
}

}  // namespace tediag::collector
