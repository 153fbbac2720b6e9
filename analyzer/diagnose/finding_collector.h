// Turns rule hits into findings: one per rule and app, with capped evidence and the rule's
// explanation filled in from the captures and fields of all of the finding's records.
//
// Evidence is what the rule matched: for a log entry its message; for a crash report the lines
// its patterns matched, each at its own line (Record::field_lines). The collector also keeps what
// a negative result describes (Seen: every crash report it is given) and the lines that mention
// the diagnosed machinery but that no rule explains (watch_list.h), bounded. All of this runs on
// the merging thread, for records that matched, crash reports and flagged lines only: never per
// log line. Not thread-safe.
#pragma once

#include <array>
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
  // thread). Every crash report is given, matched or not.
  void AddMatched(std::string_view input, const Record& record, const std::vector<uint32_t>& hits);

  // A log line that matched no rule and that the matcher flagged for the watch list (seen `count`
  // times); kept when it does hold a watch word. AddUnexplainedCount counts such lines not kept.
  void AddUnexplained(std::string_view input, uint64_t line, std::string_view process, std::string_view text,
                      uint64_t count = 1);
  void AddUnexplainedCount(uint64_t count);

  // The findings, with their explanations filled in.
  std::vector<Finding> TakeFindings();
  // The unexplained lines (at most kMaxUnexplained) and how many there were, repeats included.
  std::vector<UnexplainedLine> TakeUnexplained(uint64_t& total);
  // The crash reports seen (at most kMaxSeenCrashes) and how many.
  std::vector<SeenCrash> TakeSeenCrashes(uint64_t& total);

 private:
  // What fills a finding's explanation: the first non-empty value of each name, over its records.
  struct Values {
    Captures captures;
    std::array<std::string, kFieldCount> fields;
  };
  const std::vector<std::string>& TemplateNames(uint32_t rule);
  void AddLine(std::string_view input, uint64_t line, std::string_view process, std::string_view text, uint64_t count);

  const Matcher& matcher_;
  std::string focus_;  // lower case
  std::vector<Finding> findings_;
  std::vector<Values> values_;                                           // by finding
  absl::flat_hash_map<std::pair<uint32_t, std::string>, size_t> index_;  // (rule, app) → finding
  absl::flat_hash_map<uint32_t, std::vector<std::string>> names_;        // rule → its template's names
  std::vector<UnexplainedLine> unexplained_;
  absl::flat_hash_map<std::string, size_t> unexplained_index_;  // text → unexplained_
  uint64_t unexplained_total_ = 0;
  std::vector<SeenCrash> crashes_;
  uint64_t crashes_total_ = 0;
};

// The app a path belongs to: "…/Foo.app/Contents/MacOS/Foo" → "Foo", "/usr/local/bin/tool" → "tool".
std::string AppFromPath(std::string_view path);

// Replaces {name} and {name|fallback} in `text` with captures, then record fields; an unknown
// name without a fallback reads "(unknown)". A part written [[ … ]] is kept only when every
// placeholder in it has a value (a fallback does not count): "[[Team {team_id}.]]" says nothing
// when the team is not known.
std::string FillTemplate(std::string_view text, const Captures& captures, const Record& record, std::string_view app);

// The names of the placeholders of a template, in order, each once.
std::vector<std::string> TemplateNames(std::string_view text);

}  // namespace tediag
