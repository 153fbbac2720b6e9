// The analysis end to end: inputs → readers → matcher → findings → diagnosis → Report.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "matcher.h"
#include "tediag/report.h"

namespace tediag {

struct AnalyzeOptions {
  std::vector<std::string> inputs;  // files, folders (walked recursively), "-" for stdin
  std::string focus_app;            // --app: name, bundle id or path fragment; may be empty
  // Called with each input's whole content once it is read (--redact learns names from it); may be empty.
  std::function<void(std::string_view path, std::string_view data)> on_input_read;
};

// Reads every input and diagnoses. Never fails as a whole: unreadable inputs and malformed
// lines are recorded in the report's input summaries.
Report Analyze(const Matcher& matcher, const AnalyzeOptions& options);

// The same, over text already in memory (a rule example, a test). `name` labels the evidence.
Report AnalyzeText(const Matcher& matcher, std::string_view name, std::string_view text,
                   std::string_view focus_app = {});

}  // namespace tediag
