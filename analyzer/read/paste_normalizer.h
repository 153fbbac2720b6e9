// Undoes what pasting does to machine text, before any format reader sees it.
//
// People paste evidence from GitHub issues, forums and e-mail: the log lines or the crash report
// sit behind "> " quote markers, inside ``` or ~~~ fences, indented as a code block, wrapped in
// backticks, **bold**, list bullets, HTML entities and tags, with terminal colour escapes, odd
// spaces and curly quotes; a message is hard-wrapped over several lines by the poster or the
// terminal, or a whole report is flattened into one line by a forum page. PasteNormalizer gives
// the format readers the text as the system wrote it:
//
//  1. Markup: quote markers (nested too, the same depth stripped across a quoted block), fence
//     lines (``` and ~~~, Jira's {code}/{noformat}, BBCode's [code]; dropped, their content kept
//     verbatim), a block indented as code as a whole (and indented log lines under a sentence),
//     inline backticks, bold and emphasis markers, list bullets, HTML entities, <br> and bare
//     tags such as <details>/<summary>, ANSI escapes, non-breaking, zero-width and soft-hyphen
//     characters, curly quotes.
//  2. Wrapping: a line that continues the one before it (it starts mid-sentence, the one before
//     ends dangling, an inline code span is still open, or the block was cut at a fixed terminal
//     width) is joined to it, at most kMaxJoinedLines lines. Log-entry lines, crash reports,
//     tool output, JSON values and list items are never joined into what precedes them, and
//     nothing is joined inside a crash report, a tool's output or a JSON value.
//  3. Flattening: a line that holds a whole crash report's "Key: value" fields run together is
//     split again before each known key.
//
// Fenced content is literal: only escapes and invisible characters are cleaned there, and JSON
// values (an .ips body, an ndjson line) are never touched beyond that either.
//
// Every output line remembers the input line it came from (the first of a joined group), so
// evidence keeps the line numbers of what the user gave. A dropped line (a fence, a bare tag)
// becomes an empty line, which keeps the blocks around it apart.
//
// Cost: LooksLikeLogExport reads at most the first kSampleLines lines, so a log export is passed
// on untouched for nothing; Normalize is linear in the input and allocates per line, which is
// fine for pasted text (it is not meant for gigabytes, and the fast path keeps it from them).
// Not thread-safe; one instance per reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tediag/record.h"

namespace tediag {

class PasteNormalizer {
 public:
  static constexpr size_t kSampleLines = 16;
  static constexpr size_t kMaxJoinedLines = 8;
  static constexpr size_t kMaxJoinedBytes = 16 << 10;

  // True when `data` starts as a log export does or as a JSON document (an .ips report, a
  // notary log): such input is read as it is. A log export here: its first non-blank line is an
  // ndjson event, an entry of a `log show` text style or one of `log`'s header lines, at least
  // half of the first kSampleLines non-blank lines are, and no fence or no-break space (a log
  // copied from a web page) is among them. A JSON document is read as it is unless its first
  // 64 KiB hold a no-break space and no log event. Costs at most kSampleLines line parses.
  static bool LooksLikeLogExport(std::string_view data);

  // Normalises `data` (valid UTF-8). Returns false when nothing needed changing; the caller then
  // reads `data` itself. Otherwise text() holds the result until the next call.
  bool Normalize(std::string_view data);

  std::string_view text() const { return out_; }
  // The 0-based index of the input line that output line `index` (0-based) came from.
  uint64_t SourceLine(uint64_t index) const {
    return index < source_.size() ? source_[index] : (source_.empty() ? index : source_.back());
  }

 private:
  std::string out_;
  std::vector<uint64_t> source_;
};

// Passes records and errors on to `inner` with their line numbers translated from the lines of a
// normalised text back to the input's (`first_line` is the number of both texts' first line).
// Copies each record (a few hundred bytes); used only for normalised, pasted text.
class SourceLineSink : public RecordSink {
 public:
  SourceLineSink(RecordSink& inner, const PasteNormalizer& normalizer, uint64_t first_line)
      : inner_(inner), normalizer_(normalizer), first_line_(first_line) {}
  void OnRecord(const Record& record) override;
  void OnError(uint64_t line, std::string_view message) override;
  void OnFormat(InputFormat format) override { inner_.OnFormat(format); }

 private:
  uint64_t Translate(uint64_t line) const;
  RecordSink& inner_;
  FieldLines field_lines_;  // the record being delivered's, translated
  const PasteNormalizer& normalizer_;
  uint64_t first_line_;
};

}  // namespace tediag
