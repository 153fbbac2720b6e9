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

bool ParseSeverity(std::string_view name, Severity& out) {
  if (name == "error")
    out = Severity::kError;
  else if (name == "warning")
    out = Severity::kWarning;
  else if (name == "info")
    out = Severity::kInfo;
  else
    return false;
  return true;
}

}  // namespace tediag
