// `tediag completions bash|zsh|fish`: prints a completion script for the shell, generated from
// the CLI11 app itself (its subcommands, options, the choices of options such as --format, and
// whether an option or positional takes a file or a folder), so the scripts follow the options
// as they change. Built once per call from the app's definition; no state, no I/O but stdout.
#pragma once

#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace tediag::cli {

// The shells a script can be written for, in the order `completions --help` lists them.
inline constexpr std::string_view kCompletionShells[] = {"bash", "zsh", "fish"};

// The completion script for `shell` (one of kCompletionShells) describing `app` and its
// subcommands; "" for an unknown shell. What kind of value an option takes is read from its
// type name: one naming DIR is a folder, FILE or PATH (and any positional) a file, a set of
// choices ({a,b,c}, as CLI::IsMember describes itself) those words.
std::string CompletionScript(const CLI::App& app, std::string_view shell);

// Adds the `completions SHELL` subcommand to `app`. It prints the script when parsed and ends
// the parse with CLI::Success, so main needs no dispatch line for it.
void AddCompletionsCommand(CLI::App& app);

}  // namespace tediag::cli
