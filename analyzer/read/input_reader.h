// Reads one input — a file's bytes, whatever it holds — and delivers its records to a sink.
//
// The format is detected from the content, line by line, so one input may hold several:
// `log show` output in any style (ndjson, json, default, compact, syslog) with its preamble,
// headers and footers; loose pasted text; .ips crash reports (header + body, compact or
// pretty, with text around them); text crash reports; the saved output of codesign, spctl,
// xattr, stapler, syspolicy_check and notarytool, and notarytool's JSON log. A malformed line or record is reported
// through the sink with its line number and skipped; reading always goes on to the end. A crash
// report or notary log cut short or damaged (a paste cut at a size limit, elided lines), and crash
// report fields quoted alone, are read as far as their lines go and said to be (kTruncatedCrashReport,
// kTruncatedNotaryLog) at their first line.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "read/crash_text_reader.h"
#include "read/ips_reader.h"
#include "read/json_event.h"
#include "read/notary_log.h"
#include "read/paste_normalizer.h"
#include "read/tool_output.h"
#include "tediag/record.h"

namespace tediag {

class InputReader {
 public:
  // `padding`: how many bytes after `data` may be read (not used), which lets JSON be parsed in
  // place; see JsonLogEventParser::Parse. `first_line`: the number of data's first line, when
  // data is a part of an input (see ChunkSource). A crash report given twice is delivered twice:
  // dropping copies (Record::incident) is the caller's business, across all inputs.
  void Read(std::string_view data, RecordSink& sink, size_t padding = 0, uint64_t first_line = 1);

 private:
  struct Cursor;
  struct Line;
  struct Claim;
  // The claims a line is offered to, in priority order (the table at the top of input_reader.cc).
  static std::span<const Claim> Claims();
  bool TakeLogEntry(Cursor& cursor, Line& line);
  bool TakeJsonObject(Cursor& cursor, Line& line);
  bool TakeJsonArray(Cursor& cursor, Line& line);
  bool TakeBoilerplate(Cursor& cursor, Line& line);
  bool TakeCrashReportStart(Cursor& cursor, Line& line);
  bool TakeContinuation(Cursor& cursor, Line& line);
  bool TakeToolOutput(Cursor& cursor, Line& line);
  bool TakeBodyFragment(Cursor& cursor, Line& line);
  bool TakeText(Cursor& cursor, Line& line);
  bool FeedCrashText(Cursor& cursor, const Line& line);
  // The input as UTF-8 text the claims read: UTF-16 transcoded, invalid bytes replaced, pasted
  // text normalised (then `source_lines` is the sink that maps lines back to the input's).
  // Nothing for tediag's own Markdown report, which is not evidence.
  std::optional<std::string_view> Prepare(std::string_view data, RecordSink& sink, size_t& padding, uint64_t first_line,
                                          std::optional<SourceLineSink>& source_lines);
  bool ReadLogEventLine(std::string_view line, uint64_t line_no);
  void ReadJsonObject(Cursor& cursor, std::string_view line);
  size_t ReadableAfter(std::string_view span) const;
  bool ReadJsonArray(Cursor& cursor);
  // The end of the JSON value at data[start] (see FindJsonValueEnd), within what is left of
  // the look-ahead budget.
  std::optional<size_t> LookAhead(std::string_view data, size_t start);
  absl::Status EmitIps(std::string_view header, std::string_view body, uint64_t line);
  // A crash report body or notary log at data[start] that is cut short or damaged (or, with
  // `members_only`, member lines of a body quoted on their own; with start past the data, an .ips
  // header with no body): delivers what its lines hold, with kTruncatedCrashReport or
  // kTruncatedNotaryLog at the current line, and moves the cursor past it. False when there is
  // nothing of either, or the look-ahead budget is spent; nothing is delivered then.
  bool Salvage(Cursor& cursor, size_t start, std::string_view header, bool members_only);
  void EmitText(std::string_view line, uint64_t line_no);
  void EmitCrash(CrashReport& report);
  void EmitCrashText();
  void SetFormat(InputFormat format);
  void FlushPending();

  JsonLogEventParser json_;
  IpsReader ips_;
  NotaryLogReader notary_;
  CrashTextReader crash_text_;
  bool in_crash_text_ = false;

  // An entry waiting for its continuation lines: any unrecognised line continues a log entry
  // of a text style (pending_tool_ is kNone); a tool's output continues while its lines do.
  Record pending_;
  bool has_pending_ = false;
  Tool pending_tool_ = Tool::kNone;

  std::string decoded_;                 // the input transcoded from UTF-16, when it had a UTF-16 BOM
  std::string repaired_;                // the input with invalid UTF-8 replaced, when it had any
  PasteNormalizer normalizer_;          // pasted text with its markup undone and wrapped lines joined
  size_t lookahead_budget_ = 0;         // bytes multi-line JSON look-ahead may still scan
  const char* readable_end_ = nullptr;  // end of the bytes that may be read: data + padding
  RecordSink* sink_ = nullptr;
  InputFormat format_ = InputFormat::kUnknown;
};

}  // namespace tediag
