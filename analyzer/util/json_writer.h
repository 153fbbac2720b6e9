// A small streaming JSON writer for everything tediag writes as JSON (the JSON report, a
// collector bundle's manifest.json): it keeps commas and nesting right and pretty-prints with
// two-space indents, so no caller concatenates JSON by hand. Strings go through
// AppendJsonString (util/json_string.h), so the output always parses.
//
// Not thread-safe; one writer builds one document. Costs: one string, appended to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "util/json_string.h"

namespace tediag {

class JsonWriter {
 public:
  // The document so far; the writer is empty afterwards.
  std::string Take() { return std::move(out_); }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // Inside an object: the key of the next value.
  void Key(std::string_view key);
  void String(std::string_view value);
  void Number(uint64_t value);
  void Number(int64_t value);
  // `value` as written, e.g. a number already formatted ("1.250"); the caller answers for it.
  void Raw(std::string_view value);
  void Bool(bool value);
  void Null();

  // Key and value at once: a bool, an integer, or anything a string_view is made from.
  template <typename T>
  void Field(std::string_view key, const T& value) {
    Key(key);
    if constexpr (std::is_same_v<T, bool>) {
      Bool(value);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      Number(static_cast<int64_t>(value));
    } else if constexpr (std::is_integral_v<T>) {
      Number(static_cast<uint64_t>(value));
    } else {
      String(value);
    }
  }
  // An array of strings.
  template <typename Strings>
  void StringArray(std::string_view key, const Strings& values) {
    Key(key);
    BeginArray();
    for (const auto& value : values) String(value);
    EndArray();
  }

 private:
  void Separate();
  void Open(char c);
  void Close(char c);
  void Newline();

  std::string out_;
  int depth_ = 0;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace tediag
