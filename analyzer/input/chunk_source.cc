#include "input/chunk_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "input/text_encoding.h"
#include "util/text_util.h"

namespace tediag {
namespace {

constexpr size_t kReadBytes = size_t{1} << 20;
// Read past kChunkBytes before looking for a cut: enough for the usual lines there, little to
// copy back into the next chunk.
constexpr size_t kCutSlack = size_t{64} << 10;
constexpr size_t kBinaryProbe = 8192;

uint64_t CountLines(std::string_view text) {
  uint64_t lines = 0;
  for (const char *p = text.data(), *end = p + text.size();
       (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr; ++p) {
    ++lines;
  }
  return lines;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChunkSource>> ChunkSource::Open(const InputFile& input, EntryLineTest is_entry) {
  if (!input.problem.empty()) return absl::NotFoundError(input.problem);
  int fd = STDIN_FILENO;
  uint64_t size = 0;
  if (input.content) {
    fd = -1;  // read from memory (an archive's member)
    size = input.content->size();
  } else if (!input.stdin_) {
    fd = ::open(input.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return absl::PermissionDeniedError(StrCat("cannot be read: ", std::strerror(errno)));
  }
  struct stat info {};
  if (fd >= 0 && ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) size = static_cast<uint64_t>(info.st_size);
  auto source = std::unique_ptr<ChunkSource>(new ChunkSource(fd, fd >= 0 && !input.stdin_, size, is_entry));
  source->content_ = input.content;
  source->data_.reserve(static_cast<size_t>(std::min<uint64_t>(size, kChunkBytes + 2 * kCutSlack)) + kPadding);
  if (absl::Status status = source->Fill(kBinaryProbe); !status.ok()) return status;
  // Mach-O, PNG and archives are refused by name; text with a stray NUL byte is still read.
  std::string_view kind = BinaryKind(std::string_view(source->data_).substr(0, kBinaryProbe));
  if (!kind.empty()) {
    return absl::InvalidArgumentError(StrCat("binary file (", kind, ", not text, a log or a crash report); skipped"));
  }
  return source;
}

ChunkSource::~ChunkSource() {
  if (owned_) ::close(fd_);
}

absl::Status ChunkSource::Fill(size_t want) {
  while (!eof_ && data_.size() < want) {
    size_t old = data_.size();
    // A file of known size is read to its end (and one byte more, should it have grown), not
    // in whole blocks: a folder of small crash reports costs no block per file.
    size_t amount = std::clamp(want - old, kCutSlack, kReadBytes);
    if (size_ > read_) amount = static_cast<size_t>(std::min<uint64_t>(amount, size_ - read_ + 1));
    data_.resize(old + amount);
    ssize_t n = Read(data_.data() + old, amount);
    if (n < 0 && errno == EINTR) n = 0;
    if (n < 0) {
      data_.resize(old);
      return absl::DataLossError(StrCat("read failed: ", std::strerror(errno)));
    }
    data_.resize(old + static_cast<size_t>(n));
    if (n == 0) eof_ = true;
    // The line that was open before this read: over the limit, it is dropped.
    size_t open_start = line_start_;
    size_t open_end = data_.find('\n', old);
    NoteLineStart(old);
    if ((open_end == std::string::npos ? data_.size() : open_end) - open_start > kMaxLineBytes) {
      if (absl::Status status = DropLongLine(open_start); !status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

ssize_t ChunkSource::Read(char* out, size_t size) {
  ssize_t n = 0;
  if (content_) {
    n = static_cast<ssize_t>(std::min<uint64_t>(size, content_->size() - read_));
    std::memcpy(out, content_->data() + read_, static_cast<size_t>(n));
  } else {
    n = ::read(fd_, out, size);
  }
  if (n > 0) read_ += static_cast<uint64_t>(n);
  return n;
}

void ChunkSource::NoteLineStart(size_t from) {
  size_t eol = std::string_view(data_).substr(from).rfind('\n');
  if (eol != std::string_view::npos) line_start_ = from + eol + 1;
}

absl::Status ChunkSource::DropLongLine(size_t line_start) {
  uint64_t line = next_line_ + CountLines(std::string_view(data_).substr(0, line_start));
  size_t eol = data_.find('\n', line_start);
  uint64_t length = (eol == std::string::npos ? data_.size() : eol) - line_start;
  if (eol != std::string::npos) {
    data_.erase(line_start, length);  // the line ended within what was read
  } else {
    data_.resize(line_start);  // skip the input up to the line's end
    std::string scratch(kReadBytes, '\0');
    while (true) {
      ssize_t n = Read(scratch.data(), scratch.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return absl::DataLossError(StrCat("read failed: ", std::strerror(errno)));
      if (n == 0) {
        eof_ = true;
        break;
      }
      std::string_view got(scratch.data(), static_cast<size_t>(n));
      size_t end = got.find('\n');
      length += end == std::string_view::npos ? got.size() : end;
      if (end != std::string_view::npos) {
        data_.append(got.substr(end));  // the line's end and what follows it
        break;
      }
    }
  }
  line_start_ = line_start;
  NoteLineStart(line_start);
  errors_.emplace_back(
      line, StrCat("line of ", length, " bytes is over the limit of ", kMaxLineBytes >> 20, " MiB; skipped"));
  return absl::OkStatus();
}

// The first cut at or after data_[from]: the start of a line that, like the line before it,
// holds a whole log entry. data_.size() when there is none before the end of the input.
size_t ChunkSource::FindCut(size_t from) {
  if (is_entry_ == nullptr) return data_.size();
  size_t eol = data_.find('\n', from == 0 ? 0 : from - 1);
  if (eol == std::string::npos) return data_.size();
  size_t bol = data_.rfind('\n', eol == 0 ? 0 : eol - 1);
  size_t prev_start = (bol == std::string::npos || bol >= eol) ? 0 : bol + 1;
  bool prev_entry = is_entry_(std::string_view(data_).substr(prev_start, eol - prev_start));
  while (true) {
    size_t start = eol + 1;
    size_t end = data_.find('\n', start);
    while (end == std::string::npos && !eof_) {
      size_t searched = data_.size();
      if (!Fill(data_.size() + kReadBytes).ok()) return data_.size();
      end = data_.find('\n', searched);
    }
    if (end == std::string::npos) return data_.size();
    bool entry = is_entry_(std::string_view(data_).substr(start, end - start));
    if (prev_entry && entry) return start;
    prev_entry = entry;
    eol = end;
  }
}

absl::StatusOr<bool> ChunkSource::Next(Chunk& chunk) {
  if (absl::Status status = Fill(kChunkBytes + kCutSlack); !status.ok()) return status;
  if (data_.empty()) return false;
  size_t cut = data_.size() <= kChunkBytes ? data_.size() : FindCut(kChunkBytes);
  if (cut == data_.size() && !eof_) {
    // FindCut read to the end of the input without finding a cut: everything is one chunk.
    if (absl::Status status = Fill(SIZE_MAX); !status.ok()) return status;
    cut = data_.size();
  }
  chunk.errors = std::move(errors_);
  errors_.clear();
  chunk.first_line = next_line_;
  chunk.size = cut;
  // The chunk takes the buffer; only what follows the cut is copied back, into a buffer that
  // will hold the next chunk without growing.
  std::string rest;
  if (!eof_) rest.reserve(kChunkBytes + 2 * kCutSlack + kPadding);
  rest.append(data_, cut);
  chunk.buffer = std::move(data_);
  chunk.buffer.resize(cut + kPadding);
  std::fill(chunk.buffer.begin() + static_cast<ptrdiff_t>(cut), chunk.buffer.end(), '\0');
  data_ = std::move(rest);
  line_start_ = line_start_ >= cut ? line_start_ - cut : 0;
  next_line_ += CountLines(chunk.data());
  return true;
}

}  // namespace tediag
