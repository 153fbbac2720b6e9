// One way to open libarchive for reading, shared by analyze's archive inputs and inspect's unpacker:
// zip and tar, each plain or compressed with gzip, xz or bzip2.
#pragma once

#include <archive.h>

#include <memory>

namespace tediag {

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadDeleter>;

// Whether a stream that is neither zip nor tar is read as one member holding the whole
// (decompressed) stream: analyze's x.log.gz. inspect reads archives only.
enum class SingleCompressedFile { kRefused, kReadAsOneMember };

// A reader with the formats and filters above, or null when libarchive has no memory.
inline ArchiveReader NewArchiveReader(SingleCompressedFile single) {
  ArchiveReader reader(archive_read_new());
  if (reader) {
    archive_read_support_filter_gzip(reader.get());
    archive_read_support_filter_xz(reader.get());
    archive_read_support_filter_bzip2(reader.get());
    archive_read_support_format_zip(reader.get());
    archive_read_support_format_tar(reader.get());
    // Last, so that it is only the fallback: raw takes any stream.
    if (single == SingleCompressedFile::kReadAsOneMember) archive_read_support_format_raw(reader.get());
  }
  return reader;
}

}  // namespace tediag
