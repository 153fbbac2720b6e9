#include "tediag/rule.h"

#include <algorithm>
#include <array>

namespace tediag {
namespace {

constexpr std::array<std::string_view, 12> kClasses = {
    "code-signature-invalid", "quarantine-block",       "sandbox-inheritance", "apple-events-consent",
    "library-validation",     "restricted-entitlements", "launch-constraint",  "hardened-runtime",
    "tcc-denied",             "not-executable",          "notarization",       "xprotect-malware",
};

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: break;
  }
  return "info";
}

bool ParseSeverity(std::string_view name, Severity& out) {
  if (name == "error") out = Severity::kError;
  else if (name == "warning") out = Severity::kWarning;
  else if (name == "info") out = Severity::kInfo;
  else return false;
  return true;
}

bool IsKnownClass(std::string_view slug) {
  return std::find(kClasses.begin(), kClasses.end(), slug) != kClasses.end();
}

}  // namespace tediag
