#include "tools.h"

#include <unistd.h>

#include <filesystem>

#include "util/text_util.h"

namespace tediag::collector {
namespace {

struct KnownTool {
  std::string_view name;
  std::string_view path;
};

constexpr KnownTool kTools[] = {
    {"log", "/usr/bin/log"},     {"codesign", "/usr/bin/codesign"}, {"spctl", "/usr/sbin/spctl"},
    {"xattr", "/usr/bin/xattr"}, {"plutil", "/usr/bin/plutil"},     {"mdfind", "/usr/bin/mdfind"},
    {"open", "/usr/bin/open"},   {"sw_vers", "/usr/bin/sw_vers"},   {"syspolicy_check", "/usr/bin/syspolicy_check"},
    {"xcrun", "/usr/bin/xcrun"},
};

bool IsExecutableFile(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

}  // namespace

const std::vector<std::string_view>& KnownTools() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const KnownTool& tool : kTools) out.push_back(tool.name);
    return out;
  }();
  return names;
}

std::string_view DefaultToolPath(std::string_view name) {
  for (const KnownTool& tool : kTools) {
    if (tool.name == name) return tool.path;
  }
  return {};
}

absl::Status ToolPaths::AddOverride(std::string_view assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    return absl::InvalidArgumentError(StrCat("--tool expects NAME=PATH, got '", assignment, "'"));
  }
  std::string_view name = assignment.substr(0, eq);
  std::string_view path = assignment.substr(eq + 1);
  if (DefaultToolPath(name).empty()) {
    return absl::InvalidArgumentError(
        StrCat("--tool: unknown tool '", name, "' (known: ", Join(KnownTools(), ", "), ")"));
  }
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError(StrCat("--tool ", name, ": the path must be absolute, got '", path, "'"));
  }
  overrides_[std::string(name)] = std::string(path);
  return absl::OkStatus();
}

std::string ToolPaths::Resolve(std::string_view name) const {
  if (auto it = overrides_.find(name); it != overrides_.end()) return it->second;
  if (!tool_dir_.empty()) {
    std::string candidate = StrCat(tool_dir_, "/", name);
    if (IsExecutableFile(candidate)) return candidate;
  }
  return std::string(DefaultToolPath(name));
}

bool ToolPaths::Available(std::string_view name) const { return IsExecutableFile(Resolve(name)); }

}  // namespace tediag::collector
