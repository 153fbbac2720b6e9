#include "read/json_salvage.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "read/elision.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// The member written into each object the salvage closes itself (see kSalvageCutKey).
constexpr std::string_view kCutMember = "\"\\u0001cut\":true";

bool IsDelimiter(char c) { return c == ',' || c == '}' || c == ']' || IsAsciiSpace(c); }
bool StartsValue(char c) {
  return c == '"' || c == '{' || c == '[' || c == '-' || IsAsciiDigit(c) || c == 't' || c == 'f' || c == 'n';
}

int HexValue(char c) {
  if (IsAsciiDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// An integer with more digits than 64 bits hold: written as a double, which every JSON parser
// takes, instead of one that some refuse.
bool IsBigInteger(std::string_view digits, bool negative) {
  std::string_view max = negative ? "9223372036854775808" : "18446744073709551615";
  return digits.size() > max.size() || (digits.size() == max.size() && digits > max);
}

class Salvager {
 public:
  Salvager(std::string_view full, size_t start, size_t stop)
      : full_(full), data_(full.substr(0, stop)), start_(start) {}

  SalvagedJson Run(bool members_only);

 private:
  enum class Expect { kKey, kColon, kValue, kAfter };
  enum class Scan { kOk, kBad, kCut };  // kCut: the text ends inside the token
  struct Frame {
    bool object;
    bool has_member;
  };

  size_t depth() const { return stack_.size(); }
  // The output at the last point where it could be closed into valid JSON, and the top frame's
  // state there. Between that point and now only a key (and its colon) can have been written,
  // never a bracket, so the frames are the same.
  void Safe() {
    safe_out_ = out_.size();
    safe_has_member_ = stack_.back().has_member;
  }
  void Rollback() {
    out_.resize(safe_out_);
    if (!stack_.empty()) stack_.back().has_member = safe_has_member_;
  }
  // A comma before the next member or element when one came before.
  void Separate() {
    if (stack_.back().has_member) out_.push_back(',');
    stack_.back().has_member = true;
  }
  void Open(bool object) {
    stack_.push_back({object, false});
    out_.push_back(object ? '{' : '[');
    opened_last_ = true;
  }
  void Close() {
    out_.push_back(stack_.back().object ? '}' : ']');
    stack_.pop_back();
  }
  void CloseCut() {
    if (stack_.back().object) {
      if (stack_.back().has_member) out_.push_back(',');
      out_.append(kCutMember);
    }
    Close();
  }
  bool CanResume(char c) const {
    if (c == ',') return true;
    if (stack_.back().object) return c == '"' || c == '}';
    return c == ']' || StartsValue(c);
  }

  Scan ScanString(size_t& i);
  Scan ScanNumber(size_t& i);
  Scan ScanLiteral(size_t& i);
  Scan ScanValue(size_t& i);
  // After a byte that cannot continue the document at `pos`: drops what was being read, closes
  // the containers opened on this line, and moves `i` to where reading may resume.
  void Recover(size_t pos, size_t& i);
  // At the end of a line that leaves open what it opened without ending in a bracket (a line cut
  // or elided at its end: `"threads" : [{"id":1,<…>`), when the next line is no deeper than it
  // (a member beside it, not its continuation): closes what the line opened.
  void EndLine(size_t eol);
  size_t IndentAt(size_t pos) const {
    size_t k = pos;
    while (k < data_.size() && (data_[k] == ' ' || data_[k] == '\t')) ++k;
    return k - pos;
  }
  size_t AfterLineOf(size_t pos) const {
    size_t eol = full_.find('\n', pos);
    return eol == std::string_view::npos ? full_.size() : eol + 1;
  }

  std::string_view full_;
  std::string_view data_;  // what may be read: full_ up to the limit
  size_t start_;
  std::string out_;
  std::vector<Frame> stack_;
  size_t safe_out_ = 0;
  bool safe_has_member_ = false;
  Expect expect_ = Expect::kKey;
  size_t line_start_ = 0;     // where the line being read starts
  size_t line_depth_ = 0;     // the depth at its start
  bool resuming_ = false;     // after Recover: the next token must be one that goes on with the document
  bool opened_last_ = false;  // the last token read was an opening bracket
  bool damaged_ = false;
};

Salvager::Scan Salvager::ScanString(size_t& i) {
  size_t j = i + 1;
  while (true) {
    if (j >= data_.size()) return Scan::kCut;
    unsigned char u = static_cast<unsigned char>(data_[j]);
    if (u == '"') {
      out_.append(data_.substr(i, j + 1 - i));
      i = j + 1;
      return Scan::kOk;
    }
    if (u == '\\') {
      if (j + 1 >= data_.size()) return Scan::kCut;
      char e = data_[j + 1];
      if (e != 'u') {
        if (!Contains("\"\\/bfnrt", std::string_view(&e, 1))) {
          i = j + 1;
          return Scan::kBad;
        }
        j += 2;
        continue;
      }
      // \uXXXX, and a surrogate only as a high-low pair (parsers reject a lone one).
      auto code_at = [&](size_t at, uint32_t& code) -> Scan {
        if (at + 6 > data_.size()) return Scan::kCut;
        if (data_[at] != '\\' || data_[at + 1] != 'u') return Scan::kBad;
        code = 0;
        for (size_t k = at + 2; k < at + 6; ++k) {
          int h = HexValue(data_[k]);
          if (h < 0) return Scan::kBad;
          code = code * 16 + static_cast<uint32_t>(h);
        }
        return Scan::kOk;
      };
      uint32_t code = 0;
      if (Scan s = code_at(j, code); s != Scan::kOk) {
        i = j + 1;
        return s;
      }
      if (code >= 0xDC00 && code <= 0xDFFF) {
        i = j + 1;
        return Scan::kBad;
      }
      if (code >= 0xD800 && code <= 0xDBFF) {
        uint32_t low = 0;
        if (Scan s = code_at(j + 6, low); s != Scan::kOk || low < 0xDC00 || low > 0xDFFF) {
          i = j + 1;
          return s == Scan::kCut ? s : Scan::kBad;
        }
        j += 12;
      } else {
        j += 6;
      }
      continue;
    }
    if (u < 0x20) {  // a raw line break: the string was cut at the end of its line
      i = j;
      return Scan::kBad;
    }
    if (u >= 0x80) {
      size_t length = Utf8SequenceLength(data_, j);
      if (length == 0) {
        if (j + 4 > data_.size()) return Scan::kCut;  // a character cut by the limit, perhaps
        i = j;
        return Scan::kBad;
      }
      j += length;
      continue;
    }
    ++j;
  }
}

Salvager::Scan Salvager::ScanNumber(size_t& i) {
  size_t j = i;
  bool negative = data_[j] == '-';
  if (negative) ++j;
  if (j >= data_.size()) return Scan::kCut;
  size_t int_start = j;
  if (data_[j] == '0') {
    ++j;
  } else if (IsAsciiDigit(data_[j])) {
    while (j < data_.size() && IsAsciiDigit(data_[j])) ++j;
  } else {
    i = j;
    return Scan::kBad;
  }
  std::string_view digits = data_.substr(int_start, j - int_start);
  bool integer = true;
  int64_t exponent = 0;
  if (j < data_.size() && data_[j] == '.') {
    integer = false;
    if (++j >= data_.size()) return Scan::kCut;
    if (!IsAsciiDigit(data_[j])) {
      i = j;
      return Scan::kBad;
    }
    while (j < data_.size() && IsAsciiDigit(data_[j])) ++j;
  }
  if (j < data_.size() && (data_[j] == 'e' || data_[j] == 'E')) {
    integer = false;
    ++j;
    bool minus = false;
    if (j < data_.size() && (data_[j] == '+' || data_[j] == '-')) minus = data_[j++] == '-';
    if (j >= data_.size()) return Scan::kCut;
    if (!IsAsciiDigit(data_[j])) {
      i = j;
      return Scan::kBad;
    }
    while (j < data_.size() && IsAsciiDigit(data_[j])) {
      exponent = std::min<int64_t>(exponent * 10 + (data_[j] - '0'), 100000);
      ++j;
    }
    if (minus) exponent = -exponent;
  }
  if (j >= data_.size()) return Scan::kCut;  // more digits may have followed
  if (!IsDelimiter(data_[j])) {              // "0x32", "1055abc": not a number as written
    i = j;
    return Scan::kBad;
  }
  // A number that ends its line ends a member only when a comma or a closing bracket comes next;
  // otherwise the line was cut in the number ("pid" : 10| then prose), and its digits are not all there.
  size_t k = j;
  while (k < data_.size() && (data_[k] == ' ' || data_[k] == '\t' || data_[k] == '\r')) ++k;
  if (k < data_.size() && data_[k] == '\n') {
    size_t next = k;
    while (next < data_.size() && IsAsciiSpace(data_[next])) ++next;
    if (next >= data_.size()) return Scan::kCut;
    if (data_[next] != ',' && data_[next] != '}' && data_[next] != ']') {
      i = k;
      return Scan::kBad;
    }
  }
  if (exponent + static_cast<int64_t>(digits.size()) > 300) {  // would overflow a double
    i = j;
    return Scan::kBad;
  }
  out_.append(data_.substr(i, j - i));
  if (integer && IsBigInteger(digits, negative)) out_.append(".0");
  i = j;
  return Scan::kOk;
}

Salvager::Scan Salvager::ScanLiteral(size_t& i) {
  std::string_view word = data_[i] == 't' ? "true" : data_[i] == 'f' ? "false" : "null";
  for (size_t k = 1; k < word.size(); ++k) {
    if (i + k >= data_.size()) return Scan::kCut;
    if (data_[i + k] != word[k]) {
      i += k;
      return Scan::kBad;
    }
  }
  size_t j = i + word.size();
  if (j >= data_.size()) return Scan::kCut;
  if (!IsDelimiter(data_[j])) {
    i = j;
    return Scan::kBad;
  }
  out_.append(word);
  i = j;
  return Scan::kOk;
}

// A value at data_[i], which StartsValue; the frame's separator is written here for arrays.
Salvager::Scan Salvager::ScanValue(size_t& i) {
  char c = data_[i];
  if (c == '{' || c == '[') {
    if (depth() >= kMaxSalvageDepth) {
      ++i;  // past the bracket, so that reading resumes on a later line
      return Scan::kBad;
    }
    if (!stack_.back().object) Separate();
    Open(c == '{');
    ++i;
    Safe();
    expect_ = c == '{' ? Expect::kKey : Expect::kAfter;
    return Scan::kOk;
  }
  size_t before = out_.size();
  bool had_member = stack_.back().has_member;
  if (!stack_.back().object) Separate();
  Scan scan = c == '"' ? ScanString(i) : (c == '-' || IsAsciiDigit(c)) ? ScanNumber(i) : ScanLiteral(i);
  if (scan != Scan::kOk) {
    out_.resize(before);
    stack_.back().has_member = had_member;
    return scan;
  }
  Safe();
  expect_ = Expect::kAfter;
  return Scan::kOk;
}

void Salvager::Recover(size_t pos, size_t& i) {
  damaged_ = true;
  Rollback();
  size_t target = std::max<size_t>(1, std::min(line_depth_, depth()));
  while (depth() > target) CloseCut();
  Safe();
  expect_ = Expect::kAfter;
  resuming_ = true;
  bool at_line_start = true;
  for (size_t k = line_start_; k < pos && k < data_.size(); ++k) {
    if (data_[k] != ' ' && data_[k] != '\t') {
      at_line_start = false;
      break;
    }
  }
  if (at_line_start) {
    i = pos;  // a line that may go on with the document (a key after a dropped line): tried as such
    return;
  }
  size_t eol = data_.find('\n', pos);
  i = eol == std::string_view::npos ? data_.size() : eol + 1;
  line_start_ = i;
  line_depth_ = depth();
}

void Salvager::EndLine(size_t eol) {
  if (depth() <= std::max<size_t>(1, line_depth_) || opened_last_) return;
  size_t next = eol + 1;  // the next line that is not blank
  while (true) {
    size_t indent = IndentAt(next);
    if (next + indent >= data_.size()) return;  // the text ends: closed at the end anyway
    char c = data_[next + indent];
    if (c != '\n' && c != '\r') {
      if (indent > IndentAt(line_start_)) return;  // deeper: the line goes on there
      break;
    }
    next += indent + 1;
  }
  damaged_ = true;
  Rollback();
  while (depth() > std::max<size_t>(1, line_depth_)) CloseCut();
  Safe();
  expect_ = Expect::kAfter;
}

SalvagedJson Salvager::Run(bool members_only) {
  SalvagedJson result;
  size_t i = start_;
  size_t end = std::string_view::npos;
  line_start_ = start_;
  out_.reserve(std::min<size_t>(data_.size() - start_, size_t{1} << 20) + 64);
  Open(true);
  Safe();
  if (members_only) {
    expect_ = Expect::kAfter;
    line_depth_ = 1;
  } else {
    if (start_ >= data_.size() || data_[start_] != '{') {
      result.json = "{}";
      result.end = start_;
      return result;
    }
    ++i;
    expect_ = Expect::kKey;
    line_depth_ = 0;
  }
  while (i < data_.size()) {
    char c = data_[i];
    if (c == '\n') {
      EndLine(i);
      ++i;
      line_start_ = i;
      line_depth_ = depth();
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    if (size_t elided = ElisionAt(data_.substr(i, kMaxElisionBytes))) {
      i += elided;
      damaged_ = true;
      opened_last_ = false;
      if (expect_ == Expect::kValue) {  // the value was cut out: its key goes too
        Rollback();
        expect_ = Expect::kAfter;
      }
      continue;
    }
    if (resuming_) {
      if (!CanResume(c)) {
        end = line_start_;  // the document ended before this line
        break;
      }
      resuming_ = false;
    }
    Scan scan = Scan::kOk;
    size_t pos = i;
    opened_last_ = false;  // set again by Open when this token is a bracket
    Frame& top = stack_.back();
    switch (expect_) {
      case Expect::kKey:
      case Expect::kAfter:
        if (c == ',') {
          if (expect_ == Expect::kKey) damaged_ = true;  // ",," or "{,": a line was taken out
          expect_ = top.object ? Expect::kKey : Expect::kValue;
          ++i;
        } else if (c == (top.object ? '}' : ']')) {
          Close();
          ++i;
          if (stack_.empty()) {
            end = AfterLineOf(i);
            break;
          }
          Safe();
          expect_ = Expect::kAfter;
        } else if (top.object && c == '"') {
          if (expect_ == Expect::kAfter && top.has_member) damaged_ = true;  // no comma before it
          Separate();
          scan = ScanString(i);
          expect_ = Expect::kColon;
        } else if (!top.object && StartsValue(c)) {
          if (expect_ == Expect::kAfter && top.has_member) damaged_ = true;
          scan = ScanValue(i);
        } else {
          scan = Scan::kBad;
        }
        break;
      case Expect::kColon:
        if (c == ':') {
          out_.push_back(':');
          ++i;
          expect_ = Expect::kValue;
        } else {
          scan = Scan::kBad;
        }
        break;
      case Expect::kValue:
        if (c == ',' || c == (top.object ? '}' : ']')) {  // no value: a trailing comma, a value taken out
          damaged_ = true;
          Rollback();
          expect_ = Expect::kAfter;
          if (c == ',') {
            expect_ = top.object ? Expect::kKey : Expect::kValue;
            ++i;
          }
        } else if (StartsValue(c)) {
          scan = ScanValue(i);
        } else {
          scan = Scan::kBad;
        }
        break;
    }
    if (end != std::string_view::npos) break;
    if (scan == Scan::kCut) break;
    if (scan == Scan::kBad) Recover(std::max(i, pos), i);
  }
  // The end of what may be read, or of the document: close what is open.
  if (!stack_.empty()) {
    Rollback();
    damaged_ = true;
    while (!stack_.empty()) CloseCut();
  }
  if (end == std::string_view::npos) {
    bool at_line_start = data_.size() == full_.size() || data_.empty() || data_.back() == '\n';
    end = at_line_start ? data_.size() : AfterLineOf(data_.size());
  }
  result.json = std::move(out_);
  result.end = std::max(end, start_);
  result.scanned = std::min(std::max(i, result.end), full_.size()) - start_;
  result.damaged = damaged_;
  return result;
}

}  // namespace

SalvagedJson SalvageJsonObject(std::string_view data, size_t start, size_t limit, bool members_only) {
  if (start > data.size()) start = data.size();
  size_t stop = limit >= data.size() - start ? data.size() : start + limit;
  return Salvager(data, start, stop).Run(members_only);
}

}  // namespace tediag
