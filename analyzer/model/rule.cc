#include "tediag/rule.h"

namespace tediag {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: break;
  }
  return "info";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (Severity severity : {Severity::kInfo, Severity::kWarning, Severity::kError}) {
    if (SeverityName(severity) == name) return severity;
  }
  return std::nullopt;
}

}  // namespace tediag
