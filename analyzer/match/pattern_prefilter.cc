#include "match/pattern_prefilter.h"

#include <algorithm>

#include "match/literal_scanner.h"
#include "re2/filtered_re2.h"
#include "util/text_util.h"

namespace tediag {
namespace {

bool HasNonAscii(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// RE2 lowercases the literals it extracts, including non-ASCII letters, whose upper and lower
// case LiteralScanner cannot equate. The atoms are safe when each of their non-ASCII characters
// appears as written in the pattern (it was lower case, or has no case, already) and the
// pattern does not ignore case over non-ASCII text.
bool AtomsSafe(const std::vector<std::string>& atoms, std::string_view pattern) {
  if (HasNonAscii(pattern) && Contains(pattern, "(?i")) return false;
  for (const std::string& atom : atoms) {
    for (size_t i = 0; i < atom.size();) {
      size_t length = std::max<size_t>(1, Utf8SequenceLength(atom, i));
      std::string_view character = std::string_view(atom).substr(i, length);
      i += length;
      if (static_cast<unsigned char>(character[0]) >= 0x80 && !Contains(pattern, character)) return false;
    }
  }
  return true;
}

}  // namespace

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

absl::StatusOr<PatternAnalysis> AnalyzePattern(std::string_view pattern) {
  PatternAnalysis out;
  out.regex = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), PatternOptions());
  if (!out.regex->ok()) return absl::InvalidArgumentError(out.regex->error());
  re2::FilteredRE2 filter(static_cast<int>(LiteralScanner::kMinLength));
  int id = 0;
  if (filter.Add(re2::StringPiece(pattern.data(), pattern.size()), PatternOptions(), &id) == RE2::NoError) {
    std::vector<std::string> atoms;
    filter.Compile(&atoms);
    std::vector<int> unfiltered;
    filter.AllPotentials({}, &unfiltered);  // the pattern, when no literal gates it
    bool scannable = std::all_of(atoms.begin(), atoms.end(),
                                 [](const std::string& atom) { return atom.size() >= LiteralScanner::kMinLength; });
    if (unfiltered.empty() && !atoms.empty() && scannable && AtomsSafe(atoms, pattern)) {
      std::sort(atoms.begin(), atoms.end());
      atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
      out.prefilter.atoms = std::move(atoms);
    }
  }
  return out;
}

}  // namespace tediag
