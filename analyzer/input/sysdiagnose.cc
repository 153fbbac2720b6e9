#include "input/sysdiagnose.h"

#include <stdlib.h>

#include <fstream>
#include <vector>

#include "util/text_util.h"

namespace tediag {
namespace fs = std::filesystem;

bool IsSysdiagnoseFolder(const fs::path& folder) {
  std::error_code ec;
  return fs::is_directory(folder / kSysdiagnoseLogArchive, ec);
}

bool LooksLikeCrashReport(std::string_view head) {
  size_t start = head.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  head.remove_prefix(start);
  if (head.front() == '{') {  // .ips: the JSON header line
    std::string_view first_line = head.substr(0, head.find('\n'));
    return first_line.find("\"bug_type\"") != std::string_view::npos;
  }
  return head.find("Incident Identifier:") != std::string_view::npos ||
         (head.find("Process:") != std::string_view::npos && head.find("Exception Type:") != std::string_view::npos);
}

bool FileLooksLikeCrashReport(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[4096];
  in.read(head, sizeof head);
  return LooksLikeCrashReport(std::string_view(head, static_cast<size_t>(in.gcount())));
}

std::string SysdiagnoseNotRead(uint64_t files) {
  return StrCat(files, files == 1 ? " other file" : " other files", " of this sysdiagnose (only its unified log, ",
                kSysdiagnoseLogArchive, ", and its crash reports are read)");
}

absl::StatusOr<std::shared_ptr<TempFolder>> TempFolder::Create() {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) return absl::FailedPreconditionError(StrCat("no temporary folder: ", ec.message()));
  std::string pattern = (base / "tediag-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {  // created 0700
    return absl::PermissionDeniedError(StrCat("cannot create a temporary folder in ", base.string()));
  }
  return std::shared_ptr<TempFolder>(new TempFolder(fs::path(name.data())));
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
