// How the text report fits a terminal: screen columns of UTF-8 text (ANSI colour codes take
// none), evidence cut to a bounded number of screen lines, and a last pass that breaks any line
// still wider than the screen, its continuation indented under it. Private to report/.
// Pure functions; cost linear in the text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tediag::terminal_layout {

// The width used when none is given (RenderOptions::width 0), and the bounds of any width.
inline constexpr size_t kDefaultWidth = 100;
inline constexpr size_t kMinWidth = 40;
inline constexpr size_t kMaxWidth = 100;

// `width` bounded to [kMinWidth, kMaxWidth]; 0 is kDefaultWidth.
size_t ClampWidth(size_t width);

// Screen columns `text` takes: one per code point, none for ANSI escape sequences.
size_t Columns(std::string_view text);

// Tabs become spaces, to the next multiple of 4 columns.
std::string ExpandTabs(std::string_view text);

// `text`, written from column `indent` of a `width`-column screen, in at most two screen lines:
// unchanged when it fits on one; else broken once, the second line indented `indent` + 2 (the
// break is part of the result); cut, when even two lines do not hold it, with "… (N more bytes;
// --format json has all)" at the end of the second.
std::string TwoScreenLines(std::string_view text, size_t indent, size_t width);

// Breaks every line of `text` wider than `width` columns, between words when it can; each
// continuation is indented two spaces more than the line's own indentation.
std::string FitLines(std::string_view text, size_t width);

}  // namespace tediag::terminal_layout
