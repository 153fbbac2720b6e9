// Unpacks an archive that holds code (a support engineer's `MyApp.zip`, a CI's `.tar.gz`) into a
// private temporary folder, so the bundle inspector reads it as it would read the app on disk.
// Zip (including `ditto -c -k` zips, whose Unix modes are in the external attributes) and tar,
// plain or compressed with gzip, xz or bzip2, read with libarchive.
//
// What is kept: regular files with their permission bits (the x bit decides whether the app can
// launch; set-id and sticky bits are dropped, and the owner may always read and write), folders,
// symlinks as links (a framework's Versions/Current must stay one; the seal records link targets)
// and hard links inside the archive. What is refused, each a problem naming the entry: an
// absolute path, a path with a `..` part (zip-slip), a hard link out of the archive, a symlink
// whose target leaves the archive (codesign --strict refuses such a link too), writing through a
// symlink, devices, fifos and sockets. AppleDouble entries (`__MACOSX/`, `._x`), which a Mac
// turns back into extended attributes, are skipped and counted.
//
// Bounded: at most `max_entries` entries and `max_total_bytes` written, and no more than
// `max_ratio` times the archive's own size (a zip bomb); a limit that is hit stops the unpacking
// with a problem, and what was unpacked before stays. The folder (mode 0700, under the system's
// temporary directory) is removed when the UnpackedArchive is destroyed. Cost: one pass over the
// archive, its contents written once to disk. Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "util/temp_folder.h"

namespace tediag::inspect {

struct UnpackLimits {
  uint64_t max_total_bytes = uint64_t{4} << 30;  // 4 GiB: a large Electron or Xcode-sized app
  uint64_t max_entries = 200000;
  uint64_t max_ratio = 200;  // expanded bytes per archive byte
};

class UnpackedArchive {
 public:
  struct Problem {
    std::string entry;  // the member's name as stored ("" for the archive as a whole)
    std::string message;
  };

  UnpackedArchive() = default;
  UnpackedArchive(UnpackedArchive&& other) noexcept;
  UnpackedArchive& operator=(UnpackedArchive&& other) noexcept;
  UnpackedArchive(const UnpackedArchive&) = delete;
  UnpackedArchive& operator=(const UnpackedArchive&) = delete;
  ~UnpackedArchive();

  const std::filesystem::path& root() const;

  std::string format;             // libarchive's name for it: "ZIP 2.0 (deflation)", "GNU tar format"…
  uint64_t entries = 0;           // entries unpacked
  uint64_t bytes = 0;             // bytes written
  uint64_t apple_double = 0;      // AppleDouble entries skipped
  std::vector<Problem> problems;  // refused entries, a limit, damage

 private:
  friend absl::StatusOr<UnpackedArchive> UnpackArchive(const std::filesystem::path&, const UnpackLimits&);
  std::shared_ptr<TempFolder> folder_;
};

// Whether the file starts like a zip or tar archive, or a gzip, xz or bzip2 stream (content, not
// the name, decides).
bool LooksLikeCodeArchive(const std::filesystem::path& path);

// Unpacks `archive`. Fails as a whole when it cannot be opened as an archive or no temporary
// folder can be made; a damaged entry later on is a problem, and what came before is kept.
absl::StatusOr<UnpackedArchive> UnpackArchive(const std::filesystem::path& archive, const UnpackLimits& limits = {});

}  // namespace tediag::inspect
