#include "analyzer.h"
#include "text_util.h"

#include <algorithm>
#include <array>

#include "diagnosis.h"
#include "finding_collector.h"
#include "input_files.h"
#include "input_reader.h"

namespace tediag {
namespace {

// Feeds one input's records to the collector and keeps its summary.
class SummarySink : public RecordSink {
 public:
  SummarySink(FindingCollector& collector, InputSummary& summary)
      : collector_(collector), summary_(summary) {}

  void OnRecord(const Record& record) override {
    ++summary_.records;
    ++per_format_[static_cast<size_t>(current_)];
    collector_.Add(summary_.path, record);
  }
  void OnError(uint64_t line, std::string_view message) override {
    ++summary_.errors_total;
    if (summary_.errors.size() < kMaxInputErrors) summary_.errors.push_back({line, std::string(message)});
  }
  void OnFormat(InputFormat format) override {
    current_ = format;
    if (std::find(summary_.formats.begin(), summary_.formats.end(), format) == summary_.formats.end()) {
      summary_.formats.push_back(format);
    }
  }
  void Finish() {
    auto most = std::max_element(per_format_.begin(), per_format_.end());
    if (*most > 0) {
      summary_.format = static_cast<InputFormat>(most - per_format_.begin());
    } else if (!summary_.formats.empty()) {
      summary_.format = summary_.formats.front();
    }
  }

 private:
  FindingCollector& collector_;
  InputSummary& summary_;
  InputFormat current_ = InputFormat::kUnknown;
  std::array<uint64_t, kInputFormatCount> per_format_{};
};

void ReadOne(InputReader& reader, FindingCollector& collector, InputSummary& summary, std::string_view data) {
  summary.bytes = data.size();
  SummarySink sink(collector, summary);
  reader.Read(data, sink);
  sink.Finish();
}

Report Finish(Report report, FindingCollector& collector) {
  report.findings = collector.TakeFindings();
  Diagnose(report);
  return report;
}

}  // namespace

Report Analyze(const Matcher& matcher, const AnalyzeOptions& options) {
  Report report;
  report.focus_app = options.focus_app;
  report.rules_loaded = matcher.rules().size();
  FindingCollector collector(matcher, options.focus_app);
  InputReader reader;
  for (const InputFile& input : ExpandInputs(options.inputs)) {
    InputSummary& summary = report.inputs.emplace_back();
    summary.path = input.path;
    absl::StatusOr<std::string> data = ReadInput(input);
    if (!data.ok()) {
      summary.readable = false;
      summary.errors.push_back({0, std::string(data.status().message())});
      summary.errors_total = 1;
      continue;
    }
    if (options.on_input_read) options.on_input_read(summary.path, *data);
    ReadOne(reader, collector, summary, *data);
  }
  return Finish(std::move(report), collector);
}

Report AnalyzeText(const Matcher& matcher, std::string_view name, std::string_view text,
                   std::string_view focus_app) {
  Report report;
  report.focus_app = std::string(focus_app);
  report.rules_loaded = matcher.rules().size();
  FindingCollector collector(matcher, focus_app);
  InputReader reader;
  InputSummary& summary = report.inputs.emplace_back();
  summary.path = std::string(name);
  ReadOne(reader, collector, summary, text);
  return Finish(std::move(report), collector);
}

}  // namespace tediag
