// A rule of the database: which records it recognises, what that means, and how to fix it.
// Rules are data (rules/*.yaml); rules/README.md documents the file format.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tediag/field.h"

namespace tediag {

enum class Severity : uint8_t { kInfo, kWarning, kError };

std::string_view SeverityName(Severity severity);              // "info" | "warning" | "error"
std::optional<Severity> ParseSeverity(std::string_view name);  // nullopt for any other name

// Where a rule came from: the database compiled into the binary, or a file given at run time
// (--rules, `rules check DIR`).
enum class RuleSource : uint8_t { kEmbedded, kUser };

// Every struct of a rule compares member by member (the defaulted ==), so a test can check that
// the rules compiled in at build time are the rule files as loaded, whole: a member that
// rules/compile_rules.cc forgets to write makes them differ.
struct Reference {
  std::string title;
  std::string url;
  friend bool operator==(const Reference&, const Reference&) = default;
};

// A test on one field: the field's value matches any of the patterns (RE2, unanchored).
struct Condition {
  Field field = Field::kMessage;
  std::vector<std::string> patterns;
  friend bool operator==(const Condition&, const Condition&) = default;
};

struct RuleExample {
  std::string text;  // input text, read exactly as a file would be
  bool should_match = true;
  uint64_t line = 0;  // where the example is written in its rule file
  friend bool operator==(const RuleExample&, const RuleExample&) = default;
};

struct Rule {
  std::string id;
  std::string class_slug;
  std::string title;
  Severity severity = Severity::kError;
  bool applies_to_log = true;
  bool applies_to_crash = true;
  // Alternatives: the rule matches when every condition of any one selection holds ...
  std::vector<std::vector<Condition>> when;
  // ... and no condition here holds.
  std::vector<Condition> unless;
  std::string explanation;  // with {capture} placeholders
  std::vector<std::string> fix;
  std::vector<Reference> references;
  std::vector<std::string> refines;  // rule ids or class slugs this rule supersedes
  // Rule ids or class slugs one of which must also have a finding from the same input, or this
  // rule's finding is dropped and its lines listed as unexplained (`needs:`): for a line that
  // means a launch failure only beside another (codesign's "invalid or unsupported format for
  // signature" beside the shell's "killed").
  std::vector<std::string> needs;
  std::vector<RuleExample> examples;
  // Where on a Mac the log lines this rule reads come from (`log_sources:`). Alternatives, each
  // a set of conditions that must all hold: process, sender and subsystem list exact names,
  // message lists literal text the message contains (none of them are patterns). The collector
  // builds its `log stream` predicate from the union over all rules.
  std::vector<std::vector<Condition>> log_sources;
  std::string origin;  // "rules/quarantine-block.yaml:12"
  RuleSource source = RuleSource::kUser;
  friend bool operator==(const Rule&, const Rule&) = default;
};

// A rule pattern analysed ahead of time (the embedded rules' patterns, at build time): the
// literals, lower case, one of which every match of it contains (none when it needs no literal).
struct AnalysedPattern {
  std::string_view pattern;
  std::span<const std::string_view> atoms;
};

// A failure class (rules/classes.yaml, or `classes:` in a user's rule file): what a rule's
// `class:` names. docs/FAILURE-CLASSES.md describes the embedded ones.
struct FailureClass {
  std::string slug;     // "code-signature-invalid"
  std::string title;    // "Code signature invalid"
  std::string summary;  // one sentence
  std::string origin;   // "rules/classes.yaml:5"
  friend bool operator==(const FailureClass&, const FailureClass&) = default;
};

// Rules as loaded: the classes declared and the rules that name them.
struct RuleSet {
  std::vector<FailureClass> classes;
  std::vector<Rule> rules;
  // (rule id, "file:line" of its `refines:` key), for rules loaded from YAML: where CheckRuleSet
  // reports a `refines:` entry that names nothing.
  std::vector<std::pair<std::string, std::string>> refines_at;
};

// A problem found while loading or compiling rules. The rule concerned is left out; every
// other rule still loads.
struct RuleError {
  std::string where;  // "rules/foo.yaml:12"
  std::string message;
};

}  // namespace tediag
