#include "input_reader.h"
#include "text_util.h"

#include <algorithm>

#include "json_scan.h"
#include "line_parsers.h"
#include "tool_output.h"

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
  size_t pos = 0;        // start of the current line
  uint64_t line_no = 0;  // 1-based number of the current line

  bool Next(std::string_view& line) {
    if (pos >= data.size()) return false;
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    line = data.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    next_ = end + 1;
    return true;
  }
  void Advance() { pos = next_; }
  // Moves past `end` (an offset inside data) and the rest of its line.
  void SkipTo(size_t end) {
    line_no += static_cast<uint64_t>(std::count(data.begin() + static_cast<ptrdiff_t>(pos),
                                                data.begin() + static_cast<ptrdiff_t>(end), '\n'));
    size_t eol = data.find('\n', end);
    pos = eol == std::string_view::npos ? data.size() : eol + 1;
  }

 private:
  size_t next_ = 0;
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
  if (!report.incident.empty() && !seen_incidents_.insert(report.incident).second) return;
  sink_->OnRecord(report.ToRecord());
}

void InputReader::ReadJsonValue(Cursor& cursor, std::string_view line) {
  std::string_view data = cursor.data;
  std::optional<size_t> end = FindJsonValueEnd(data, cursor.pos);
  if (!end) {
    sink_->OnError(cursor.line_no, "JSON object is not closed; line skipped");
    cursor.Advance();
    return;
  }
  std::string_view object = data.substr(cursor.pos, *end - cursor.pos);
  uint64_t start_line = cursor.line_no;

  if (IpsReader::IsHeader(line) && *end <= cursor.pos + line.size()) {
    // An .ips report: the header line, then the body as the next JSON value.
    size_t body_start = data.find_first_not_of(" \t\r\n", *end);
    std::optional<size_t> body_end;
    if (body_start != std::string_view::npos && data[body_start] == '{') {
      body_end = FindJsonValueEnd(data, body_start);
    }
    SetFormat(InputFormat::kIps);
    if (!body_end) {
      sink_->OnError(start_line, "crash report header is not followed by a complete JSON body");
      cursor.Advance();
      return;
    }
    auto report = ips_.Read(object, data.substr(body_start, *body_end - body_start));
    if (report.ok()) {
      report->line = start_line;
      EmitCrash(*report);
    } else {
      sink_->OnError(start_line, StrCat(report.status().message()));
    }
    cursor.SkipTo(*body_end - 1);
    return;
  }

  cursor.SkipTo(*end - 1);
  if (NotaryLogReader::LooksLikeNotaryLog(object)) {
    SetFormat(InputFormat::kNotaryLog);
    if (absl::Status status = notary_.Read(object, start_line, *sink_); !status.ok()) {
      sink_->OnError(start_line, StrCat(status.message()));
    }
    return;
  }
  if (IpsReader::LooksLikeBody(object)) {
    SetFormat(InputFormat::kIps);
    auto report = ips_.Read({}, object);
    if (report.ok()) {
      report->line = start_line;
      EmitCrash(*report);
    } else {
      sink_->OnError(start_line, StrCat(report.status().message()));
    }
    return;
  }

  Record record;
  record.line = start_line;
  auto kind = json_.Parse(object, record);
  if (!kind.ok()) {
    sink_->OnError(start_line, StrCat("malformed JSON log entry (", kind.status().message(), "); skipped"));
    return;
  }
  if (*kind == JsonLogEventParser::Kind::kEvent) {
    SetFormat(InputFormat::kNdjson);
    sink_->OnRecord(record);
  } else if (*kind == JsonLogEventParser::Kind::kOther) {
    // Valid JSON that is no log entry: still text a rule may recognise.
    Record text;
    text.line = start_line;
    ParseLooseLine(object, text);
    SetFormat(InputFormat::kText);
    sink_->OnRecord(text);
  }
}

bool InputReader::ReadJsonArray(Cursor& cursor, std::string_view line) {
  // `log show --style json`: "[{", objects separated by "},{", then "}]".
  std::string_view data = cursor.data;
  size_t first = data.find_first_not_of(" \t\r\n", cursor.pos + 1);
  if (first == std::string_view::npos || (data[first] != '{' && data[first] != ']')) return false;
  (void)line;
  SetFormat(InputFormat::kJson);
  size_t i = first;
  uint64_t line_no = cursor.line_no;
  size_t counted = cursor.pos;
  auto line_at = [&](size_t offset) {
    line_no += static_cast<uint64_t>(std::count(data.begin() + static_cast<ptrdiff_t>(counted),
                                                data.begin() + static_cast<ptrdiff_t>(offset), '\n'));
    counted = offset;
    return line_no;
  };
  while (i < data.size() && data[i] == '{') {
    std::optional<size_t> end = FindJsonValueEnd(data, i);
    if (!end) {
      sink_->OnError(line_at(i), "JSON array ends inside an entry (truncated input?); rest skipped");
      i = data.size();
      break;
    }
    Record record;
    record.line = line_at(i);
    auto kind = json_.Parse(data.substr(i, *end - i), record);
    if (!kind.ok()) {
      sink_->OnError(record.line, StrCat("malformed JSON log entry (", kind.status().message(), "); skipped"));
    } else if (*kind == JsonLogEventParser::Kind::kEvent) {
      sink_->OnRecord(record);
    }
    i = data.find_first_not_of(" \t\r\n,", *end);
    if (i == std::string_view::npos) i = data.size();
  }
  if (i < data.size() && data[i] != ']') {
    sink_->OnError(line_at(i), "unexpected text inside a JSON array; rest of the array skipped");
    std::optional<size_t> end = FindJsonValueEnd(data, cursor.pos);
    i = end ? *end - 1 : data.size();
  }
  if (i >= data.size()) {
    cursor.SkipTo(data.size());
  } else {
    cursor.SkipTo(i);
  }
  return true;
}

void InputReader::Read(std::string_view data, RecordSink& sink) {
  sink_ = &sink;
  format_ = InputFormat::kUnknown;
  in_crash_text_ = false;
  has_pending_ = false;
  seen_incidents_.clear();
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);  // UTF-8 byte order mark

  Cursor cursor;
  cursor.data = data;
  std::string_view line;
  while (cursor.Next(line)) {
    Record entry;
    entry.line = cursor.line_no;
    InputFormat entry_format = InputFormat::kUnknown;
    if (ParseDefaultStyleLine(line, entry)) {
      entry_format = InputFormat::kDefault;
    } else if (entry = LineRecord(cursor.line_no); ParseCompactStyleLine(line, entry)) {
      entry_format = InputFormat::kCompact;
    } else if (entry = LineRecord(cursor.line_no); ParseSyslogStyleLine(line, entry)) {
      entry_format = InputFormat::kSyslog;
    }
    bool json_start = line.starts_with("{") || line.starts_with("[");

    if (in_crash_text_) {
      CrashTextReader::Fed fed = CrashTextReader::Fed::kNotMine;
      if (entry_format == InputFormat::kUnknown && !json_start) fed = crash_text_.Feed(line, cursor.line_no);
      if (fed == CrashTextReader::Fed::kAlsoText) {
        Record text = LineRecord(cursor.line_no);
        ParseLooseLine(line, text);
        sink_->OnRecord(text);
      }
      if (fed != CrashTextReader::Fed::kNotMine && !crash_text_.complete()) {
        cursor.Advance();
        continue;
      }
      in_crash_text_ = false;
      EmitCrash(crash_text_.report());
      if (fed != CrashTextReader::Fed::kNotMine) {
        cursor.Advance();
        continue;
      }
    }

    if (entry_format != InputFormat::kUnknown) {
      FlushPending();
      SetFormat(entry_format);
      pending_ = entry;
      pending_tool_ = Tool::kNone;
      has_pending_ = true;
      cursor.Advance();
      continue;
    }
    if (line.starts_with("{")) {
      FlushPending();
      ReadJsonValue(cursor, line);
      continue;
    }
    if (line.starts_with("[")) {
      FlushPending();
      if (ReadJsonArray(cursor, line)) continue;
    }
    if (IsLogBoilerplate(line)) {
      FlushPending();
      cursor.Advance();
      continue;
    }
    if (CrashTextReader::StartsReport(line)) {
      FlushPending();
      SetFormat(InputFormat::kCrash);
      in_crash_text_ = true;
      crash_text_.Begin(cursor.line_no);
      crash_text_.Feed(line, cursor.line_no);
      cursor.Advance();
      continue;
    }
    bool blank = StripWhitespace(line).empty();
    bool continues = pending_tool_ == Tool::kNone ? !blank : ContinuesToolOutput(pending_tool_, line);
    if (has_pending_ && continues) {
      // A continuation line of a multi-line message or tool output: widen the message over it.
      std::string_view message = pending_.Get(Field::kMessage);
      const char* begin = message.empty() ? line.data() : message.data();
      std::string_view widened(begin, static_cast<size_t>(line.data() + line.size() - begin));
      pending_.Set(Field::kMessage, widened);
      pending_.text = widened;
      cursor.Advance();
      continue;
    }
    FlushPending();
    if (Tool tool = ToolOutputStart(line); tool != Tool::kNone) {
      pending_ = LineRecord(cursor.line_no);
      pending_.Set(Field::kProcess, ToolName(tool));
      pending_.Set(Field::kMessage, line);
      pending_.text = line;
      pending_tool_ = tool;
      has_pending_ = true;
      SetFormat(ToolFormat(tool));
    } else if (!blank) {
      Record text = LineRecord(cursor.line_no);
      ParseLooseLine(line, text);
      SetFormat(InputFormat::kText);
      sink.OnRecord(text);
    }
    cursor.Advance();
  }
  FlushPending();
  if (in_crash_text_) EmitCrash(crash_text_.report());
  in_crash_text_ = false;
}

}  // namespace tediag
