#include "log_capture.h"

#include "process.h"
#include "util/text_util.h"

namespace tediag::collector {
namespace {

constexpr size_t kMaxKeptOtherLines = 20;

}  // namespace

bool LogCapture::Drain(int fd) {
  std::string bytes;
  bool open = ReadAvailable(fd, bytes);
  pending_ += bytes;
  size_t start = 0;
  for (size_t eol; (eol = pending_.find('\n', start)) != std::string::npos; start = eol + 1) {
    Line(std::string_view(pending_).substr(start, eol - start));
  }
  pending_.erase(0, start);
  return open;
}

bool LogCapture::FinishCutLine() {
  if (pending_.empty()) return false;
  Line(pending_);
  pending_.clear();
  return true;
}

void LogCapture::Line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (StripWhitespace(line).empty()) return;
  if (line.front() != '{') {
    ++other_count_;
    if (other_.size() < kMaxKeptOtherLines) other_.push_back(Printable(line.substr(0, 300)));
    return;
  }
  if (!write_error_.empty()) {
    ++unwritten_;
  } else if (absl::Status status = writer_.Write(line); !status.ok()) {
    write_error_ = std::string(status.message());
    ++unwritten_;
  }
  Record record;
  absl::StatusOr<JsonLogEventParser::Kind> kind = parser_.Parse(line, record);
  if (!kind.ok() || *kind != JsonLogEventParser::Kind::kEvent) return;
  ++events_;
  hits_.clear();
  matcher_.Match(record, scratch_, hits_);
  if (!hits_.empty()) ++relevant_;
}

}  // namespace tediag::collector
