#include "rules/rule_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "util/text_util.h"
#include "yaml-cpp/yaml.h"

namespace tediag {
namespace {

// The keys of a rule, in the order rules/README.md documents them: the one place they are listed.
struct RuleKey {
  std::string_view key;
  bool required;
  std::string_view what;  // said when a required key is missing
};
constexpr RuleKey kRuleKeys[] = {
    {"id", true, "a unique id"},
    {"class", true, "a failure class slug"},
    {"title", true, "a one-line title"},
    {"severity", true, "error, warning or info"},
    {"applies_to", false, ""},
    {"when", true, "the fields and patterns a record must match"},
    {"unless", false, ""},
    {"explanation", true, "what a hit means"},
    {"fix", true, "the fix steps"},
    {"references", true, "links to Apple's documentation"},
    {"refines", false, ""},
    {"examples", false, ""},
    {"log_sources", false, ""},
};

// Thrown inside this file only, to abandon one rule; caught per rule.
struct RuleProblem {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void Fail(const YAML::Node& node, std::string message) {
  throw RuleProblem{node.Mark(), std::move(message)};
}

std::string Scalar(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) Fail(node, StrCat("'", what, "' must be a single value"));
  return node.Scalar();
}

std::vector<std::string> ScalarList(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) out.push_back(Scalar(item, what));
  } else {
    Fail(node, StrCat("'", what, "' must be a value or a list of values"));
  }
  return out;
}

std::vector<Condition> Selection(const YAML::Node& node, std::string_view what) {
  if (!node.IsMap() || node.size() == 0) {
    Fail(node, StrCat("'", what, "' must map field names to patterns, e.g. message: 'ASP: '"));
  }
  std::vector<Condition> out;
  for (const auto& entry : node) {
    std::string name = entry.first.Scalar();
    std::optional<Field> field = FieldFromName(name);
    if (!field) {
      std::vector<std::string> names;
      for (size_t i = 0; i < kFieldCount; ++i) names.emplace_back(FieldName(static_cast<Field>(i)));
      Fail(entry.first, StrCat("unknown field '", name, "' (fields: ", Join(names, ", "), ")"));
    }
    out.push_back({*field, ScalarList(entry.second, name)});
  }
  return out;
}

// One alternative of `log_sources:`: process, sender or subsystem names, and literal message
// text. Exact values, not patterns: they become `==` and CONTAINS tests in a log predicate.
std::vector<Condition> LogSource(const YAML::Node& node) {
  if (!node.IsMap() || node.size() == 0) {
    Fail(node, "'log_sources' must map process, sender, subsystem or message to values, e.g. process: [amfid]");
  }
  std::vector<Condition> out;
  for (const auto& entry : node) {
    std::string name = entry.first.Scalar();
    std::optional<Field> field = FieldFromName(name);
    if (!field || (*field != Field::kProcess && *field != Field::kSender && *field != Field::kSubsystem &&
                   *field != Field::kMessage)) {
      Fail(entry.first, StrCat("log_sources: '", name, "' is not one of process, sender, subsystem, message"));
    }
    std::vector<std::string> values = ScalarList(entry.second, name);
    for (const std::string& value : values) {
      if (value.empty()) Fail(entry.second, StrCat("log_sources: an empty ", name, " value"));
    }
    out.push_back({*field, std::move(values)});
  }
  return out;
}

std::vector<RuleExample> Examples(const YAML::Node& node) {
  if (!node.IsMap()) Fail(node, "'examples' must have 'match' and/or 'no_match' lists");
  std::vector<RuleExample> out;
  for (const auto& entry : node) {
    std::string key = entry.first.Scalar();
    if (key != "match" && key != "no_match") {
      Fail(entry.first, StrCat("unknown key '", key, "' in examples (expected match, no_match)"));
    }
    if (!entry.second.IsSequence()) Fail(entry.second, StrCat("'", key, "' must be a list of texts"));
    for (const YAML::Node& item : entry.second) {
      out.push_back({Scalar(item, key), key == "match", static_cast<uint64_t>(item.Mark().line + 1)});
    }
  }
  return out;
}

Rule ParseRule(const YAML::Node& node, std::string_view origin) {
  if (!node.IsMap()) Fail(node, "a rule must be a map of keys (id, class, title, ...)");
  for (const auto& entry : node) {
    std::string key = entry.first.Scalar();
    auto known = [&](const RuleKey& k) { return k.key == key; };
    if (std::none_of(std::begin(kRuleKeys), std::end(kRuleKeys), known)) {
      std::vector<std::string_view> keys;
      for (const RuleKey& k : kRuleKeys) keys.push_back(k.key);
      Fail(entry.first, StrCat("unknown key '", key, "' (keys: ", Join(keys, ", "), ")"));
    }
  }
  for (const RuleKey& k : kRuleKeys) {
    if (k.required && !node[std::string(k.key)]) {
      Fail(node, StrCat("missing required key '", k.key, "' (", k.what, ")"));
    }
  }
  Rule rule;
  rule.origin = StrCat(origin, ":", node.Mark().line + 1);
  rule.id = Scalar(node["id"], "id");
  rule.class_slug = Scalar(node["class"], "class");
  rule.title = Scalar(node["title"], "title");
  if (std::optional<Severity> severity = ParseSeverity(Scalar(node["severity"], "severity"))) {
    rule.severity = *severity;
  } else {
    Fail(node["severity"], "severity must be error, warning or info");
  }
  if (const YAML::Node applies = node["applies_to"]) {
    std::string value = Scalar(applies, "applies_to");
    if (value != "log" && value != "crash" && value != "any") Fail(applies, "applies_to must be log, crash or any");
    rule.applies_to_log = value != "crash";
    rule.applies_to_crash = value != "log";
  }
  const YAML::Node when = node["when"];
  if (when.IsSequence()) {
    for (const YAML::Node& selection : when) rule.when.push_back(Selection(selection, "when"));
    if (rule.when.empty()) Fail(when, "'when' needs at least one selection");
  } else {
    rule.when.push_back(Selection(when, "when"));
  }
  if (const YAML::Node unless = node["unless"]) rule.unless = Selection(unless, "unless");
  rule.explanation = Scalar(node["explanation"], "explanation");
  rule.fix = ScalarList(node["fix"], "fix");
  const YAML::Node references = node["references"];
  if (!references.IsSequence() || references.size() == 0)
    Fail(references, "'references' must list {title, url} entries");
  for (const YAML::Node& ref : references) {
    if (!ref.IsMap() || !ref["title"] || !ref["url"]) Fail(ref, "a reference needs a title and a url");
    rule.references.push_back({Scalar(ref["title"], "title"), Scalar(ref["url"], "url")});
  }
  if (const YAML::Node refines = node["refines"]) rule.refines = ScalarList(refines, "refines");
  if (const YAML::Node examples = node["examples"]) rule.examples = Examples(examples);
  if (const YAML::Node sources = node["log_sources"]) {
    if (sources.IsSequence()) {
      for (const YAML::Node& source : sources) rule.log_sources.push_back(LogSource(source));
    } else {
      rule.log_sources.push_back(LogSource(sources));
    }
  }
  return rule;
}

constexpr std::string_view kClassKeys[] = {"slug", "title", "summary"};

FailureClass ParseClass(const YAML::Node& node, std::string_view origin) {
  if (!node.IsMap()) Fail(node, "a class must be a map of keys (slug, title, summary)");
  for (const auto& entry : node) {
    std::string key = entry.first.Scalar();
    if (std::find(std::begin(kClassKeys), std::end(kClassKeys), key) == std::end(kClassKeys)) {
      Fail(entry.first, StrCat("unknown key '", key, "' (keys: ", Join(kClassKeys, ", "), ")"));
    }
  }
  for (std::string_view required : kClassKeys) {
    if (!node[std::string(required)]) Fail(node, StrCat("missing required key '", required, "'"));
  }
  FailureClass out;
  out.slug = Scalar(node["slug"], "slug");
  bool slug_ok = !out.slug.empty() && std::all_of(out.slug.begin(), out.slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!slug_ok) Fail(node["slug"], "a class slug is lower-case letters, digits and '-' (it names a folder)");
  out.title = Scalar(node["title"], "title");
  out.summary = Scalar(node["summary"], "summary");
  out.origin = StrCat(origin, ":", node.Mark().line + 1);
  return out;
}

// Parses each item of a top-level list; a broken item is reported and skipped.
template <typename Parse>
void ParseEach(const YAML::Node& list, std::string_view origin, std::string_view what, Parse parse,
               std::vector<RuleError>& errors) {
  for (const YAML::Node& node : list) {
    try {
      parse(node);
    } catch (const RuleProblem& problem) {
      std::string id = node.IsMap() && node["id"] && node["id"].IsScalar() ? node["id"].Scalar() : "";
      errors.push_back({StrCat(origin, ":", problem.mark.line + 1),
                        StrCat(id.empty() ? "" : StrCat(what, " ", id, ": "), problem.message)});
    } catch (const YAML::Exception& e) {
      errors.push_back({StrCat(origin, ":", e.mark.line + 1), e.msg});
    }
  }
}

}  // namespace

void LoadRuleText(std::string_view text, std::string_view origin, RuleSet& set, std::vector<RuleError>& errors) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    errors.push_back({StrCat(origin, ":", e.mark.line + 1), StrCat("YAML syntax: ", e.msg)});
    return;
  }
  auto is_list = [&](const char* key) { return root.IsMap() && root[key] && root[key].IsSequence(); };
  if (!is_list("rules") && !is_list("classes")) {
    errors.push_back({std::string(origin), "a rule file is a map with a 'rules:' list (and/or a 'classes:' list)"});
    return;
  }
  if (is_list("classes")) {
    ParseEach(
        root["classes"], origin, "class",
        [&](const YAML::Node& node) { set.classes.push_back(ParseClass(node, origin)); }, errors);
  }
  if (is_list("rules")) {
    ParseEach(
        root["rules"], origin, "rule", [&](const YAML::Node& node) { set.rules.push_back(ParseRule(node, origin)); },
        errors);
  }
}

void LoadRuleDirectory(std::string_view dir, RuleSet& set, std::vector<RuleError>& errors) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path root{std::string(dir)};
  if (!fs::is_directory(root, ec)) {
    errors.push_back({std::string(dir), "not a folder of rule files"});
    return;
  }
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    fs::path ext = it->path().extension();
    if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path());
  }
  if (ec) errors.push_back({std::string(dir), ec.message()});
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      errors.push_back({file.string(), "cannot be read"});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    LoadRuleText(text.str(), file.string(), set, errors);
  }
}

void CheckRuleSet(RuleSet& set, std::vector<RuleError>& errors) {
  absl::flat_hash_set<std::string> slugs;
  std::vector<FailureClass> classes;
  for (FailureClass& c : set.classes) {
    if (!slugs.insert(c.slug).second) {
      errors.push_back({c.origin, StrCat("duplicate class '", c.slug, "'; this copy is ignored")});
      continue;
    }
    classes.push_back(std::move(c));
  }
  set.classes = std::move(classes);
  absl::flat_hash_set<std::string> ids;
  std::vector<Rule> kept;
  kept.reserve(set.rules.size());
  for (Rule& rule : set.rules) {
    if (!slugs.contains(rule.class_slug)) {
      std::vector<std::string_view> known;
      for (const FailureClass& c : set.classes) known.push_back(c.slug);
      errors.push_back({rule.origin, StrCat("rule ", rule.id, ": unknown class '", rule.class_slug, "' (classes: ",
                                            Join(known, ", "), "; a rule file may declare more under 'classes:')")});
      continue;
    }
    if (!ids.insert(rule.id).second) {
      errors.push_back({rule.origin, StrCat("duplicate rule id '", rule.id, "'; this copy is ignored")});
      continue;
    }
    kept.push_back(std::move(rule));
  }
  set.rules = std::move(kept);
}

}  // namespace tediag
