#include "rules_command.h"

#include <string>
#include <vector>

#include "exit_status.h"
#include "fmt/core.h"
#include "rule_examples.h"
#include "rule_options.h"
#include "util/json_writer.h"
#include "util/text_util.h"

namespace tediag::cli {

struct RulesCommand {
  CLI::App *list = nullptr, *show = nullptr, *check = nullptr, *test = nullptr;
  RuleOptions options;
  std::string format = "text";
  std::string id;
};

namespace {

constexpr const char* kFooter = R"(
Examples:
  tediag rules list                          every rule: id, class, severity, title
  tediag rules list --format json | jq '.[] | select(.class == "tcc-denied") | .id'
  tediag rules show gk-asp-denied            one rule: patterns, explanation, fix, examples, file
  tediag rules check my-rules/ extra.yaml    every problem of every rule, at its file:line
  tediag rules test my-rules/                run their examples; exit status 1 on any failure
  tediag analyze --rules my-rules/ x.log     use them beside the embedded rules (a rule with a
                                             built-in id replaces the built-in one)
  TEDIAG_RULES=~/team-rules:/srv/rules tediag analyze x.log
                                             a team's rules, loaded by every command
  tediag analyze --explain --rules my-rule.yaml x.log
                                             why a rule does not match: how each line was read
Exit status: 0 no problem; 1 a rule has a problem or an example fails; 2 usage error.
)";

// With paths given, `rules check` and `rules test` concern the rules loaded from them (and
// from TEDIAG_RULES); without, the embedded database.
bool IsSelected(const Rule& rule, const RuleOptions& options) {
  bool user_paths = !options.paths.empty() || !TeamRulePaths().empty();
  return (rule.source == RuleSource::kEmbedded) != user_paths;
}

int RunCheck(const RuleOptions& options) {
  LoadedRules loaded = LoadRules(options);
  size_t checked = 0;
  for (const Rule& rule : loaded.matcher->rules()) checked += IsSelected(rule, options);
  for (const RuleError& error : loaded.errors) fmt::print("{}: {}\n", error.where, error.message);
  for (const RuleError& warning : loaded.warnings) fmt::print("{}: warning: {}\n", warning.where, warning.message);
  for (const RuleError& note : loaded.replaced) fmt::print("{}: note: {}\n", note.where, note.message);
  size_t problems = loaded.errors.size();
  fmt::print("tediag rules check: {} rule{} valid, {} problem{}{}\n", checked, checked == 1 ? "" : "s", problems,
             problems == 1 ? "" : "s",
             loaded.warnings.empty()
                 ? ""
                 : fmt::format(", {} warning{}", loaded.warnings.size(), loaded.warnings.size() == 1 ? "" : "s"));
  return problems == 0 ? kExitAnalysed : 1;
}

void PrintFailure(const ExampleOutcome& outcome) {
  std::string_view file = std::string_view(outcome.rule->origin).substr(0, outcome.rule->origin.rfind(':'));
  fmt::print("FAIL {}:{}: rule {} {} its example:\n", file, outcome.example->line, outcome.rule->id,
             outcome.example->should_match ? "does not match" : "matches");
  for (std::string_view line : Split(outcome.example->text, '\n', /*skip_empty=*/true)) fmt::print("    {}\n", line);
}

int RunTest(const RuleOptions& options) {
  LoadedRules loaded = LoadRules(options);
  PrintRuleWarnings(loaded);
  std::vector<const Rule*> selected;
  for (const Rule& rule : loaded.matcher->rules()) {
    if (IsSelected(rule, options)) selected.push_back(&rule);
  }
  if (selected.empty()) {
    fmt::print("tediag rules test: no rules to test\n");
    return 1;
  }
  size_t failed = 0;
  for (const ExampleOutcome& outcome : RunRuleExamples(*loaded.matcher, selected)) {
    if (outcome.passed) continue;
    ++failed;
    PrintFailure(outcome);
  }
  size_t total = 0, without_match = 0;
  for (const Rule* rule : selected) {
    total += rule->examples.size();
    bool has_match = false;
    for (const RuleExample& example : rule->examples) has_match |= example.should_match;
    if (!has_match) {
      ++without_match;
      fmt::print("FAIL {}: rule {} has no example that must match\n", rule->origin, rule->id);
    }
  }
  fmt::print("tediag rules test: {} rule{}, {} examples, {} passed, {} failed{}\n", selected.size(),
             selected.size() == 1 ? "" : "s", total, total - failed, failed,
             without_match ? fmt::format(", {} rules without a match example", without_match) : "");
  return failed == 0 && without_match == 0 && loaded.errors.empty() ? 0 : 1;
}

void ListJson(const std::vector<Rule>& rules) {
  JsonWriter w;
  w.BeginArray();
  for (const Rule& rule : rules) {
    w.BeginObject();
    w.Field("id", rule.id);
    w.Field("class", rule.class_slug);
    w.Field("severity", SeverityName(rule.severity));
    w.Field("title", rule.title);
    w.Field("source", rule.source == RuleSource::kEmbedded ? "embedded" : "user");
    w.Field("origin", rule.origin);
    w.EndObject();
  }
  w.EndArray();
  fmt::print("{}\n", w.Take());
}

int RunList(const RuleOptions& options, const std::string& format) {
  LoadedRules loaded = LoadRules(options);
  PrintRuleWarnings(loaded);
  const std::vector<Rule>& rules = loaded.matcher->rules();
  if (format == "json") {
    ListJson(rules);
    return loaded.errors.empty() ? 0 : 1;
  }
  size_t id_width = 2, class_width = 5;
  for (const Rule& rule : rules) {
    id_width = std::max(id_width, rule.id.size());
    class_width = std::max(class_width, rule.class_slug.size());
  }
  fmt::print("{:<{}}  {:<{}}  {:<8} {}\n", "ID", id_width, "CLASS", class_width, "SEVERITY", "TITLE");
  for (const Rule& rule : rules) {
    fmt::print("{:<{}}  {:<{}}  {:<8} {}\n", rule.id, id_width, rule.class_slug, class_width,
               SeverityName(rule.severity), rule.title);
  }
  return loaded.errors.empty() ? 0 : 1;
}

void ShowConditions(std::string_view label, const std::vector<Condition>& conditions) {
  fmt::print("{}\n", label);
  for (const Condition& condition : conditions) {
    for (const std::string& pattern : condition.patterns)
      fmt::print("    {}: {}\n", FieldName(condition.field), pattern);
  }
}

void ShowRule(const Rule& rule) {
  fmt::print("{}  {}\n", rule.id, rule.title);
  fmt::print("  class {} · severity {} · applies to {} · from {}{}\n", rule.class_slug, SeverityName(rule.severity),
             rule.applies_to_log && rule.applies_to_crash ? "log and crash records"
             : rule.applies_to_log                        ? "log records"
                                                          : "crash records",
             rule.origin, rule.source == RuleSource::kEmbedded ? " (built in)" : "");
  for (size_t i = 0; i < rule.when.size(); ++i) {
    ShowConditions(rule.when.size() == 1
                       ? "when (every condition holds)"
                       : fmt::format("when, alternative {} of {} (every condition holds)", i + 1, rule.when.size()),
                   rule.when[i]);
  }
  if (!rule.unless.empty()) ShowConditions("unless (none holds)", rule.unless);
  if (!rule.refines.empty()) fmt::print("refines {}\n", Join(rule.refines, ", "));
  if (!rule.needs.empty()) fmt::print("needs, from the same input, {}\n", Join(rule.needs, " or "));
  fmt::print("explanation\n    {}\n", rule.explanation);
  fmt::print("fix\n");
  for (size_t i = 0; i < rule.fix.size(); ++i) fmt::print("    {}. {}\n", i + 1, rule.fix[i]);
  fmt::print("references\n");
  for (const Reference& ref : rule.references) fmt::print("    {}\n      {}\n", ref.title, ref.url);
  for (bool should_match : {true, false}) {
    bool any = false;
    for (const RuleExample& example : rule.examples) {
      if (example.should_match != should_match) continue;
      if (!any) fmt::print("examples that must {}\n", should_match ? "match" : "not match");
      any = true;
      for (std::string_view line : Split(example.text, '\n', /*skip_empty=*/true)) fmt::print("    {}\n", line);
    }
  }
}

int RunShow(const RuleOptions& options, const std::string& id) {
  LoadedRules loaded = LoadRules(options);
  PrintRuleWarnings(loaded);
  for (const Rule& rule : loaded.matcher->rules()) {
    if (rule.id != id) continue;
    ShowRule(rule);
    return 0;
  }
  fmt::print(stderr, "tediag: rules show: no rule has the id '{}' (see `tediag rules list`)\n", id);
  return 1;
}

}  // namespace

std::shared_ptr<RulesCommand> AddRulesCommand(CLI::App& app) {
  auto c = std::make_shared<RulesCommand>();
  CLI::App* rules = app.add_subcommand("rules", "Inspect the rule database, check and test your own rules");
  rules->require_subcommand(1);
  c->list = rules->add_subcommand("list", "List every rule: id, class, severity, title");
  AddRuleOptions(*c->list, c->options);
  c->list->add_option("--format", c->format, "text, or json (an array of {id, class, severity, title, source, origin})")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  c->show = rules->add_subcommand("show", "Print one rule: patterns, explanation, fix, examples, where it came from");
  c->show->add_option("ID", c->id, "The rule's id (see `tediag rules list`)")->required();
  AddRuleOptions(*c->show, c->options);
  c->check = rules->add_subcommand(
      "check",
      "Validate rule files and print every problem (keys, patterns, classes, placeholders, refines) at file:line");
  c->check->add_option("PATH", c->options.paths, "Rule files or folders of them (default: the embedded rules)");
  c->test = rules->add_subcommand("test", "Run the rules' examples and print a pass/fail summary");
  c->test->add_option("PATH", c->options.paths, "Rule files or folders of them (default: the embedded rules)");
  rules->footer(kFooter);
  return c;
}

bool Parsed(const RulesCommand& c) {
  return c.list->parsed() || c.show->parsed() || c.check->parsed() || c.test->parsed();
}

int RunRules(const RulesCommand& c) {
  if (c.list->parsed()) return RunList(c.options, c.format);
  if (c.show->parsed()) return RunShow(c.options, c.id);
  if (c.check->parsed()) return RunCheck(c.options);
  if (c.test->parsed()) return RunTest(c.options);
  return kExitUsage;
}

}  // namespace tediag::cli
