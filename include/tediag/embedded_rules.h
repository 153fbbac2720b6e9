// The rule files compiled into the binary (rules/*.yaml at build time).
#pragma once

#include <span>
#include <string_view>

namespace tediag {

struct EmbeddedFile {
  std::string_view name;     // "rules/<file>.yaml"
  std::string_view content;  // the YAML text
};

// All embedded rule files, sorted by name. Static storage; never fails.
std::span<const EmbeddedFile> EmbeddedRuleFiles();

}  // namespace tediag
