// The files that hold format strings: uuidtext (one per image: ranges of strings, then the
// image's path) and shared-cache strings (dsc, versions 1 and 2: ranges of strings of every
// library in the shared cache, and those libraries' UUIDs and paths). Layout: libyal dtformats
// §"UUID text file format" and §"Shared-Cache Strings (dsc) file format".
//
// Parse() checks the header, counts and every descriptor against the file's size once (a range
// that runs past the end of a file cut short is cut there); lookups then only index into checked
// tables. A string found is a view into the file's bytes (the
// object keeps them), cut at its NUL or at the end of its range. Both are immutable after
// Parse(): lookups may run on any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "unified_log/byte_reader.h"

namespace tediag::unified_log {

class UuidText {
 public:
  static absl::StatusOr<UuidText> Parse(std::string bytes);

  // The NUL-terminated string at `ref`, or nullopt when no range holds it.
  std::optional<std::string_view> Find(uint64_t ref) const;
  std::string_view image_path() const { return image_path_; }

 private:
  struct Range {
    uint32_t start, size;
    size_t data;  // where its bytes are in the file
  };
  std::shared_ptr<const std::string> bytes_;
  std::vector<Range> ranges_;
  std::string_view image_path_;
};

class SharedCacheStrings {
 public:
  static absl::StatusOr<SharedCacheStrings> Parse(std::string bytes);

  struct Found {
    std::string_view format;
    std::string_view image_path;  // the library the string belongs to
    Uuid image{};
  };
  std::optional<Found> Find(uint64_t ref) const;
  // The library whose text holds `pc` (a shared-cache offset), or null.
  struct Image {
    uint64_t text_offset;
    uint32_t text_size;
    Uuid uuid;
    std::string_view path;
  };
  const Image* FindImage(uint64_t pc) const;
  uint16_t version() const { return version_; }

 private:
  struct Range {
    uint64_t offset;
    uint32_t size;
    size_t data;
    uint32_t image;  // index into images_
  };
  std::shared_ptr<const std::string> bytes_;
  std::vector<Range> ranges_;  // sorted by offset
  std::vector<Image> images_;
  uint16_t version_ = 0;
};

}  // namespace tediag::unified_log
