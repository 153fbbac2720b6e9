#include "predicate.h"

#include <algorithm>

#include "util/text_util.h"

namespace tediag::collector {
namespace {

// The predicate key a field is tested with.
std::string_view PredicateKey(Field field) {
  switch (field) {
    case Field::kProcess: return "process";
    case Field::kSender: return "sender";
    case Field::kSubsystem: return "subsystem";
    case Field::kMessage: return "eventMessage";
    default: return {};
  }
}

std::string Clause(const Condition& condition, std::string_view op) {
  std::vector<std::string> terms;
  for (const std::string& value : condition.patterns) {
    terms.push_back(StrCat(PredicateKey(condition.field), " ", op, " ", QuotePredicateLiteral(value)));
  }
  if (terms.size() == 1) return terms[0];
  return StrCat("(", Join(terms, " OR "), ")");
}

// A `when` condition on process, sender or subsystem whose pattern is one exact name
// ('^amfid$'), as the name; otherwise empty.
std::string LiteralName(std::string_view pattern) {
  if (pattern.size() < 3 || pattern.front() != '^' || pattern.back() != '$') return {};
  std::string out;
  for (size_t i = 1; i + 1 < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 2 < pattern.size() && pattern[i + 1] == '.') {
      out += '.';
      ++i;
      continue;
    }
    if (!(IsAsciiAlnum(c) || c == '-' || c == '_' || c == ' ')) return {};
    out += c;
  }
  return out;
}

void AddUnique(std::vector<std::string>& clauses, std::string clause) {
  if (std::find(clauses.begin(), clauses.end(), clause) == clauses.end()) clauses.push_back(std::move(clause));
}

}  // namespace

std::string QuotePredicateLiteral(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
          out += kHex[static_cast<unsigned char>(c) & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string BuildPredicate(const std::vector<Rule>& rules, const AppSelector& app) {
  std::vector<std::string> clauses;
  for (const Rule& rule : rules) {
    if (!rule.applies_to_log) continue;
    for (const std::vector<Condition>& source : rule.log_sources) {
      if (source.size() == 1 && source[0].field != Field::kMessage) {  // one clause per name: duplicates merge
        for (const std::string& value : source[0].patterns)
          AddUnique(clauses, Clause({source[0].field, {value}}, "=="));
        continue;
      }
      std::vector<std::string> parts;
      for (const Condition& condition : source) {
        parts.push_back(Clause(condition, condition.field == Field::kMessage ? "CONTAINS" : "=="));
      }
      AddUnique(clauses, parts.size() == 1 ? parts[0] : StrCat("(", Join(parts, " AND "), ")"));
    }
    for (const std::vector<Condition>& selection : rule.when) {
      for (const Condition& condition : selection) {
        if (condition.field != Field::kProcess && condition.field != Field::kSender &&
            condition.field != Field::kSubsystem) {
          continue;
        }
        for (const std::string& pattern : condition.patterns) {
          std::string name = LiteralName(pattern);
          if (!name.empty()) AddUnique(clauses, Clause({condition.field, {name}}, "=="));
        }
      }
    }
  }
  if (!app.process.empty()) AddUnique(clauses, Clause({Field::kProcess, {app.process}}, "=="));
  if (!app.bundle_id.empty()) AddUnique(clauses, Clause({Field::kMessage, {app.bundle_id}}, "CONTAINS"));
  return Join(clauses, " OR ");
}

}  // namespace tediag::collector
