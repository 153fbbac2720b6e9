// `tediag collect`: the command line of the macOS collector (collector/collect_session.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "match/matcher.h"

namespace tediag::cli {

struct CollectCommand;

// Adds the `collect` subcommand to `app`; its --rules folders go to `rule_dirs`.
std::shared_ptr<CollectCommand> AddCollectCommand(CLI::App& app, std::vector<std::string>& rule_dirs);
bool Parsed(const CollectCommand& command);
// Runs it; returns the exit status (README.md documents them).
int RunCollect(const CollectCommand& command, const Matcher& matcher);

}  // namespace tediag::cli
