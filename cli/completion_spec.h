// The command line as completion scripts need it (completions.h): a tree of commands, each with
// its options and what their values are. Built from a CLI::App in one walk; plain values after.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tediag::cli::completion {

enum class ValueKind { kNone, kText, kFile, kDir, kChoices };

struct OptionSpec {
  std::vector<std::string> names;     // as typed: "--format", "-o"
  std::string description;            // its first line
  ValueKind kind = ValueKind::kNone;  // kNone: a flag
  std::vector<std::string> choices;
};

struct CommandSpec {
  std::string name;         // the program's name at the root
  std::string path;         // "" at the root, then "/rules/list"
  std::string description;  // its first line
  std::vector<OptionSpec> options;
  ValueKind positional = ValueKind::kNone;  // what the positional arguments are, if any
  std::vector<std::string> positional_choices;
  std::vector<CommandSpec> subcommands;
};

// `app` and its subcommands; `path` is the path of `app` ("" for the program itself). Options
// in no help group (hidden) are left out.
CommandSpec Describe(const CLI::App& app, const std::string& path);

}  // namespace tediag::cli::completion
