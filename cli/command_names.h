// What the command line says about command names: "unknown command 'analyse' (did you mean
// 'analyze'?)" before CLI11 would say "arguments were not expected", and `tediag help [CMD...]`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace tediag::cli {

// When argv names a command `app` does not have (at any level: `tediag rules lst`), the message
// to print, with the nearest command name when one is close; nullopt otherwise.
std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, const char* const* argv);

// Adds `help [COMMAND...]`; it prints the help of `app` or of the command named.
CLI::App* AddHelpCommand(CLI::App& app);
// Prints the help `help` asks for (after parsing); returns the exit status (2 for a command that
// does not exist).
int RunHelp(CLI::App& app, const CLI::App& help);

}  // namespace tediag::cli
