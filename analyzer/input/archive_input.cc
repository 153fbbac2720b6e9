#include "input/archive_input.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include "input/input_files.h"
#include "util/libarchive_error.h"
#include "util/text_util.h"

namespace tediag {
namespace {

struct ReaderDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

// Hidden files and folders, and the resource-fork copies macOS's Archive Utility adds.
bool IsHidden(std::string_view name) {
  for (std::string_view part : Split(name, '/', /*skip_empty=*/true)) {
    if (part.front() == '.' || part == "__MACOSX") return true;
  }
  return false;
}

using Reader = std::unique_ptr<archive, ReaderDeleter>;

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

Reader NewReader() {
  Reader reader(archive_read_new());
  if (reader) {
    archive_read_support_filter_gzip(reader.get());
    archive_read_support_filter_xz(reader.get());
    archive_read_support_filter_bzip2(reader.get());
    archive_read_support_format_zip(reader.get());
    archive_read_support_format_tar(reader.get());
    // Last resort, for a single compressed file (x.log.gz): its one member is the whole stream.
    archive_read_support_format_raw(reader.get());
  }
  return reader;
}

// The members of an opened archive of `archive_bytes` bytes, within the limits.
ArchiveContents ReadMembers(archive* reader, uint64_t archive_bytes, const ArchiveLimits& limits) {
  ArchiveContents out;
  const uint64_t ratio_limit = archive_bytes * limits.max_ratio;
  const uint64_t byte_limit = std::min(limits.max_total_bytes, ratio_limit);
  uint64_t total = 0;
  uint64_t entries = 0;
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
    const char* raw_name = archive_entry_pathname(entry);
    std::string name = raw_name == nullptr ? "" : raw_name;
    // The raw format (a single compressed file) has no member name; it is marked empty here.
    if (archive_format(reader) == ARCHIVE_FORMAT_RAW) name = std::string(kSingleFileMember);
    if (std::string_view log_archive = UnifiedLogArchivePrefix(name); !log_archive.empty()) {
      if (std::find(out.log_archives.begin(), out.log_archives.end(), log_archive) == out.log_archives.end()) {
        out.log_archives.emplace_back(log_archive);
      }
      archive_read_data_skip(reader);
      continue;
    }
    const bool regular = archive_entry_filetype(entry) == AE_IFREG || archive_format(reader) == ARCHIVE_FORMAT_RAW;
    if (!regular || name.empty() || IsHidden(name)) {
      archive_read_data_skip(reader);
      continue;
    }
    ArchiveMember member{name, {}};
    bool stop = false;
    for (;;) {
      la_ssize_t n = archive_read_data(reader, buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) {
        out.problem = StrCat(name, ": cannot be expanded: ", ArchiveErrorText(reader));
        stop = true;
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
    out.members.push_back(std::move(member));
  }
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

ArchiveContents ReadArchive(const std::string& path, const ArchiveLimits& limits) {
  Reader reader = NewReader();
  if (!reader) return {{}, "libarchive: out of memory"};
  if (archive_read_open_filename(reader.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return {{}, StrCat("not a readable archive: ", ArchiveErrorText(reader.get()))};
  }
  std::error_code ec;
  return ReadMembers(reader.get(), std::max<uint64_t>(std::filesystem::file_size(path, ec), 1), limits);
}

ArchiveContents ReadArchiveData(std::string_view data, const ArchiveLimits& limits) {
  Reader reader = NewReader();
  if (!reader) return {{}, "libarchive: out of memory"};
  if (archive_read_open_memory(reader.get(), data.data(), data.size()) != ARCHIVE_OK) {
    return {{}, StrCat("not a readable archive: ", ArchiveErrorText(reader.get()))};
  }
  return ReadMembers(reader.get(), std::max<uint64_t>(data.size(), 1), limits);
}

void AppendArchiveInputs(const std::string& path, const ArchiveLimits& limits, std::vector<InputFile>& out) {
  ArchiveContents contents = ReadArchive(path, limits);
  for (ArchiveMember& member : contents.members) {
    if (member.name == kSingleFileMember) member.name = SingleFileName(path);
    InputFile input{StrCat(path, ":", member.name), false, {}};
    input.content = std::make_shared<const std::string>(std::move(member.data));
    out.push_back(std::move(input));
  }
  for (const std::string& log_archive : contents.log_archives) {
    out.push_back({StrCat(path, ":", log_archive), false,
                   UnifiedLogArchiveProblem(log_archive.substr(log_archive.rfind('/') + 1))});
  }
  if (!contents.problem.empty()) {
    out.push_back({path, false, StrCat("archive: ", contents.problem)});
  } else if (contents.members.empty() && contents.log_archives.empty()) {
    out.push_back({path, false, "archive holds no files"});
  }
}

}  // namespace tediag
