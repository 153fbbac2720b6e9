// Build-time tool: loads rules/*.yaml with the same loader `tediag rules check` uses, fails on
// any problem (so a broken embedded rule breaks the build, not a user's run), analyses every
// pattern for the matcher's prefilter, and writes the result as a C++ source defining
// EmbeddedRuleSet() and EmbeddedPatternPrefilters() (include/tediag/embedded_rules.h).
//
//   compile_rules OUTPUT.cc RULE.yaml...
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "match/pattern_prefilter.h"
#include "rules/rule_loader.h"
#include "tediag/field.h"
#include "tediag/rule.h"

namespace tediag {
namespace {

// A C++ string_view literal holding `text` byte for byte.
std::string Literal(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '?': out += "\\?"; break;  // no trigraphs
      default:
        if (byte < 0x20 || byte == 0x7f) {
          char octal[5];
          std::snprintf(octal, sizeof octal, "\\%03o", byte);
          out += octal;
        } else {
          out += c;  // UTF-8 passes through; the source is UTF-8
        }
    }
  }
  return out + "\"sv";
}

std::string LiteralList(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + Literal(items[i]);
  return out + "}";
}

// The field by its number, with its name beside it for a reader of the generated file. (An
// enumerator name derived from the field's name would be a guess: "codesigning_id" is
// Field::kCodeSigningId.)
std::string FieldCode(Field field) {
  return "F(" + std::to_string(static_cast<size_t>(field)) + " /* " + std::string(FieldName(field)) + " */)";
}

std::string Conditions(const std::vector<Condition>& conditions) {
  std::string out = "{";
  for (size_t i = 0; i < conditions.size(); ++i) {
    out += (i ? ", " : "") + std::string("C(") + FieldCode(conditions[i].field) + ", " +
           LiteralList(conditions[i].patterns) + ")";
  }
  return out + "}";
}

std::string Alternatives(const std::vector<std::vector<Condition>>& alternatives) {
  std::string out = "{";
  for (size_t i = 0; i < alternatives.size(); ++i) out += (i ? ",\n      " : "") + Conditions(alternatives[i]);
  return out + "}";
}

// Writes every member of `rule` (include/tediag/rule.h) as an assignment. A member left out here
// would silently take its default in the binary: RuleLoader.EmbeddedRulesAreTheRuleFilesAsLoaded
// compares each embedded rule, whole, with its file as loaded, and fails on it.
void WriteRule(std::ostream& out, const Rule& rule, size_t index) {
  static constexpr const char* kSeverities[] = {"Severity::kInfo", "Severity::kWarning", "Severity::kError"};
  out << "  {  // " << rule.origin << "\n"
      << "    Rule& r = rules[" << index << "];\n"
      << "    r.id = " << Literal(rule.id) << ";\n"
      << "    r.class_slug = " << Literal(rule.class_slug) << ";\n"
      << "    r.title = " << Literal(rule.title) << ";\n"
      << "    r.severity = " << kSeverities[static_cast<size_t>(rule.severity)] << ";\n"
      << "    r.applies_to_log = " << (rule.applies_to_log ? "true" : "false") << ";\n"
      << "    r.applies_to_crash = " << (rule.applies_to_crash ? "true" : "false") << ";\n"
      << "    r.when = " << Alternatives(rule.when) << ";\n"
      << "    r.unless = " << Conditions(rule.unless) << ";\n"
      << "    r.explanation = " << Literal(rule.explanation) << ";\n"
      << "    r.fix = Strings(" << LiteralList(rule.fix) << ");\n";
  out << "    r.references = {";
  for (size_t i = 0; i < rule.references.size(); ++i) {
    out << (i ? ", " : "") << "{std::string(" << Literal(rule.references[i].title) << "), std::string("
        << Literal(rule.references[i].url) << ")}";
  }
  out << "};\n"
      << "    r.refines = Strings(" << LiteralList(rule.refines) << ");\n"
      << "    r.needs = Strings(" << LiteralList(rule.needs) << ");\n"
      << "    r.examples = {";
  for (size_t i = 0; i < rule.examples.size(); ++i) {
    const RuleExample& example = rule.examples[i];
    out << (i ? ",\n      " : "") << "{std::string(" << Literal(example.text) << "), "
        << (example.should_match ? "true" : "false") << ", " << example.line << "}";
  }
  out << "};\n"
      << "    r.log_sources = " << Alternatives(rule.log_sources) << ";\n"
      << "    r.origin = " << Literal(rule.origin) << ";\n"
      << "    r.source = RuleSource::kEmbedded;\n"
      << "  }\n";
}

template <typename Visit>
void ForEachPattern(const Rule& rule, Visit visit) {
  for (const auto& selection : rule.when) {
    for (const Condition& condition : selection) {
      for (const std::string& pattern : condition.patterns) visit(pattern);
    }
  }
  for (const Condition& condition : rule.unless) {
    for (const std::string& pattern : condition.patterns) visit(pattern);
  }
}

// Every rule file, in file-name order, loaded and checked as tediag checks a user's rules.
RuleSet LoadAll(std::vector<std::string> files, std::vector<RuleError>& errors) {
  std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    return std::filesystem::path(a).filename() < std::filesystem::path(b).filename();
  });
  RuleSet set;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      errors.push_back({file, "cannot be read"});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    LoadRuleText(text.str(), "rules/" + std::filesystem::path(file).filename().string(), set, errors);
  }
  CheckRuleSet(set, errors);
  return set;
}

// The prefilter analysis of every distinct pattern, sorted by pattern text (as the table must be).
std::map<std::string, PatternPrefilter> AnalyseAll(const std::vector<Rule>& rules, std::vector<RuleError>& errors) {
  std::map<std::string, PatternPrefilter> patterns;
  for (const Rule& rule : rules) {
    ForEachPattern(rule, [&](const std::string& pattern) {
      if (patterns.count(pattern)) return;
      absl::StatusOr<PatternAnalysis> analysis = AnalyzePattern(pattern);
      if (!analysis.ok()) {
        errors.push_back({rule.origin, "rule " + rule.id + ": bad pattern '" + pattern +
                                           "': " + std::string(analysis.status().message())});
        return;
      }
      patterns.emplace(pattern, std::move(analysis->prefilter));
    });
  }
  return patterns;
}

// The generated source: EmbeddedPatternPrefilters() and EmbeddedRuleSet().
std::string Emit(const RuleSet& set, const std::map<std::string, PatternPrefilter>& patterns) {
  std::ostringstream out;
  out << "// Generated by rules/compile_rules.cc from rules/*.yaml. Do not edit.\n"
      << "#include \"tediag/embedded_rules.h\"\n\n"
      << "#include <initializer_list>\n#include <string>\n\n"
      << "namespace tediag {\n"
      << "namespace {\n\n"
      << "using namespace std::string_view_literals;\n\n"
      << "std::vector<std::string> Strings(std::initializer_list<std::string_view> items) {\n"
      << "  return {items.begin(), items.end()};\n}\n\n"
      << "constexpr Field F(size_t number) { return static_cast<Field>(number); }\n\n"
      << "Condition C(Field field, std::initializer_list<std::string_view> patterns) {\n"
      << "  return {field, Strings(patterns)};\n}\n\n";
  size_t atom_list = 0;
  std::string table;
  for (const auto& [pattern, prefilter] : patterns) {
    if (prefilter.atoms.empty()) {
      table += "    {" + Literal(pattern) + ", {}},\n";
      continue;
    }
    std::string name = "kAtoms" + std::to_string(atom_list++);
    out << "constexpr std::string_view " << name << "[] = " << LiteralList(prefilter.atoms) << ";\n";
    table += "    {" + Literal(pattern) + ", " + name + "},\n";
  }
  out << "\n}  // namespace\n\n"
      << "std::span<const AnalysedPattern> EmbeddedPatternPrefilters() {\n"
      << "  static constexpr AnalysedPattern kPatterns[] = {\n"
      << table << "  };\n"
      << "  return kPatterns;\n}\n\n"
      << "RuleSet EmbeddedRuleSet() {\n"
      << "  RuleSet set;\n"
      << "  set.classes = {\n";
  for (const FailureClass& c : set.classes) {
    out << "    {std::string(" << Literal(c.slug) << "), std::string(" << Literal(c.title) << "), std::string("
        << Literal(c.summary) << "), std::string(" << Literal(c.origin) << ")},\n";
  }
  out << "  };\n"
      << "  std::vector<Rule>& rules = set.rules;\n"
      << "  rules.resize(" << set.rules.size() << ");\n";
  for (size_t i = 0; i < set.rules.size(); ++i) WriteRule(out, set.rules[i], i);
  out << "  return set;\n}\n\n}  // namespace tediag\n";
  return out.str();
}

int Run(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: compile_rules OUTPUT.cc RULE.yaml...\n";
    return 2;
  }
  std::vector<RuleError> errors;
  RuleSet set = LoadAll({argv + 2, argv + argc}, errors);
  std::map<std::string, PatternPrefilter> patterns = AnalyseAll(set.rules, errors);
  if (!errors.empty()) {
    for (const RuleError& error : errors) std::cerr << error.where << ": " << error.message << "\n";
    std::cerr << "compile_rules: the embedded rule database has " << errors.size() << " problem(s)\n";
    return 1;
  }
  std::ofstream file(argv[1], std::ios::binary | std::ios::trunc);
  file << Emit(set, patterns);
  if (!file.flush()) {
    std::cerr << "compile_rules: cannot write " << argv[1] << "\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace tediag

int main(int argc, char** argv) { return tediag::Run(argc, argv); }
