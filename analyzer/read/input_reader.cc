#include "read/input_reader.h"

#include <algorithm>
#include <span>

#include "input/text_encoding.h"
#include "read/elision.h"
#include "read/input_cursor.h"
#include "read/line_parsers.h"
#include "read/paste_lines.h"
#include "read/tediag_output.h"
#include "read/tool_output.h"
#include "util/text_util.h"

namespace tediag {

void InputReader::SetFormat(InputFormat format) {
  if (format == format_) return;
  format_ = format;
  sink_->OnFormat(format);
}

void InputReader::FlushPending() {
  if (!has_pending_) return;
  has_pending_ = false;
  sink_->OnRecord(pending_);
}

void InputReader::EmitCrash(CrashReport& report) {
  if (report.empty()) return;
  sink_->OnRecord(report.ToRecord());
}

void InputReader::EmitCrashText() {
  CrashReport& report = crash_text_.report();
  if (report.empty()) return;
  EmitCrash(report);
  if (crash_text_.incomplete()) sink_->OnError(report.line, kTruncatedCrashReport);
}

void InputReader::EmitText(std::string_view line, uint64_t line_no) {
  Record text = LineRecord(line_no);
  ParseLooseLine(line, text);
  SetFormat(InputFormat::kText);
  sink_->OnRecord(text);
}

// One line, as the claims below see it: its text and, when it is an entry line of a text log
// style, the entry parsed from it.
struct InputReader::Line {
  std::string_view text;
  Record entry;
  InputFormat entry_format = InputFormat::kUnknown;  // kDefault, kCompact, kSyslog or kUnknown
};

// What a line can be, in the order it is tried: the first claim that takes a line reads it (and
// the lines that belong with it). The order is the formats' priority, in one place. Before it come
// the ndjson fast path and a text crash report still open (Read).
struct InputReader::Claim {
  std::string_view what;
  bool (InputReader::*take)(Cursor& cursor, Line& line);
};

std::span<const InputReader::Claim> InputReader::Claims() {
  static constexpr Claim kClaims[] = {
      {"an entry line of the default, compact or syslog style", &InputReader::TakeLogEntry},
      {"a JSON value: an ndjson event, an .ips report, a notary log, tediag's own JSON", &InputReader::TakeJsonObject},
      {"`log show --style json`, a JSON array of events", &InputReader::TakeJsonArray},
      {"the lines `log` prints around its entries", &InputReader::TakeBoilerplate},
      {"the start of a text crash report, or a field of one quoted alone", &InputReader::TakeCrashReportStart},
      {"a continuation line of the log entry or tool output before it", &InputReader::TakeContinuation},
      {"the first line of a tool's output (codesign, spctl, xattr, ...)", &InputReader::TakeToolOutput},
      {"member lines of an .ips body quoted without the rest", &InputReader::TakeBodyFragment},
      {"anything else: a line of pasted text", &InputReader::TakeText},
  };
  return kClaims;
}

bool InputReader::TakeLogEntry(Cursor&, Line& line) {
  if (line.entry_format == InputFormat::kUnknown) return false;
  FlushPending();
  SetFormat(line.entry_format);
  pending_ = line.entry;
  pending_tool_ = Tool::kNone;
  has_pending_ = true;
  return true;
}

bool InputReader::TakeJsonObject(Cursor& cursor, Line& line) {
  size_t brace = 0;
  if (!line.text.starts_with("{") && (brace = paste::LabelledJsonStart(line.text)) == std::string_view::npos)
    return false;
  FlushPending();
  if (brace > 0) {  // the label is text of its own; the value is read from its brace
    EmitText(line.text.substr(0, brace), cursor.line_no);
    cursor.start += brace;
  }
  ReadJsonObject(cursor, line.text.substr(brace));
  return true;
}

bool InputReader::TakeJsonArray(Cursor& cursor, Line& line) {
  if (!line.text.starts_with("[")) return false;
  FlushPending();
  return ReadJsonArray(cursor);  // not an array of events: the next claims try the line
}

bool InputReader::TakeBoilerplate(Cursor&, Line& line) {
  if (!IsLogBoilerplate(line.text)) return false;
  FlushPending();
  return true;
}

bool InputReader::TakeCrashReportStart(Cursor& cursor, Line& line) {
  if (!CrashTextReader::StartsReport(line.text)) return false;
  FlushPending();
  SetFormat(InputFormat::kCrash);
  in_crash_text_ = true;
  crash_text_.Begin(cursor.line_no);
  crash_text_.Feed(line.text, cursor.line_no);
  return true;
}

bool InputReader::TakeContinuation(Cursor&, Line& line) {
  if (!has_pending_) return false;
  bool continues = pending_tool_ == Tool::kNone ? !StripWhitespace(line.text).empty()
                                                : ContinuesToolOutput(pending_tool_, line.text);
  if (!continues) return false;
  // A continuation line of a multi-line message or tool output: widen the message over it.
  std::string_view message = pending_.Get(Field::kMessage);
  const char* begin = message.empty() ? line.text.data() : message.data();
  std::string_view widened(begin, static_cast<size_t>(line.text.data() + line.text.size() - begin));
  pending_.Set(Field::kMessage, widened);
  pending_.text = widened;
  return true;
}

bool InputReader::TakeToolOutput(Cursor& cursor, Line& line) {
  FlushPending();  // what is pending has ended: no claim before this one took the line
  Tool tool = ToolOutputStart(line.text);
  if (tool == Tool::kNone) return false;
  pending_ = LineRecord(cursor.line_no);
  pending_.Set(Field::kProcess, ToolName(tool));
  pending_.Set(Field::kMessage, line.text);
  pending_.text = line.text;
  pending_tool_ = tool;
  has_pending_ = true;
  SetFormat(ToolFormat(tool));
  return true;
}

bool InputReader::TakeBodyFragment(Cursor& cursor, Line& line) {
  return IpsReader::StartsBodyFragment(line.text) && Salvage(cursor, cursor.start, {}, /*members_only=*/true);
}

bool InputReader::TakeText(Cursor& cursor, Line& line) {
  if (!StripWhitespace(line.text).empty()) EmitText(line.text, cursor.line_no);
  return true;
}

// A text crash report is open: the line is its next one, or the report ends before it. True when
// the report took the line.
bool InputReader::FeedCrashText(Cursor& cursor, const Line& line) {
  CrashTextReader::Fed fed = CrashTextReader::Fed::kNotMine;
  bool json_start = line.text.starts_with("{") || line.text.starts_with("[");
  if (line.entry_format == InputFormat::kUnknown && (!json_start || IsElisionLine(line.text))) {  // "[...]" goes on
    fed = crash_text_.Feed(line.text, cursor.line_no);
  }
  if (fed == CrashTextReader::Fed::kAlsoText) EmitText(line.text, cursor.line_no);
  if (fed != CrashTextReader::Fed::kNotMine && !crash_text_.complete()) return true;
  in_crash_text_ = false;
  EmitCrashText();
  return fed != CrashTextReader::Fed::kNotMine;
}

std::optional<std::string_view> InputReader::Prepare(std::string_view data, RecordSink& sink, size_t& padding,
                                                     uint64_t first_line, std::optional<SourceLineSink>& source_lines) {
  if (std::optional<std::string> utf8 = DecodeUtf16WithBom(data)) {  // Console saves UTF-16 at times
    decoded_ = std::move(*utf8);
    data = decoded_;
    padding = 0;
  }
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);  // UTF-8 byte order mark
  if (IsTediagMarkdown(data)) return std::nullopt;              // tediag's own report, not evidence (tediag_output.h)
  if (!simdjson::validate_utf8(data.data(), data.size())) {
    // Rules match UTF-8 text; a stray byte would cut a capture short. Replace it, as viewers do.
    repaired_ = ToValidUtf8(data);
    data = repaired_;
    padding = 0;
  }
  // Pasted text (a post's markup, wrapped lines) is normalised first; a log export is not touched.
  // Records then point into the normalised text and carry the input's line numbers.
  if (!PasteNormalizer::LooksLikeLogExport(data) && normalizer_.Normalize(data)) {
    data = normalizer_.text();
    padding = 0;
    source_lines.emplace(sink, normalizer_, first_line);
    sink_ = &*source_lines;
  }
  return data;
}

void InputReader::Read(std::string_view data, RecordSink& sink, size_t padding, uint64_t first_line) {
  sink_ = &sink;
  format_ = InputFormat::kUnknown;
  in_crash_text_ = false;
  has_pending_ = false;
  std::optional<SourceLineSink> source_lines;
  std::optional<std::string_view> prepared = Prepare(data, sink, padding, first_line, source_lines);
  if (!prepared) return;
  data = *prepared;
  readable_end_ = data.data() + data.size() + padding;
  lookahead_budget_ = 2 * data.size() + (size_t{1} << 20);

  Cursor cursor;
  cursor.data = data;
  cursor.line_no = first_line - 1;
  std::string_view text;
  while (cursor.Next(text)) {
    if (!in_crash_text_ && ReadLogEventLine(text, cursor.line_no)) continue;
    Line line;  // built in place: a Record is a few hundred bytes, and this runs for every line
    line.text = text;
    line.entry.line = cursor.line_no;
    if (ParseDefaultStyleLine(text, line.entry)) {
      line.entry_format = InputFormat::kDefault;
    } else if (line.entry = LineRecord(cursor.line_no); ParseCompactStyleLine(text, line.entry)) {
      line.entry_format = InputFormat::kCompact;
    } else if (line.entry = LineRecord(cursor.line_no); ParseSyslogStyleLine(text, line.entry)) {
      line.entry_format = InputFormat::kSyslog;
    }
    if (in_crash_text_ && FeedCrashText(cursor, line)) continue;
    for (const Claim& claim : Claims()) {
      if ((this->*claim.take)(cursor, line)) break;
    }
  }
  FlushPending();
  if (in_crash_text_) EmitCrashText();
  in_crash_text_ = false;
  sink_ = &sink;
}

}  // namespace tediag
