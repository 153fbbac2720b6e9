#include "rules/rule_parser.h"

#include <algorithm>
#include <optional>

#include "re2/re2.h"
#include "util/text_util.h"

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
    {"needs", false, ""},
    {"examples", false, ""},
    {"log_sources", false, ""},
};

// The names a pattern's named groups capture: (?P<name>…) and (?<name>…).
void CaptureNames(std::string_view pattern, std::vector<std::string>& out) {
  for (size_t at = pattern.find("(?"); at != std::string_view::npos; at = pattern.find("(?", at + 2)) {
    if (at > 0 && pattern[at - 1] == '\\') continue;
    size_t name = at + 2;
    if (name < pattern.size() && pattern[name] == 'P') ++name;
    if (name >= pattern.size() || pattern[name] != '<') continue;
    size_t close = pattern.find('>', name);
    if (close != std::string_view::npos) out.emplace_back(pattern.substr(name + 1, close - name - 1));
  }
}

// Reads one rule, noting every problem it has rather than stopping at the first, each at the
// line of the key or value it concerns; the rule is kept only when it has none.
class RuleParser {
 public:
  explicit RuleParser(std::string_view origin) : origin_(origin) {}

  std::vector<RuleProblem>& problems() { return problems_; }

  Rule Parse(const YAML::Node& node) {
    Rule rule;
    if (!node.IsMap()) {
      Note(node, "a rule must be a map of keys (id, class, title, ...)");
      return rule;
    }
    CheckKeys(node);
    rule.origin = StrCat(origin_, ":", node.Mark().line + 1);
    rule.id = Scalar(node["id"], "id");
    rule.class_slug = Scalar(node["class"], "class");
    rule.title = Scalar(node["title"], "title");
    if (node["severity"]) {
      if (std::optional<Severity> severity = ParseSeverity(Scalar(node["severity"], "severity"))) {
        rule.severity = *severity;
      } else {
        Note(node["severity"], "severity must be error, warning or info");
      }
    }
    if (const YAML::Node applies = node["applies_to"]) {
      std::string value = Scalar(applies, "applies_to");
      if (value != "log" && value != "crash" && value != "any") Note(applies, "applies_to must be log, crash or any");
      rule.applies_to_log = value != "crash";
      rule.applies_to_crash = value != "log";
    }
    if (const YAML::Node when = node["when"]; when && when.IsSequence()) {
      for (const YAML::Node& selection : when) rule.when.push_back(Selection(selection, "when"));
      if (rule.when.empty()) Note(when, "'when' needs at least one selection");
    } else if (when) {
      rule.when.push_back(Selection(when, "when"));
    }
    if (const YAML::Node unless = node["unless"]) rule.unless = Selection(unless, "unless");
    rule.explanation = Scalar(node["explanation"], "explanation");
    if (node["fix"]) rule.fix = ScalarList(node["fix"], "fix");
    if (const YAML::Node references = node["references"]) References(references, rule);
    if (const YAML::Node refines = node["refines"]) {
      rule.refines = ScalarList(refines, "refines");
      refines_line_ = refines.Mark().line + 1;
    }
    if (const YAML::Node needs = node["needs"]) rule.needs = ScalarList(needs, "needs");
    if (const YAML::Node examples = node["examples"]) rule.examples = Examples(examples);
    if (const YAML::Node sources = node["log_sources"]) {
      if (sources.IsSequence()) {
        for (const YAML::Node& source : sources) rule.log_sources.push_back(LogSource(source));
      } else {
        rule.log_sources.push_back(LogSource(sources));
      }
    }
    CheckPlaceholders(node, rule);
    return rule;
  }

  // The line of the rule's `refines:` (for CheckRuleSet's report of a name it cannot find).
  uint64_t refines_line() const { return refines_line_; }

 private:
  void Note(const YAML::Node& node, std::string message) { problems_.push_back({node.Mark(), std::move(message)}); }

  void CheckKeys(const YAML::Node& node) {
    for (const auto& entry : node) {
      std::string key = entry.first.Scalar();
      auto known = [&](const RuleKey& k) { return k.key == key; };
      if (std::none_of(std::begin(kRuleKeys), std::end(kRuleKeys), known)) {
        std::vector<std::string_view> keys;
        for (const RuleKey& k : kRuleKeys) keys.push_back(k.key);
        Note(entry.first, StrCat("unknown key '", key, "' (keys: ", Join(keys, ", "), ")"));
      }
    }
    for (const RuleKey& k : kRuleKeys) {
      if (k.required && !node[std::string(k.key)])
        Note(node, StrCat("missing required key '", k.key, "' (", k.what, ")"));
    }
  }

  // An absent key reads as empty (its absence is noted by CheckKeys).
  std::string Scalar(const YAML::Node& node, std::string_view what) {
    if (!node) return {};
    if (!node.IsScalar()) {
      Note(node, StrCat("'", what, "' must be a single value"));
      return {};
    }
    return node.Scalar();
  }

  std::vector<std::string> ScalarList(const YAML::Node& node, std::string_view what,
                                      std::vector<YAML::Mark>* marks = nullptr) {
    std::vector<std::string> out;
    auto add = [&](const YAML::Node& item) {
      out.push_back(Scalar(item, what));
      if (marks) marks->push_back(item.Mark());
    };
    if (node.IsScalar()) {
      add(node);
    } else if (node.IsSequence()) {
      for (const YAML::Node& item : node) add(item);
    } else {
      Note(node, StrCat("'", what, "' must be a value or a list of values"));
    }
    return out;
  }

  std::vector<Condition> Selection(const YAML::Node& node, std::string_view what) {
    std::vector<Condition> out;
    if (!node.IsMap() || node.size() == 0) {
      Note(node, StrCat("'", what, "' must map field names to patterns, e.g. message: 'ASP: '"));
      return out;
    }
    for (const auto& entry : node) {
      std::string name = entry.first.Scalar();
      std::optional<Field> field = FieldFromName(name);
      if (!field) {
        std::vector<std::string> names;
        for (size_t i = 0; i < kFieldCount; ++i) names.emplace_back(FieldName(static_cast<Field>(i)));
        Note(entry.first, StrCat("unknown field '", name, "' (fields: ", Join(names, ", "), ")"));
        continue;
      }
      std::vector<YAML::Mark> marks;
      Condition condition{*field, ScalarList(entry.second, name, &marks)};
      for (size_t i = 0; i < condition.patterns.size() && i < marks.size(); ++i) {
        CheckPattern(condition.patterns[i], name, marks[i], what == "when");
      }
      out.push_back(std::move(condition));
    }
    return out;
  }

  // RE2 with the matcher's options (PatternOptions: the defaults), at the pattern's own line.
  void CheckPattern(const std::string& pattern, std::string_view field, const YAML::Mark& mark, bool captures) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 regex(pattern, options);
    if (!regex.ok()) {
      problems_.push_back({mark, StrCat("bad pattern for ", field, " '", pattern, "': ", regex.error())});
    } else if (captures) {
      CaptureNames(pattern, captures_);
    }
  }

  void References(const YAML::Node& references, Rule& rule) {
    if (!references.IsSequence() || references.size() == 0) {
      Note(references, "'references' must list {title, url} entries");
      return;
    }
    for (const YAML::Node& ref : references) {
      if (!ref.IsMap() || !ref["title"] || !ref["url"]) {
        Note(ref, "a reference needs a title and a url");
        continue;
      }
      rule.references.push_back({Scalar(ref["title"], "title"), Scalar(ref["url"], "url")});
    }
  }

  // One alternative of `log_sources:`: process, sender or subsystem names, and literal message
  // text. Exact values, not patterns: they become `==` and CONTAINS tests in a log predicate.
  std::vector<Condition> LogSource(const YAML::Node& node) {
    std::vector<Condition> out;
    if (!node.IsMap() || node.size() == 0) {
      Note(node, "'log_sources' must map process, sender, subsystem or message to values, e.g. process: [amfid]");
      return out;
    }
    for (const auto& entry : node) {
      std::string name = entry.first.Scalar();
      std::optional<Field> field = FieldFromName(name);
      if (!field || (*field != Field::kProcess && *field != Field::kSender && *field != Field::kSubsystem &&
                     *field != Field::kMessage)) {
        Note(entry.first, StrCat("log_sources: '", name, "' is not one of process, sender, subsystem, message"));
        continue;
      }
      std::vector<std::string> values = ScalarList(entry.second, name);
      for (const std::string& value : values) {
        if (value.empty()) Note(entry.second, StrCat("log_sources: an empty ", name, " value"));
      }
      out.push_back({*field, std::move(values)});
    }
    return out;
  }

  std::vector<RuleExample> Examples(const YAML::Node& node) {
    std::vector<RuleExample> out;
    if (!node.IsMap()) {
      Note(node, "'examples' must have 'match' and/or 'no_match' lists");
      return out;
    }
    for (const auto& entry : node) {
      std::string key = entry.first.Scalar();
      if (key != "match" && key != "no_match") {
        Note(entry.first, StrCat("unknown key '", key, "' in examples (expected match, no_match)"));
        continue;
      }
      if (!entry.second.IsSequence()) {
        Note(entry.second, StrCat("'", key, "' must be a list of texts"));
        continue;
      }
      for (const YAML::Node& item : entry.second) {
        out.push_back({Scalar(item, key), key == "match", static_cast<uint64_t>(item.Mark().line + 1)});
      }
    }
    return out;
  }

  // A {name} in the explanation or a fix must be something a finding can fill: a group the
  // rule's patterns capture, a field of the record, or {app}.
  void CheckPlaceholders(const YAML::Node& node, const Rule& rule) {
    auto check = [&](const YAML::Node& at, std::string_view text, std::string_view where) {
      for (const std::string& name : PlaceholderNames(text)) {
        if (name.empty() || name == "app" || FieldFromName(name)) continue;
        if (std::find(captures_.begin(), captures_.end(), name) != captures_.end()) continue;
        Note(at, StrCat(where, ": {", name, "} names no capture of the rule's patterns (captures: ",
                        captures_.empty() ? "none" : Join(captures_, ", "), "), no field and not {app}"));
      }
    };
    if (node["explanation"]) check(node["explanation"], rule.explanation, "explanation");
    if (const YAML::Node fix = node["fix"]; fix && fix.IsSequence()) {
      for (size_t i = 0; i < fix.size() && i < rule.fix.size(); ++i) check(fix[i], rule.fix[i], "fix");
    }
  }

  // The {name} and {name|fallback} placeholders of a text, each once.
  static std::vector<std::string> PlaceholderNames(std::string_view text) {
    std::vector<std::string> names;
    for (size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
      size_t close = text.find('}', open);
      if (close == std::string_view::npos) break;
      std::string_view inner = text.substr(open + 1, close - open - 1);
      std::string name(inner.substr(0, inner.find('|')));
      bool word = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      });
      if (word && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
    }
    return names;
  }

  std::string_view origin_;
  std::vector<RuleProblem> problems_;
  std::vector<std::string> captures_;
  uint64_t refines_line_ = 0;
};

}  // namespace

Rule ParseRuleNode(const YAML::Node& node, std::string_view origin, std::vector<RuleProblem>& problems,
                   uint64_t& refines_line) {
  RuleParser parser(origin);
  Rule rule = parser.Parse(node);
  problems = std::move(parser.problems());
  refines_line = parser.refines_line();
  return rule;
}

}  // namespace tediag
