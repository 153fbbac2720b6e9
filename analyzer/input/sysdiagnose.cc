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

}  // namespace tediag
