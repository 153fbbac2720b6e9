#include "read/paste_normalizer.h"

#include "read/line_parsers.h"
#include "read/paste_lines.h"
#include "util/text_util.h"

namespace tediag {

using paste::IsBlank;
using paste::Line;
using paste::Out;

bool PasteNormalizer::LooksLikeLogExport(std::string_view data) {
  size_t seen = 0, entries = 0, start = 0;
  bool first = true;
  Record probe;
  while (start < data.size() && seen < kSampleLines) {
    size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (IsBlank(line)) continue;
    if (first && (line[0] == '{' || line[0] == '[')) {
      // ndjson, --style json, an .ips report, a notary log: read as they are, unless a JSON
      // document copied from a web page is indented with no-break spaces (never in a log export).
      std::string_view head = data.substr(0, std::min<size_t>(data.size(), 64 << 10));
      return !Contains(head, "\xC2\xA0") || Contains(head, "\"eventMessage\"");
    }
    bool entry = (line.starts_with("{\"") && line.ends_with("}")) || IsLogBoilerplate(line) ||
                 ParseDefaultStyleLine(line, probe) || ParseCompactStyleLine(line, probe) ||
                 ParseSyslogStyleLine(line, probe);
    if (first && !entry) return false;
    std::string_view t = StripLeadingWhitespace(line);
    if (t.starts_with("```") || t.starts_with("~~~")) return false;  // a post that opens with a log line
    if (Contains(line, "\xC2\xA0")) return false;                    // a log copied from a web page
    first = false;
    ++seen;
    entries += entry;
  }
  return seen > 0 && entries * 2 >= seen;  // continuation lines of multi-line messages aside
}

bool PasteNormalizer::Normalize(std::string_view data) {
  out_.clear();
  source_.clear();
  std::vector<Line> lines = paste::UnquotedLines(data);
  paste::UnindentCodeBlocks(lines);
  paste::MarkJson(lines);
  lines = paste::UndoInlineMarkup(std::move(lines));
  std::vector<Out> out_lines = paste::JoinWrappedLines(lines);

  size_t total = 0;
  for (const Out& o : out_lines) total += o.text.size() + 1;
  out_.reserve(total);
  source_.reserve(out_lines.size());
  for (const Out& o : out_lines) {
    out_.append(o.text);
    out_.push_back('\n');
    source_.push_back(o.source);
  }
  // Nothing changed: the caller reads its own bytes (a missing last newline is no change).
  std::string_view same = out_;
  if (!data.ends_with('\n') && !same.empty()) same.remove_suffix(1);
  if (same == data) {
    out_.clear();
    source_.clear();
    return false;
  }
  return true;
}

void SourceLineSink::OnRecord(const Record& record) {
  Record copy = record;
  copy.line = Translate(record.line);
  if (record.field_lines != nullptr) {  // a crash report's fields, each line of each at its own number
    field_lines_ = *record.field_lines;
    for (std::vector<SourceLine>& lines : field_lines_.of) {
      for (SourceLine& line : lines) line.line = Translate(line.line);
    }
    copy.field_lines = &field_lines_;
  }
  inner_.OnRecord(copy);
}

void SourceLineSink::OnError(uint64_t line, std::string_view message) { inner_.OnError(Translate(line), message); }

uint64_t SourceLineSink::Translate(uint64_t line) const {
  if (line < first_line_) return line;  // 0: an error about the whole input
  return first_line_ + normalizer_.SourceLine(line - first_line_);
}

}  // namespace tediag
