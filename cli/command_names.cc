#include "command_names.h"

#include <algorithm>
#include <numeric>

#include "exit_status.h"
#include "fmt/core.h"
#include "util/text_util.h"

namespace tediag::cli {
namespace {

// Levenshtein distance, for names of a dozen letters.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<const CLI::App*> Commands(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) out.push_back(sub);
  return out;
}

}  // namespace

std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* level = &app;
  std::string path = "tediag";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("-")) return std::nullopt;  // options come after the command names
    std::vector<const CLI::App*> commands = Commands(*level);
    if (commands.empty()) return std::nullopt;  // a leaf: the rest are its arguments
    auto named = std::find_if(commands.begin(), commands.end(),
                              [&](const CLI::App* c) { return c->check_name(std::string(arg)); });
    if (named != commands.end()) {
      level = *named;
      path += " " + (*named)->get_name();
      continue;
    }
    const CLI::App* nearest = nullptr;
    size_t best = 3;  // at most two edits away
    for (const CLI::App* c : commands) {
      size_t d = Distance(arg, c->get_name());
      if (d < best) best = d, nearest = c;
    }
    std::string message = fmt::format("{}: unknown command '{}'", path, arg);
    if (nearest) message += fmt::format(" (did you mean '{}'?)", nearest->get_name());
    std::vector<std::string> names;
    for (const CLI::App* c : commands) names.push_back(c->get_name());
    return StrCat(message, "; commands: ", Join(names, ", "));
  }
  return std::nullopt;
}

CLI::App* AddHelpCommand(CLI::App& app) {
  CLI::App* help = app.add_subcommand("help", "Show the help of tediag, or of a command: tediag help rules check");
  // Everything after `help` is the topic, even the name of another command.
  help->prefix_command();
  help->footer("Arguments: [COMMAND...]  the command (and subcommand) to explain");
  return help;
}

int RunHelp(CLI::App& app, const CLI::App& help) {
  const std::vector<std::string> topic = help.remaining();
  CLI::App* level = &app;
  for (const std::string& name : topic) {
    CLI::App* next = nullptr;
    for (CLI::App* sub : level->get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->check_name(name)) next = sub;
    }
    if (next == nullptr) {
      std::vector<std::string> argv = {"tediag"};
      argv.insert(argv.end(), topic.begin(), topic.end());
      std::vector<const char*> raw;
      for (const std::string& a : argv) raw.push_back(a.c_str());
      auto message = UnknownCommand(app, static_cast<int>(raw.size()), raw.data());
      fmt::print(stderr, "{}\n", message.value_or("tediag help: unknown command '" + name + "'"));
      return kExitUsage;
    }
    level = next;
  }
  // Through the formatter: App::help() would show the help of the command parsed (`help` itself).
  std::string path = "tediag";
  for (const std::string& name : topic) path += " " + name;
  fmt::print("{}", level->get_formatter()->make_help(level, path, CLI::AppFormatMode::Normal));
  return kExitAnalysed;
}

}  // namespace tediag::cli
