#include "util/json_writer.h"

#include "util/text_util.h"

namespace tediag {

void JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  Separate();
  AppendJsonString(out_, value);
}

void JsonWriter::Number(uint64_t value) {
  Separate();
  StrAppend(out_, value);
}

void JsonWriter::Number(int64_t value) {
  Separate();
  StrAppend(out_, value);
}

void JsonWriter::Raw(std::string_view value) {
  Separate();
  out_ += value;
}

void JsonWriter::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
}

void JsonWriter::Null() {
  Separate();
  out_ += "null";
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_) out_.push_back(',');
  if (depth_ > 0) Newline();
  first_ = false;
}

void JsonWriter::Open(char c) {
  Separate();
  out_.push_back(c);
  ++depth_;
  first_ = true;
}

void JsonWriter::Close(char c) {
  --depth_;
  if (!first_) Newline();
  out_.push_back(c);
  first_ = false;
}

void JsonWriter::Newline() {
  out_.push_back('\n');
  out_.append(static_cast<size_t>(depth_) * 2, ' ');
}

}  // namespace tediag
