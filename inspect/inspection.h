// What an inspection finds, and its documented line form ("tediag-inspect" lines, README.md
// §inspect), which is what the rules match: each observation is one line
//
//   tediag-inspect: CODE: PATH[ (ARCH)]: DETAIL
//
// CODE is a fixed lower-case word (the table in inspect/README.md); PATH is the file or bundle
// as given on the command line, joined with the path inside it; ARCH is the slice; DETAIL is
// one line of free text. Facts (kind kFact) describe the code; findings (kFinding) are what a
// rule turns into a diagnosis; problems (kProblem) are about the input rather than the code (an
// archive entry refused, an archive that cannot be unpacked) and go to the report's input list.
// Lines never contain '\n' (values are cleaned when written).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tediag::inspect {

struct Observation {
  enum class Kind { kFact, kFinding, kProblem };
  Kind kind = Kind::kFact;
  std::string code;
  std::string path;
  std::string arch;  // may be empty
  std::string detail;
};

// Gathers observations; not thread-safe (one per inspection).
class Observations {
 public:
  void Fact(std::string code, std::string path, std::string arch, std::string detail) {
    list_.push_back({Observation::Kind::kFact, std::move(code), std::move(path), std::move(arch), std::move(detail)});
  }
  void Finding(std::string code, std::string path, std::string arch, std::string detail) {
    list_.push_back(
        {Observation::Kind::kFinding, std::move(code), std::move(path), std::move(arch), std::move(detail)});
  }
  void Problem(std::string code, std::string path, std::string detail) {
    list_.push_back({Observation::Kind::kProblem, std::move(code), std::move(path), "", std::move(detail)});
  }
  const std::vector<Observation>& list() const { return list_; }
  bool HasFinding(std::string_view code) const;

 private:
  std::vector<Observation> list_;
};

// One observation as its line (no trailing newline).
std::string ObservationLine(const Observation& o);

// Every observation, one line each.
std::string ObservationText(const std::vector<Observation>& list);

}  // namespace tediag::inspect
