#include "report/report_writers.h"

namespace tediag {
namespace {

// One row per output format. A bundle file name must be unique; "manifest.json" is the
// collector's own.
constexpr ReportWriter kWriters[] = {
    {.name = "text", .bundle_file = "", .for_programs = false, .render = RenderText},
    {.name = "json", .bundle_file = "report.json", .for_programs = true, .render = RenderJson},
    {.name = "markdown", .bundle_file = "report.md", .for_programs = false, .render = RenderMarkdown},
    {.name = "jsonl", .bundle_file = "", .for_programs = true, .render = RenderJsonLines},
    {.name = "sarif", .bundle_file = "", .for_programs = true, .render = RenderSarif},
};

}  // namespace

std::span<const ReportWriter> ReportWriters() { return kWriters; }

const ReportWriter* FindReportWriter(std::string_view name) {
  for (const ReportWriter& writer : kWriters) {
    if (writer.name == name) return &writer;
  }
  return nullptr;
}

}  // namespace tediag
