#include "read/input_reader.h"

#include <algorithm>
#include <span>

#include "input/text_encoding.h"
#include "read/elision.h"
#include "read/json_salvage.h"
#include "read/json_scan.h"
#include "read/line_parsers.h"
#include "read/source_lines.h"
#include "read/tediag_output.h"
#include "read/tool_output.h"
#include "util/text_util.h"

namespace tediag {

namespace {

Record LineRecord(uint64_t line) {
  Record record;
  record.line = line;
  return record;
}

}  // namespace

// Walks the input line by line; a multi-line JSON value moves it past several lines at once.
struct InputReader::Cursor {
  std::string_view data;
  size_t start = 0;      // where the current line starts
  size_t next = 0;       // where the next line starts
  uint64_t line_no = 0;  // the current line's number, from 1

  bool Next(std::string_view& line) {
    if (next >= data.size()) return false;
    start = next;
    size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    line = data.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    next = end + 1;
    return true;
  }
  // The number of the line holding data[offset], for an offset at or after the current line.
  uint64_t LineOf(size_t offset) const {
    return line_no + static_cast<uint64_t>(std::count(data.begin() + static_cast<ptrdiff_t>(start),
                                                      data.begin() + static_cast<ptrdiff_t>(offset), '\n'));
  }
  // Continues after the line holding data[offset], which is line `line`.
  void SkipThrough(size_t offset, uint64_t line) {
    size_t eol = data.find('\n', offset);
    next = eol == std::string_view::npos ? data.size() : eol + 1;
    line_no = line;
  }
  // Continues with the line holding data[offset], which is line `line`.
  void ResumeAt(size_t offset, uint64_t line) {
    size_t bol = offset == 0 ? std::string_view::npos : data.rfind('\n', offset - 1);
    next = bol == std::string_view::npos ? 0 : bol + 1;
    line_no = line - 1;
  }
};

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

std::optional<size_t> InputReader::LookAhead(std::string_view data, size_t start) {
  if (lookahead_budget_ == 0) return std::nullopt;
  size_t limit = std::min(lookahead_budget_, data.size() - start);
  std::optional<size_t> end = FindJsonValueEnd(data, start, limit);
  lookahead_budget_ -= end ? *end - start : limit;
  if (lookahead_budget_ == 0) {
    sink_->OnError(0, "many JSON values without an end; from here, '{' and '[' lines are read as text");
  }
  return end;
}

absl::Status InputReader::EmitIps(std::string_view header, std::string_view body, uint64_t line) {
  absl::StatusOr<CrashReport> report = ips_.Read(header, body);
  if (!report.ok()) return report.status();
  SetFormat(InputFormat::kIps);
  report->line = line;
  // The body starts on the header's line or after it, in the same text.
  uint64_t body_line =
      line + (header.empty() ? 0 : static_cast<uint64_t>(std::count(header.data(), body.data(), '\n')));
  LocateIpsFields(body, body_line, *report);  // evidence cites the key a rule matched
  EmitCrash(*report);
  return absl::OkStatus();
}

bool InputReader::Salvage(Cursor& cursor, size_t start, std::string_view header, bool members_only) {
  std::string_view data = cursor.data;
  const uint64_t line_no = cursor.line_no;
  SalvagedJson salvaged;
  salvaged.end = cursor.next;  // an .ips header with no body: reading goes on after it
  if (start < data.size()) {
    size_t limit = std::min(lookahead_budget_, data.size() - start);
    if (limit == 0) return false;
    salvaged = SalvageJsonObject(data, start, limit, members_only);
    lookahead_budget_ -= std::min(lookahead_budget_, salvaged.scanned);
    if (lookahead_budget_ == 0) {
      sink_->OnError(0, "many JSON values without an end; from here, '{' and '[' lines are read as text");
    }
  }
  if (salvaged.end <= cursor.start) return false;
  if (std::optional<CrashReport> report = ips_.ReadSalvaged(header, salvaged.json)) {
    SetFormat(InputFormat::kIps);
    report->line = line_no;
    EmitCrash(*report);
    sink_->OnError(line_no, kTruncatedCrashReport);
  } else if (header.empty() && NotaryLogReader::LooksLikeSalvagedLog(salvaged.json)) {
    SetFormat(InputFormat::kNotaryLog);
    if (!notary_.ReadSalvaged(salvaged.json, data.substr(start, salvaged.end - start), line_no, *sink_)) return false;
    sink_->OnError(line_no, kTruncatedNotaryLog);
  } else {
    return false;
  }
  if (members_only) {
    // Lines quoted on their own in prose: read as text too, as they were before, for the rules
    // that look for them there.
    uint64_t n = line_no;
    for (std::string_view line : Split(data.substr(cursor.start, salvaged.end - cursor.start), '\n')) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!StripWhitespace(line).empty()) EmitText(line, n);
      ++n;
    }
  }
  cursor.SkipThrough(salvaged.end - 1, cursor.LineOf(salvaged.end - 1));
  return true;
}

void InputReader::EmitText(std::string_view line, uint64_t line_no) {
  Record text = LineRecord(line_no);
  ParseLooseLine(line, text);
  SetFormat(InputFormat::kText);
  sink_->OnRecord(text);
}

size_t InputReader::ReadableAfter(std::string_view span) const {
  return static_cast<size_t>(readable_end_ - (span.data() + span.size()));
}

bool InputReader::ReadLogEventLine(std::string_view line, uint64_t line_no) {
  // The common case of a large input, one `log show --style ndjson` entry per line, parsed in
  // place without first looking for the object's end or for other kinds of JSON.
  if (line.size() < 2 || line[0] != '{' || line[1] != '"' || line.back() != '}') return false;
  Record record = LineRecord(line_no);
  absl::StatusOr<JsonLogEventParser::Kind> kind = json_.Parse(line, record, ReadableAfter(line));
  if (!kind.ok() || *kind != JsonLogEventParser::Kind::kEvent) return false;
  FlushPending();
  SetFormat(InputFormat::kNdjson);
  sink_->OnRecord(record);
  return true;
}

void InputReader::ReadJsonObject(Cursor& cursor, std::string_view line) {
  // A JSON value that closes on its own line (ndjson, an .ips header), or a pretty-printed one
  // over several lines (a crash report body, a notary log), looked for within a budget so that
  // many unclosed '{' lines cannot make reading quadratic.
  std::string_view data = cursor.data;
  const size_t start = cursor.start;
  const uint64_t line_no = cursor.line_no;
  std::optional<size_t> end = FindJsonValueEnd(data, start, line.size());
  const bool single_line = end.has_value();
  if (!single_line) end = LookAhead(data, start);
  if (!end) {
    if (Salvage(cursor, start, {}, /*members_only=*/false)) return;  // a body or notary log cut short
    if (line.starts_with("{\"")) {
      sink_->OnError(line_no, "JSON object is not closed; line skipped");
    } else {
      EmitText(line, line_no);  // a brace in prose
    }
    return;
  }
  std::string_view object = data.substr(start, *end - start);
  const uint64_t end_line = single_line ? line_no : cursor.LineOf(*end - 1);

  if (single_line && IpsReader::IsHeader(object)) {
    // An .ips report: the header line, then the body as the next JSON value.
    size_t body_start = data.find_first_not_of(" \t\r\n", *end);
    std::optional<size_t> body_end;
    bool has_body = body_start != std::string_view::npos && data[body_start] == '{';
    if (has_body) body_end = LookAhead(data, body_start);
    absl::Status status = absl::OkStatus();
    if (body_end) {
      status = EmitIps(object, data.substr(body_start, *body_end - body_start), line_no);
      if (status.ok()) {
        cursor.SkipThrough(*body_end - 1, cursor.LineOf(*body_end - 1));
        return;
      }
    }
    // The body is cut short (a paste cut at a size limit), damaged, or missing: read what is there.
    if (Salvage(cursor, has_body ? body_start : data.size(), object, /*members_only=*/false)) return;
    SetFormat(InputFormat::kIps);
    if (!body_end) {
      sink_->OnError(line_no, "crash report header is not followed by a complete JSON body");
      return;
    }
    sink_->OnError(line_no, StrCat(status.message()));
    cursor.SkipThrough(*body_end - 1, cursor.LineOf(*body_end - 1));
    return;
  }
  if (NotaryLogReader::LooksLikeNotaryLog(object)) {
    SetFormat(InputFormat::kNotaryLog);
    if (absl::Status status = notary_.Read(object, line_no, *sink_); !status.ok()) {
      if (Salvage(cursor, start, {}, /*members_only=*/false)) return;  // elided or edited by hand
      sink_->OnError(line_no, StrCat(status.message()));
    }
    cursor.SkipThrough(*end - 1, end_line);
    return;
  }
  if (IpsReader::LooksLikeBody(object)) {
    if (absl::Status status = EmitIps({}, object, line_no); !status.ok()) {
      if (Salvage(cursor, start, {}, /*members_only=*/false)) return;
      SetFormat(InputFormat::kIps);
      sink_->OnError(line_no, StrCat(status.message()));
    }
    cursor.SkipThrough(*end - 1, end_line);
    return;
  }
  if (IsTediagJson(object)) {  // a bundle's manifest, a JSON report: not evidence (tediag_output.h)
    cursor.SkipThrough(*end - 1, end_line);
    return;
  }
  Record record = LineRecord(line_no);
  absl::StatusOr<JsonLogEventParser::Kind> kind = json_.Parse(object, record, ReadableAfter(object));
  if (!kind.ok() && single_line) {
    sink_->OnError(line_no, StrCat("malformed JSON log entry (", kind.status().message(), "); skipped"));
    return;
  }
  if (!kind.ok() || *kind == JsonLogEventParser::Kind::kOther) {
    // Not a log entry after all (a plist dictionary, JSON of another kind): read it as text,
    // line by line, so that rules still see it.
    EmitText(line, line_no);
    return;
  }
  if (*kind == JsonLogEventParser::Kind::kEvent) {
    SetFormat(InputFormat::kNdjson);
    sink_->OnRecord(record);
  }
  cursor.SkipThrough(*end - 1, end_line);
}

bool InputReader::ReadJsonArray(Cursor& cursor) {
  // `log show --style json`: "[{", objects separated by "},{", then "}]". A damaged entry is
  // reported and reading goes on from the line after it.
  std::string_view data = cursor.data;
  size_t i = data.find_first_not_of(" \t\r\n", cursor.start + 1);
  if (i == std::string_view::npos || (data[i] != '{' && data[i] != ']')) return false;
  SetFormat(InputFormat::kJson);
  size_t counted = cursor.start;  // line numbers are counted forward once
  uint64_t line = cursor.line_no;
  auto line_at = [&](size_t offset) {
    line += static_cast<uint64_t>(std::count(data.begin() + static_cast<ptrdiff_t>(counted),
                                             data.begin() + static_cast<ptrdiff_t>(offset), '\n'));
    counted = offset;
    return line;
  };
  while (true) {
    if (i >= data.size()) {
      sink_->OnError(line_at(data.size() - 1), "JSON array is not closed (truncated input?)");
      cursor.SkipThrough(data.size() - 1, line);
      return true;
    }
    if (data[i] == ']') {
      cursor.SkipThrough(i, line_at(i));
      return true;
    }
    if (data[i] != '{') {
      sink_->OnError(line_at(i), "unexpected text inside a JSON array; read as text from here");
      cursor.ResumeAt(i, line);
      return true;
    }
    std::optional<size_t> end = LookAhead(data, i);
    if (!end) {
      sink_->OnError(line_at(i), "JSON array entry is not closed (truncated input?); read as text after it");
      cursor.SkipThrough(i, line);
      return true;
    }
    Record record = LineRecord(line_at(i));
    std::string_view object = data.substr(i, *end - i);
    absl::StatusOr<JsonLogEventParser::Kind> kind = json_.Parse(object, record, ReadableAfter(object));
    if (!kind.ok()) {
      sink_->OnError(record.line, StrCat("malformed JSON log entry (", kind.status().message(), "); skipped"));
    } else if (*kind == JsonLogEventParser::Kind::kEvent) {
      sink_->OnRecord(record);
    } else if (*kind == JsonLogEventParser::Kind::kOther) {
      Record text = LineRecord(record.line);
      ParseLooseLine(object, text);
      sink_->OnRecord(text);
    }
    i = data.find_first_not_of(" \t\r\n,", *end);
    if (i == std::string_view::npos) i = data.size();
  }
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
  if (!line.text.starts_with("{")) return false;
  FlushPending();
  ReadJsonObject(cursor, line.text);
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
  std::optional<std::string_view> text = Prepare(data, sink, padding, first_line, source_lines);
  if (!text) return;
  data = *text;
  readable_end_ = data.data() + data.size() + padding;
  lookahead_budget_ = 2 * data.size() + (size_t{1} << 20);

  Cursor cursor;
  cursor.data = data;
  cursor.line_no = first_line - 1;
  Line line;
  while (cursor.Next(line.text)) {
    if (!in_crash_text_ && ReadLogEventLine(line.text, cursor.line_no)) continue;
    line.entry_format = InputFormat::kUnknown;
    line.entry = LineRecord(cursor.line_no);
    if (ParseDefaultStyleLine(line.text, line.entry)) {
      line.entry_format = InputFormat::kDefault;
    } else if (line.entry = LineRecord(cursor.line_no); ParseCompactStyleLine(line.text, line.entry)) {
      line.entry_format = InputFormat::kCompact;
    } else if (line.entry = LineRecord(cursor.line_no); ParseSyslogStyleLine(line.text, line.entry)) {
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
