// `tediag analyze`: its options, and running it (the analysis, the report, the exit status).
#pragma once

#include <memory>

#include "CLI/CLI.hpp"

namespace tediag::cli {

struct AnalyzeCommand;

// Adds the `analyze` subcommand to `app`.
std::shared_ptr<AnalyzeCommand> AddAnalyzeCommand(CLI::App& app);
bool Parsed(const AnalyzeCommand& command);
// Runs it; returns the exit status (exit_status.h).
int RunAnalyze(const AnalyzeCommand& command);

}  // namespace tediag::cli
