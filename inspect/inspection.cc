// The tediag-inspect line form (inspection.h).
#include "inspection.h"

#include <algorithm>

namespace tediag::inspect {
namespace {

std::string OneLine(std::string_view s) {
  std::string out(s);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\0'; }, ' ');
  return out;
}

}  // namespace

bool Observations::HasFinding(std::string_view code) const {
  return std::any_of(list_.begin(), list_.end(),
                     [code](const Observation& o) { return o.kind == Observation::Kind::kFinding && o.code == code; });
}

std::string ObservationLine(const Observation& o) {
  std::string line = "tediag-inspect: " + o.code + ": " + OneLine(o.path);
  if (!o.arch.empty()) line += " (" + o.arch + ")";
  line += ": " + OneLine(o.detail);
  return line;
}

std::string ObservationText(const std::vector<Observation>& list) {
  std::string out;
  for (const Observation& o : list) out += ObservationLine(o) + "\n";
  return out;
}

}  // namespace tediag::inspect
