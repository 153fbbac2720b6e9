// `tediag rules list|show|check|test`: inspecting the rule database and checking one's own rules.
#pragma once

#include <memory>

#include "CLI/CLI.hpp"

namespace tediag::cli {

struct RulesCommand;

// Adds `rules` and its subcommands to `app`.
std::shared_ptr<RulesCommand> AddRulesCommand(CLI::App& app);
bool Parsed(const RulesCommand& command);
// Runs the subcommand given; returns the exit status: 0, or 1 when a rule has a problem (or
// `show` finds no rule of that id).
int RunRules(const RulesCommand& command);

}  // namespace tediag::cli
