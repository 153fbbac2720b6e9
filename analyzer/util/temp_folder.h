// A private temporary folder, for what must be on disk to be read: a log archive unpacked from a
// .tar.gz (the unified log reader reads a folder in place), an app unpacked from a .zip for
// `tediag inspect`. Made under the system's temporary folder ($TMPDIR, its real path: on macOS
// /tmp is a symlink), 0700, named tediag-KIND-PID-XXXXXX, and removed with everything in it when
// its last holder lets it go.
//
// A run that is killed cannot remove its folder. The next run does: Create first removes this
// user's tediag folders whose process is gone (the PID in the name no longer runs), so a folder
// outlives a killed run only until tediag runs again. Folders of running processes and of other
// users are never touched. Thread-compatible.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"

namespace tediag {

class TempFolder {
 public:
  // `kind` names what the folder is for ("unpack", "inspect"): letters and digits.
  static absl::StatusOr<std::shared_ptr<TempFolder>> Create(std::string_view kind);
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // `member` (a path inside an archive) as a path under this folder, or empty when it would
  // leave the folder or names nothing ("..", an empty or absolute name is refused).
  std::filesystem::path Inside(std::string_view member) const;

 private:
  explicit TempFolder(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// Removes, from `base`, the folders named tediag-KIND-PID-XXXXXX that belong to this user and
// whose PID no longer runs; returns how many. Create calls it on the system's temporary folder.
size_t RemoveAbandonedTempFolders(const std::filesystem::path& base);

}  // namespace tediag
