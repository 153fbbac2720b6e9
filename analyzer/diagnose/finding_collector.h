// Turns rule hits into findings: one per rule and app, with capped evidence and the rule's
// explanation filled in from the captures and fields of all of the finding's records. Which app
// a hit is about is app_identity.h's: the names of every hit (and a bundle manifest's) are
// resolved into apps when the findings are taken, and a rule's hits on one app become one
// finding however each named it. A hit that names no app stays with its input (a crash report
// that names no process: with itself).
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
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "diagnose/app_identity.h"
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

  // Names known to belong to one app: a collector bundle's manifest (ManifestApp).
  void AddKnownApp(AppNames names);

  // The findings, with their explanations filled in, and in `apps` every app seen (findings'
  // Finding::app index it). A finding whose rule `needs` another rule or class stands only when
  // a finding of that rule or class comes from one of its inputs. Call it once, after every Add.
  std::vector<Finding> TakeFindings(std::vector<AppIdentity>& apps);
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

  // One rule's hits on one name set (AppResolver handle), or without names on one scope.
  struct Raw {
    size_t handle = 0;
    Finding finding;
    Values values;
    std::vector<uint64_t> seq;        // by evidence: the order it was read in
    std::vector<std::string> inputs;  // every input its records came from, each once
  };
  // Drops the findings of rules whose `needs:` no other finding from one of their inputs meets;
  // their lines go to the unexplained list instead.
  void DropUnmetNeeds();

  const Matcher& matcher_;
  std::string focus_;  // lower case
  AppResolver resolver_;
  std::vector<Raw> raw_;
  uint64_t seq_ = 0;
  absl::flat_hash_map<std::tuple<uint32_t, size_t, std::string>, size_t> index_;  // (rule, names, scope) → raw_
  absl::flat_hash_map<uint32_t, std::vector<std::string>> names_;                 // rule → its template's names
  std::vector<UnexplainedLine> unexplained_;
  absl::flat_hash_map<std::string, size_t> unexplained_index_;  // text → unexplained_
  uint64_t unexplained_total_ = 0;
  std::vector<SeenCrash> crashes_;
  uint64_t crashes_total_ = 0;
};

// Replaces {name} and {name|fallback} in `text` with captures, then record fields ({app}, and a
// crash report's {process} when the report does not give it, are `app`: the name its app is
// shown by, empty when the evidence does not name one); an unknown name without a fallback
// reads "(unknown)". A part written [[ … ]] is kept only when every
// placeholder in it has a value (a fallback does not count): "[[Team {team_id}.]]" says nothing
// when the team is not known.
std::string FillTemplate(std::string_view text, const Captures& captures, const Record& record, std::string_view app);

// The names of the placeholders of a template, in order, each once.
std::vector<std::string> TemplateNames(std::string_view text);

}  // namespace tediag
