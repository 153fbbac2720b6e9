// Turns rule hits into findings: one per rule and app, with capped evidence and the rule's
// explanation filled in from the first hit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "match/matcher.h"
#include "tediag/report.h"

namespace tediag {

class FindingCollector {
 public:
  FindingCollector(const Matcher& matcher, std::string_view focus_app);

  // Records the hits of a record of input `input`, matched already (Matcher::Match, on a reader
  // thread).
  void AddMatched(std::string_view input, const Record& record, const std::vector<uint32_t>& hits);

  std::vector<Finding> TakeFindings() { return std::move(findings_); }

 private:
  const Matcher& matcher_;
  std::string focus_;  // lower case
  std::vector<Finding> findings_;
  absl::flat_hash_map<std::pair<uint32_t, std::string>, size_t> index_;  // (rule, app) → finding
};

// The app a path belongs to: "…/Foo.app/Contents/MacOS/Foo" → "Foo", "/usr/local/bin/tool" → "tool".
std::string AppFromPath(std::string_view path);

// Replaces {name} and {name|fallback} in `text` with captures, then record fields.
std::string FillTemplate(std::string_view text, const Captures& captures, const Record& record,
                         std::string_view app);

}  // namespace tediag
