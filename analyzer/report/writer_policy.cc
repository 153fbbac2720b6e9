#include "report/writer_policy.h"

#include "util/text_util.h"

namespace tediag::report_policy {

std::string EvidenceHead(const Evidence& e) {
  // Line 0: the evidence is the file as a whole (tediag inspect's findings).
  std::string head = ShownByLine(e) || e.line == 0 ? e.input : StrCat(e.input, ":", e.line);
  if (!e.timestamp.empty()) StrAppend(head, "  ", e.timestamp);
  if (!e.process.empty()) StrAppend(head, "  ", e.process);
  return head;
}

std::string UnexplainedHead(const UnexplainedLine& line) {
  std::string head = StrCat(line.input, ":", line.line);
  if (!line.process.empty()) StrAppend(head, "  ", line.process);
  if (line.count > 1) StrAppend(head, "  (", line.count, " times)");
  return head;
}

std::string WindowSummary(const Report& report) {
  if (report.window.empty()) return {};
  std::string out = StrCat("time window ", report.window, ": ", report.outside_window, " record",
                           report.outside_window == 1 ? "" : "s", " outside it, read but not matched");
  if (report.chunksets_outside_window != 0)
    StrAppend(out, "; ", report.chunksets_outside_window, " unified log chunksets wholly after it, not decompressed");
  return out;
}

uint64_t RecordsTotal(const Report& report) {
  uint64_t records = 0;
  for (const InputSummary& input : report.inputs) records += input.records;
  return records;
}

uint64_t UnexplainedListed(const Report& report) {
  uint64_t listed = 0;
  for (const UnexplainedLine& line : report.unexplained) listed += line.count;
  return listed;
}

}  // namespace tediag::report_policy
