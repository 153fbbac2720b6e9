// InputReader's JSON readers: ndjson events (the fast path), a JSON value over one or several
// lines (an .ips report, a notary log, an event), `log show --style json` arrays, and the salvage
// of a body or log cut short. The claims that call them are in input_reader.cc.
#include "read/input_cursor.h"
#include "read/input_reader.h"
#include "read/json_salvage.h"
#include "read/json_scan.h"
#include "read/line_parsers.h"
#include "read/source_lines.h"
#include "read/tediag_output.h"
#include "util/text_util.h"

namespace tediag {

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

  if (single_line && IpsReader::IsHeader(object) && IpsReader::HasTextBody(data.substr(*end))) {
    SetFormat(InputFormat::kIps);  // the older layout: the text report that follows is the report
    return;
  }
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

}  // namespace tediag
