// Reads one input in parts ("chunks") of about kChunkBytes, so that an input of any size is read
// in bounded memory and its parts can be analysed on several threads.
//
// Contract: a chunk is cut only between two lines that each hold one whole entry, as the caller's
// EntryLineTest says (the reader's IsWholeEntryLine: a one-line ndjson event, or an entry line of
// the default, compact or syslog style). This stage knows bytes and lines, not log grammars: the
// test is what keeps a multi-line construct (a continuation line, a pretty-printed JSON value, a
// crash report) from being cut, so a reader reading the chunk alone sees what it would have seen
// reading the whole input. Where the cuts fall depends only on the input's bytes, never on timing
// or thread count. Without a test the input is never cut (one chunk).
//
// Costs and limits: one chunk is in memory at a time here (callers may hold several). A chunk
// grows past kChunkBytes while no cut is found (a `--style json` array, a folder of pasted text),
// up to the whole input. A line longer than kMaxLineBytes (no log entry or pasted text is this
// long) is skipped and reported with its number, and never held in memory whole.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "input/input_files.h"

namespace tediag {

struct Chunk {
  std::string buffer;                                    // the data, then kPadding readable bytes (for simdjson)
  size_t size = 0;                                       // bytes of data
  uint64_t first_line = 1;                               // the number of the data's first line in the input
  std::vector<std::pair<uint64_t, std::string>> errors;  // (line, message): lines skipped

  std::string_view data() const { return {buffer.data(), size}; }
};

// True when `line` (without its newline) holds one whole entry, after which no reader state stays open.
using EntryLineTest = bool (*)(std::string_view line);

class ChunkSource {
 public:
  static constexpr size_t kChunkBytes = size_t{4} << 20;
  static constexpr size_t kMaxLineBytes = size_t{16} << 20;
  static constexpr size_t kPadding = 64;

  // Opens a file, standard input, or an input already in memory (InputFile::content), to be cut
  // after lines that `is_entry` accepts. Fails, with the reason, when the input is missing,
  // unreadable or binary (a NUL byte in its first 8 KiB).
  static absl::StatusOr<std::unique_ptr<ChunkSource>> Open(const InputFile& input, EntryLineTest is_entry);
  ~ChunkSource();
  ChunkSource(const ChunkSource&) = delete;
  ChunkSource& operator=(const ChunkSource&) = delete;

  // Fills `chunk` with the next part of the input; false at the end. A read error fails.
  absl::StatusOr<bool> Next(Chunk& chunk);

  uint64_t size() const { return size_; }  // the file's size; 0 when unknown (a pipe)

 private:
  explicit ChunkSource(int fd, bool owned, uint64_t size, EntryLineTest is_entry)
      : fd_(fd), owned_(owned), size_(size), is_entry_(is_entry) {}
  // Reads until `data_` holds at least `want` bytes or the input ends.
  absl::Status Fill(size_t want);
  // Drops the line that starts at data_[line_start], reading on to its end if need be (an
  // empty line stays in its place).
  absl::Status DropLongLine(size_t line_start);
  size_t FindCut(size_t from);
  // read(2) from the file, or a copy from content_.
  ssize_t Read(char* out, size_t size);
  // Notes where the last line in data_[from..] starts, if a line ends there.
  void NoteLineStart(size_t from);

  int fd_;  // -1 when reading content_
  bool owned_;
  std::shared_ptr<const std::string> content_;
  uint64_t read_ = 0;  // bytes read from the file or content_
  uint64_t size_;
  EntryLineTest is_entry_;
  bool eof_ = false;
  std::string data_;                                      // bytes read and not yet handed out
  size_t line_start_ = 0;                                 // where the last (perhaps unfinished) line in data_ starts
  uint64_t next_line_ = 1;                                // the number of data_'s first line
  std::vector<std::pair<uint64_t, std::string>> errors_;  // for the chunk being cut
};

}  // namespace tediag
