// Saved output of the command-line tools a developer or the collector runs on a Mac:
// `codesign -dvvv` and `codesign --verify`, `spctl --assess`, `xattr -l`, `xcrun stapler
// validate`, `syspolicy_check`, and `xcrun notarytool history|info`. Each is recognised by
// its first line; the lines that follow it belong to the same record until one does not.
// The record's process is the tool's name, its message the whole block (docs/FORMATS.md §4).
#pragma once

#include <cstdint>
#include <string_view>

#include "tediag/record.h"

namespace tediag {

enum class Tool : uint8_t { kNone, kCodesign, kSpctl, kXattr, kStapler, kSyspolicyCheck, kNotarytool };

// The tool whose output `line` starts, or kNone.
Tool ToolOutputStart(std::string_view line);
// Whether `line` continues a block of `tool`'s output.
bool ContinuesToolOutput(Tool tool, std::string_view line);

std::string_view ToolName(Tool tool);  // "codesign", "spctl", ...
InputFormat ToolFormat(Tool tool);

}  // namespace tediag
