#include "rule_options.h"

#include <algorithm>
#include <cstdlib>

#include "fmt/core.h"
#include "rules/rule_loader.h"
#include "tediag/embedded_rules.h"
#include "util/text_util.h"

namespace tediag::cli {

std::vector<std::string> TeamRulePaths() {
  std::vector<std::string> out;
  const char* value = std::getenv("TEDIAG_RULES");
  if (value == nullptr) return out;
  for (std::string_view path : Split(value, ':', /*skip_empty=*/true)) out.emplace_back(path);
  return out;
}

LoadedRules LoadRules(const RuleOptions& options) {
  LoadedRules out;
  RuleSet set = EmbeddedRuleSet();
  std::vector<std::string> paths = TeamRulePaths();
  paths.insert(paths.end(), options.paths.begin(), options.paths.end());
  for (const std::string& path : paths) {
    size_t errors = out.errors.size();
    if (LoadRulePath(path, set, out.errors) == 0 && errors == out.errors.size()) {
      out.warnings.push_back({path, "holds no rule file (*.yaml, *.yml); no rule loaded from it"});
    }
  }
  CheckRuleSet(set, out.errors, &out.replaced);
  for (const std::string& id : options.disabled) {
    auto it = std::find_if(set.rules.begin(), set.rules.end(), [&](const Rule& r) { return r.id == id; });
    if (it == set.rules.end()) {
      out.warnings.push_back({"--disable-rule", StrCat("no rule has the id '", id, "' (see `tediag rules list`)")});
    } else {
      set.rules.erase(it);
    }
  }
  out.matcher = Matcher::Compile(std::move(set.rules), out.errors, EmbeddedPatternPrefilters());
  return out;
}

void PrintRuleWarnings(const LoadedRules& loaded) {
  for (const auto* list : {&loaded.errors, &loaded.warnings, &loaded.replaced}) {
    for (const RuleError& error : *list) fmt::print(stderr, "tediag: warning: {}: {}\n", error.where, error.message);
  }
}

void AddRuleOptions(CLI::App& command, RuleOptions& options) {
  command
      .add_option("--rules", options.paths,
                  "Also load the rule file, or the rule files (*.yaml) under the folder; repeatable. "
                  "TEDIAG_RULES (paths separated by ':') is loaded first, every time")
      ->type_name("PATH")
      ->allow_extra_args(false);  // one path per --rules: what follows is the command's own INPUT
  command.add_option("--disable-rule", options.disabled, "Leave out the rule with this id; repeatable")
      ->type_name("ID")
      ->allow_extra_args(false);
}

}  // namespace tediag::cli
