#include "rules/rule_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "rules/rule_parser.h"
#include "util/text_util.h"
#include "yaml-cpp/yaml.h"

namespace tediag {
namespace {

// Thrown inside this file only, to abandon a class at its first problem; caught per item.
[[noreturn]] void Fail(const YAML::Node& node, std::string message) {
  throw RuleProblem{node.Mark(), std::move(message)};
}

std::string Scalar(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) Fail(node, StrCat("'", what, "' must be a single value"));
  return node.Scalar();
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
    std::string id = node.IsMap() && node["id"] && node["id"].IsScalar() ? node["id"].Scalar() : "";
    std::string label = id.empty() ? "" : StrCat(what, " ", id, ": ");
    try {
      for (const RuleProblem& problem : parse(node)) {
        errors.push_back({StrCat(origin, ":", problem.mark.line + 1), StrCat(label, problem.message)});
      }
    } catch (const RuleProblem& problem) {
      errors.push_back({StrCat(origin, ":", problem.mark.line + 1), StrCat(label, problem.message)});
    } catch (const YAML::Exception& e) {
      errors.push_back({StrCat(origin, ":", e.mark.line + 1), StrCat(label, e.msg)});
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
        [&](const YAML::Node& node) {
          set.classes.push_back(ParseClass(node, origin));
          return std::vector<RuleProblem>{};
        },
        errors);
  }
  if (is_list("rules")) {
    ParseEach(
        root["rules"], origin, "rule",
        [&](const YAML::Node& node) {
          std::vector<RuleProblem> problems;
          uint64_t refines_line = 0;
          Rule rule = ParseRuleNode(node, origin, problems, refines_line);
          if (problems.empty()) {
            if (refines_line) set.refines_at.emplace_back(rule.id, StrCat(origin, ":", refines_line));
            set.rules.push_back(std::move(rule));
          }
          return problems;
        },
        errors);
  }
}

namespace {

namespace fs = std::filesystem;

bool LoadRuleFile(const fs::path& file, RuleSet& set, std::vector<RuleError>& errors) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    errors.push_back({file.string(), "cannot be read"});
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  LoadRuleText(text.str(), file.string(), set, errors);
  return true;
}

size_t LoadFolder(const fs::path& root, RuleSet& set, std::vector<RuleError>& errors) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    fs::path ext = it->path().extension();
    if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path());
  }
  if (ec) errors.push_back({root.string(), ec.message()});
  std::sort(files.begin(), files.end());
  size_t loaded = 0;
  for (const fs::path& file : files) loaded += LoadRuleFile(file, set, errors);
  return loaded;
}

}  // namespace

void LoadRuleDirectory(std::string_view dir, RuleSet& set, std::vector<RuleError>& errors) {
  std::error_code ec;
  fs::path root{std::string(dir)};
  if (!fs::is_directory(root, ec)) {
    errors.push_back({std::string(dir), "not a folder of rule files"});
    return;
  }
  LoadFolder(root, set, errors);
}

size_t LoadRulePath(std::string_view path, RuleSet& set, std::vector<RuleError>& errors) {
  std::error_code ec;
  fs::path root{std::string(path)};
  fs::file_status status = fs::status(root, ec);
  if (ec || !fs::exists(status)) {
    errors.push_back({std::string(path), "no such rule file or folder"});
    return 0;
  }
  if (fs::is_directory(status)) return LoadFolder(root, set, errors);
  return LoadRuleFile(root, set, errors) ? 1 : 0;
}

namespace {

// A `refines:` entry must name a rule or a class of the set; one that names nothing is reported
// at the line of the `refines:` key (the rule keeps working; the entry refines nothing). A
// `needs:` entry too, at the rule's line (an entry naming nothing is never satisfied).
void CheckRefines(const RuleSet& set, const absl::flat_hash_set<std::string>& slugs, std::vector<RuleError>& errors) {
  absl::flat_hash_set<std::string_view> ids;
  for (const Rule& rule : set.rules) ids.insert(rule.id);
  absl::flat_hash_map<std::string_view, std::string_view> where;
  for (const auto& [id, at] : set.refines_at) where.emplace(id, at);
  for (const Rule& rule : set.rules) {
    for (const std::string& name : rule.refines) {
      if (ids.contains(name) || slugs.contains(name)) continue;
      auto it = where.find(rule.id);
      errors.push_back({std::string(it == where.end() ? std::string_view(rule.origin) : it->second),
                        StrCat("rule ", rule.id, ": refines '", name, "', which names no rule id or class (ignored)")});
    }
    for (const std::string& name : rule.needs) {
      if (ids.contains(name) || slugs.contains(name)) continue;
      errors.push_back({rule.origin, StrCat("rule ", rule.id, ": needs '", name,
                                            "', which names no rule id or class (never satisfied)")});
    }
  }
}

}  // namespace

void CheckRuleSet(RuleSet& set, std::vector<RuleError>& errors, std::vector<RuleError>* replaced) {
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
  absl::flat_hash_map<std::string, size_t> ids;  // id → index into kept
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
    if (auto [it, added] = ids.try_emplace(rule.id, kept.size()); !added) {
      Rule& earlier = kept[it->second];
      if (earlier.source == RuleSource::kEmbedded && rule.source == RuleSource::kUser) {
        // A team's own version of a built-in rule: it takes the built-in one's place.
        if (replaced) {
          replaced->push_back(
              {rule.origin, StrCat("rule ", rule.id, " replaces the built-in rule of that id (", earlier.origin, ")")});
        }
        earlier = std::move(rule);
        continue;
      }
      errors.push_back({rule.origin, StrCat("duplicate rule id '", rule.id, "'; this copy is ignored (first at ",
                                            earlier.origin, ")")});
      continue;
    }
    kept.push_back(std::move(rule));
  }
  set.rules = std::move(kept);
  CheckRefines(set, slugs, errors);
}

}  // namespace tediag
