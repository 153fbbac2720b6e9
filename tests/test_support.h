// Helpers shared by the tests: the embedded rule database, and readers' output as plain values.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.h"
#include "tediag/record.h"
#include "tediag/report.h"
#include "tediag/rule.h"

namespace tediag::testing {

// The rules compiled into tediag; fails the test run if any of them does not load.
const Matcher& EmbeddedMatcher();

// Rules written inline in a test: `text` loaded as the rule file `origin`, beside the embedded
// classes (so `class: tcc-denied` is known), then checked as tediag checks a user's rules.
RuleSet LoadRules(std::string_view text, std::string_view origin, std::vector<RuleError>& errors);

// A record copied out of the reader, with its non-empty fields by name.
struct ReadRecord {
  RecordKind kind;
  uint64_t line;
  std::string text;
  std::map<std::string, std::string> fields;
  std::string operator[](std::string_view name) const {
    auto it = fields.find(std::string(name));
    return it == fields.end() ? "" : it->second;
  }
};

struct ReadResult {
  std::vector<ReadRecord> records;
  std::vector<std::pair<uint64_t, std::string>> errors;
  std::vector<InputFormat> formats;
};

// Runs InputReader over `text` and keeps everything it delivered.
ReadResult ReadText(std::string_view text);

// A file's whole content ("" when it cannot be read).
std::string Slurp(const std::filesystem::path& path);

// A fresh, empty folder for the running test: TMPDIR/tediag-PREFIX-PID-TESTNAME (whatever an
// earlier run left there is removed). The caller removes it when done.
std::filesystem::path ScratchDir(std::string_view prefix);

// The rule ids of a report's findings.
std::vector<std::string> RuleIds(const Report& report);

}  // namespace tediag::testing
