// `tediag analyze --explain`: how each record of the inputs was read, for a rule writer whose
// rule does not match. For every record: its input and line, its kind and format, the fields
// the reader filled, the rules that matched it, and the rules that came close: rules one of
// whose conditions held, or whose pattern's prefilter literal was in the value while the
// pattern did not match, with each condition's outcome (and an `unless` that vetoed, or a rule
// for the other kind of record). A unified log archive's records are its tracev3 entries, read
// by the unified_log stage as Analyze reads them (each file is read whole; the first
// max_records are shown).
//
// Costs: every rule's conditions are tried on every record shown (a literal search, and the
// regex where the literal is present), so the output and the work are bounded by
// ExplainOptions::max_records; the rest of the inputs is only counted. Meant for a snippet, not
// a 100 MB log. Thread-compatible: one call at a time per Matcher is not required (the matcher
// is only read), but the call itself runs on the calling thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "match/matcher.h"

namespace tediag {

struct ExplainOptions {
  size_t max_records = 200;  // records described; later ones are only counted
  size_t max_close = 3;      // rules that came close, per record, closest first
  size_t max_value = 160;    // bytes of each field value shown
};

// The explanation of `inputs` (as Analyze takes them), as text.
std::string ExplainInputs(const Matcher& matcher, const std::vector<std::string>& inputs,
                          const ExplainOptions& options = {});

}  // namespace tediag
