// The `log stream` / `log show` predicate: generated from the rule database (every rule's
// `log_sources`, and literal process/sender/subsystem conditions of log rules), plus the app's
// own process, so that the collector records exactly what the loaded rules can read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tediag/rule.h"

namespace tediag::collector {

// An NSPredicate string literal holding `text`: double-quoted, with backslash, double quote
// and control characters escaped, so that no name can end the literal early.
std::string QuotePredicateLiteral(std::string_view text);

// What the predicate should also select besides the rules' sources.
struct AppSelector {
  std::string process;    // the app's executable name
  std::string bundle_id;  // when known: messages naming it are kept too
};

// Alternatives joined with OR, one per distinct clause, in a stable order (rule order).
std::string BuildPredicate(const std::vector<Rule>& rules, const AppSelector& app);

}  // namespace tediag::collector
