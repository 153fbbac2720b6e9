// Reads the CLI11 app into a CommandSpec (completion_spec.h).
#include "completion_spec.h"

#include <string_view>

#include "CLI/CLI.hpp"

namespace tediag::cli::completion {
namespace {

std::string FirstLine(std::string_view text) {
  text = text.substr(0, text.find('\n'));
  return std::string(text);
}

// "TEXT:{text,json,markdown}" (CLI::IsMember's description) gives the words between the braces.
std::vector<std::string> Choices(std::string_view type_name) {
  std::vector<std::string> out;
  size_t open = type_name.find('{');
  size_t close = type_name.find('}', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return out;
  std::string_view list = type_name.substr(open + 1, close - open - 1);
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view word = list.substr(0, comma);
    if (!word.empty()) out.emplace_back(word);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

ValueKind KindOf(const CLI::Option& option, std::vector<std::string>& choices) {
  if (!option.get_positional() && option.get_items_expected_max() == 0) return ValueKind::kNone;
  std::string type = option.get_type_name();
  choices = Choices(type);
  if (!choices.empty()) return ValueKind::kChoices;
  std::string label = option.get_positional() ? option.get_name() + " " + type : type;
  if (label.find("DIR") != std::string::npos) return ValueKind::kDir;
  if (option.get_positional() || label.find("FILE") != std::string::npos || label.find("PATH") != std::string::npos) {
    return ValueKind::kFile;
  }
  return ValueKind::kText;
}

}  // namespace

CommandSpec Describe(const CLI::App& app, const std::string& path) {
  CommandSpec command;
  command.name = app.get_name();
  if (path.empty()) command.name = command.name.substr(command.name.rfind('/') + 1);  // argv[0]'s file name
  command.path = path;
  command.description = FirstLine(app.get_description());
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;
    if (option->get_positional()) {
      command.positional = KindOf(*option, command.positional_choices);
      continue;
    }
    OptionSpec spec;
    for (const std::string& name : option->get_lnames()) spec.names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) spec.names.push_back("-" + name);
    spec.description = FirstLine(option->get_description());
    spec.kind = KindOf(*option, spec.choices);
    command.options.push_back(std::move(spec));
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group().empty() || sub->get_name().empty()) continue;  // hidden, or an option group
    command.subcommands.push_back(Describe(*sub, path + "/" + sub->get_name()));
  }
  return command;
}

}  // namespace tediag::cli::completion
