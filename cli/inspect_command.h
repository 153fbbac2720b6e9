// `tediag inspect PATH…`: the command line of the static signature inspection (inspect/).
#pragma once

#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace tediag::cli {

// Adds the `inspect` subcommand to `app`, with the rule options analyze has. The command
// runs from the subcommand's callback when it is parsed and ends the program with its exit
// status (0 inspected, 1 the --fail-on threshold was met, 3 nothing could be inspected), so
// main needs this one line and no dispatch of its own.
void AddInspectCommand(CLI::App& app);

}  // namespace tediag::cli
