// The printf-style formatter of os_log messages: a format string and a tracepoint's arguments
// → the message text `log show` prints. Handles flags, width and precision (also `*`), length
// modifiers, the conversions d i u o x X p c s S @ f e g a m P, and the `%{…}` decorators:
// public (the value), private and sensitive (a value logged as private prints "<private>"),
// bool / BOOL, errno / darwin.errno (Darwin's numbers and texts, not the host's), time_t, uuid_t.
// A value it cannot decode (an object of a type it does not know, bytes where a number was
// expected) prints as a placeholder that says so, e.g. "<undecoded network:sockaddr: 16 bytes>";
// a missing argument prints "<decode: missing data>", as `log show` does. Never reads outside
// the arguments' views. Costs: one pass over the format; appends to `out`. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "unified_log/firehose.h"

namespace tediag::unified_log {

void FormatMessage(std::string_view format, const std::vector<Argument>& args, std::string& out);

// The arguments alone, when the format string is not in the archive: "arg, arg, ...".
void FormatArgumentsOnly(const std::vector<Argument>& args, std::string& out);

// Darwin's text for errno `code` ("Operation not permitted"), or empty when not known.
std::string_view DarwinErrnoText(int64_t code);

}  // namespace tediag::unified_log
