#include "util/temp_folder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>
#include <vector>

#include "util/text_util.h"

namespace tediag {
namespace fs = std::filesystem;

namespace {

// The PID in "tediag-KIND-PID-XXXXXX", or 0 when the name is not one of ours.
pid_t PidInName(std::string_view name) {
  if (!name.starts_with("tediag-")) return 0;
  std::vector<std::string_view> parts = Split(name, '-');
  if (parts.size() != 4 || parts[3].size() != 6) return 0;
  std::string_view digits = parts[2];
  if (digits.empty() || digits.size() > 9) return 0;
  pid_t pid = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    pid = pid * 10 + (c - '0');
  }
  return pid;
}

bool Running(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

size_t RemoveAbandonedTempFolders(const fs::path& base) {
  std::error_code ec;
  size_t removed = 0;
  for (fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
    pid_t pid = PidInName(it->path().filename().string());
    if (pid <= 0 || pid == ::getpid() || Running(pid)) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) continue;
    std::error_code rm;
    fs::remove_all(it->path(), rm);
    removed += !rm;
  }
  return removed;
}

absl::StatusOr<std::shared_ptr<TempFolder>> TempFolder::Create(std::string_view kind) {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (!ec) base = fs::canonical(base, ec);
  if (ec) return absl::FailedPreconditionError(StrCat("no temporary folder: ", ec.message()));
  RemoveAbandonedTempFolders(base);
  std::string pattern = (base / StrCat("tediag-", kind, "-", ::getpid(), "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {  // created 0700
    return absl::PermissionDeniedError(StrCat("cannot create a temporary folder in ", base.string()));
  }
  return std::shared_ptr<TempFolder>(new TempFolder(fs::path(pattern)));
}

TempFolder::~TempFolder() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path TempFolder::Inside(std::string_view member) const {
  fs::path out = path_;
  bool any = false;
  for (std::string_view part : Split(member, '/', /*skip_empty=*/true)) {
    if (part == ".") continue;
    if (part == "..") return {};
    out /= std::string(part);
    any = true;
  }
  return any ? out : fs::path();
}

}  // namespace tediag
