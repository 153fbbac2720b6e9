#include "crash_reports.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "util/text_util.h"

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;

bool IsCrashReportName(std::string_view file, const std::vector<std::string>& names) {
  if (!(file.ends_with(".ips") || file.ends_with(".crash") || file.ends_with(".diag"))) return false;
  std::string lower = ToLower(file);
  for (const std::string& name : names) {
    if (name.empty()) continue;
    std::string prefix = ToLower(name);
    if (!lower.starts_with(prefix) || lower.size() <= prefix.size()) continue;
    char next = lower[prefix.size()];
    if (next == '-' || next == '_' || next == '.') return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> FindCrashReports(const CrashReportQuery& query) {
  std::vector<std::pair<std::time_t, std::string>> found;
  const std::time_t since = std::chrono::system_clock::to_time_t(query.since);
  for (const std::string& dir : query.dirs) {
    for (const std::string& folder : {dir, StrCat(dir, "/Retired")}) {
      std::error_code ec;
      for (fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
           it.increment(ec)) {
        std::string path = it->path().string();
        if (!it->is_regular_file(ec) || !IsCrashReportName(it->path().filename().string(), query.names)) continue;
        struct stat info {};
        if (stat(path.c_str(), &info) != 0 || info.st_mtime < since) continue;
        found.emplace_back(info.st_mtime, std::move(path));
      }
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& entry : found) out.push_back(std::move(entry.second));
  return out;
}

}  // namespace tediag::collector
