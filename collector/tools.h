// Where the collector finds each external tool. Defaults are the absolute paths macOS ships
// them at; `--tool NAME=PATH` overrides one, and TEDIAG_TOOL_DIR names a folder searched first
// (this is how the tests put stand-ins in place on a machine that is not a Mac).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace tediag::collector {

// The tools the collector runs, by the name used in --tool and TEDIAG_TOOL_DIR.
const std::vector<std::string_view>& KnownTools();        // log, codesign, spctl, xattr, plutil, ...
std::string_view DefaultToolPath(std::string_view name);  // "" for an unknown name

class ToolPaths {
 public:
  // Parses one `--tool NAME=PATH` (PATH must be absolute; NAME a known tool).
  absl::Status AddOverride(std::string_view assignment);
  void set_tool_dir(std::string dir) { tool_dir_ = std::move(dir); }

  // The path to run NAME at: its override, else TEDIAG_TOOL_DIR/NAME when that is an
  // executable file, else the default.
  std::string Resolve(std::string_view name) const;
  // Whether the file at Resolve(name) exists and can be executed.
  bool Available(std::string_view name) const;
  // Whether any tool was redirected (then the collector runs on any OS).
  bool Overridden() const { return !overrides_.empty() || !tool_dir_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> overrides_;
  std::string tool_dir_;
};

}  // namespace tediag::collector
