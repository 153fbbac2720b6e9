// Parsers for one line of unified-log text: the default, compact and syslog styles of
// `log show`/`log stream`, the lines printed around the entries, and loose pasted text.
// They fill a Record with views into the line; they never allocate.
#pragma once

#include <string_view>

#include "tediag/record.h"

namespace tediag {

// Each returns true and fills `record` (timestamp, process, pid, sender, subsystem, category,
// message type, message) when `line` is an entry of that style.
bool ParseDefaultStyleLine(std::string_view line, Record& record);
bool ParseCompactStyleLine(std::string_view line, Record& record);
bool ParseSyslogStyleLine(std::string_view line, Record& record);

// Best effort for a line of pasted text: the whole line is the message; a process name and
// pid are taken from Console's tab-separated copies, "name[pid]:" or a leading "name: ".
void ParseLooseLine(std::string_view line, Record& record);

// Lines `log` prints around its entries: the predicate echo, the level notice, the column
// headers of every style and the statistics footer.
bool IsLogBoilerplate(std::string_view line);

// True when the line starts with a log timestamp "YYYY-MM-DD HH:MM:SS".
bool StartsWithLogTimestamp(std::string_view line);

// True when `line` holds one whole log entry after which no reader state stays open: a one-line
// ndjson event, or an entry line of the default, compact or syslog style. The input stage cuts
// chunks only between two such lines (input/chunk_source.h takes this as its EntryLineTest).
bool IsWholeEntryLine(std::string_view line);

}  // namespace tediag
