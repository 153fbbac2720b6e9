// The zsh and fish completion scripts (completions.h), written from a CommandSpec.
#include <string>
#include <string_view>
#include <vector>

#include "completion_spec.h"
#include "fmt/core.h"
#include "fmt/format.h"

namespace tediag::cli {

using completion::CommandSpec;
using completion::OptionSpec;
using completion::ValueKind;

namespace {

// Text inside a single-quoted zsh word: [ ] mean something in an _arguments description, and ':'
// separates a _describe item from its description (`colon`).
std::string ZshQuote(std::string_view text, bool colon = false) {
  std::string out;
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      if (c == '[' || c == ']' || c == '\\' || (colon && c == ':')) out += '\\';
      out += c;
    }
  }
  return out;
}

// "tediag/rules" -> "tediag rules".
std::string Words(std::string path) {
  for (char& c : path) c = c == '/' ? ' ' : c;
  return path;
}

std::string ZshAction(ValueKind kind, const std::vector<std::string>& choices) {
  switch (kind) {
    case ValueKind::kChoices: return fmt::format("({})", fmt::join(choices, " "));
    case ValueKind::kFile: return "_files";
    case ValueKind::kDir: return "_files -/";
    case ValueKind::kText:
    case ValueKind::kNone: break;
  }
  return " ";
}

std::string ZshFunctionName(const CommandSpec& command, const std::string& program) {
  std::string name = "_" + program;
  for (char c : command.path) name += (c == '/' || c == '-') ? '_' : c;
  return name;
}

void ZshFunction(const CommandSpec& command, const std::string& program, std::string& out) {
  std::string specs;
  for (const OptionSpec& option : command.options) {
    for (const std::string& name : option.names) {
      std::string spec = name;
      if (option.kind != ValueKind::kNone) spec += name.size() > 2 ? "=" : "+";
      spec += "[" + ZshQuote(option.description) + "]";
      if (option.kind != ValueKind::kNone) {
        spec += fmt::format(":{}:{}", ZshQuote(name.substr(name.find_first_not_of('-'))),
                            ZshAction(option.kind, option.choices));
      }
      specs += fmt::format(" \\\n    '{}'", spec);
    }
  }
  std::string name = ZshFunctionName(command, program);
  if (command.subcommands.empty()) {
    if (command.positional != ValueKind::kNone) {
      specs += fmt::format(" \\\n    '*:argument:{}'", ZshAction(command.positional, command.positional_choices));
    }
    out += fmt::format("{}() {{\n  _arguments -s{}\n}}\n\n", name, specs);
    return;
  }
  std::string described, dispatch;
  for (const CommandSpec& sub : command.subcommands) {
    described += fmt::format(" \\\n    '{}:{}'", sub.name, ZshQuote(sub.description, /*colon=*/true));
    dispatch += fmt::format("        {}) {} ;;\n", sub.name, ZshFunctionName(sub, program));
  }
  out += fmt::format(R"({0}() {{
  local curcontext=$curcontext state line
  local -a commands
  _arguments -C{1} \
    '1: :->command' '*:: :->args' && return
  case $state in
    command)
      commands=({2})
      _describe -t commands '{3} command' commands ;;
    args)
      case $words[1] in
{4}      esac ;;
  esac
}}

)",
                     name, specs, described, ZshQuote(Words(program + command.path)), dispatch);
  for (const CommandSpec& sub : command.subcommands) ZshFunction(sub, program, out);
}

// Text inside a single-quoted fish word.
std::string FishQuote(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The fish condition true when the command line is inside `command` (its path's words seen).
std::string FishInside(const CommandSpec& command) {
  if (command.path.empty()) return "__fish_use_subcommand";
  std::string condition;
  std::string_view path = command.path;
  while (!path.empty()) {
    path.remove_prefix(1);
    std::string_view word = path.substr(0, path.find('/'));
    condition += fmt::format("{}__fish_seen_subcommand_from {}", condition.empty() ? "" : "; and ", word);
    path.remove_prefix(word.size());
  }
  return condition;
}

std::string FishValue(ValueKind kind, const std::vector<std::string>& choices) {
  switch (kind) {
    case ValueKind::kChoices: return fmt::format(" -x -a '{}'", fmt::join(choices, " "));
    case ValueKind::kFile: return " -r -F";
    case ValueKind::kDir: return " -x -a '(__fish_complete_directories (commandline -ct))'";
    case ValueKind::kText: return " -x";
    case ValueKind::kNone: break;
  }
  return "";
}

void FishLines(const CommandSpec& command, const std::string& program, std::string& out) {
  std::string inside = FishInside(command);
  std::string children;
  for (const CommandSpec& sub : command.subcommands) children += (children.empty() ? "" : " ") + sub.name;
  std::string at_command = children.empty() || command.path.empty()
                               ? inside
                               : fmt::format("{}; and not __fish_seen_subcommand_from {}", inside, children);
  for (const OptionSpec& option : command.options) {
    std::string flags;
    for (const std::string& name : option.names) {
      flags += name.size() > 2 ? fmt::format(" -l {}", name.substr(2)) : fmt::format(" -s {}", name.substr(1));
    }
    out += fmt::format("complete -c {} -n '{}'{}{} -d '{}'\n", program, FishQuote(inside), flags,
                       FishValue(option.kind, option.choices), FishQuote(option.description));
  }
  for (const CommandSpec& sub : command.subcommands) {
    out += fmt::format("complete -c {} -n '{}' -a {} -d '{}'\n", program, FishQuote(at_command), sub.name,
                       FishQuote(sub.description));
  }
  if (command.subcommands.empty() && command.positional != ValueKind::kNone) {
    out += fmt::format("complete -c {} -n '{}'{}\n", program, FishQuote(inside),
                       FishValue(command.positional, command.positional_choices));
  }
  for (const CommandSpec& sub : command.subcommands) FishLines(sub, program, out);
}

}  // namespace

std::string ZshScript(const CommandSpec& root) {
  std::string functions;
  ZshFunction(root, root.name, functions);
  return fmt::format(R"(#compdef {0}
# zsh completion for {0}, generated by `{0} completions zsh` from its own options.
# Install as _{0} in a folder of $fpath (share/zsh/site-functions).

{1}if [[ $funcstack[1] == _{0} ]]; then
  _{0} "$@"
else
  compdef _{0} {0}
fi
)",
                     root.name, functions);
}

std::string FishScript(const CommandSpec& root) {
  std::string lines;
  FishLines(root, root.name, lines);
  std::string header = fmt::format(
      "# fish completion for {0}, generated by `{0} completions fish` from its own options.\n"
      "# Install as share/fish/vendor_completions.d/{0}.fish or ~/.config/fish/completions/{0}.fish.\n"
      "complete -c {0} -f\n",
      root.name);
  return header + lines;
}

}  // namespace tediag::cli
