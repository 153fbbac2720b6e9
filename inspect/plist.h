// Property lists, XML and binary ("bplist00"), read into a small tree: what Info.plist,
// entitlements and _CodeSignature/CodeResources need. Our own reader rather than libplist:
// the subset is small (about 300 lines), it adds no library to two package managers, and it is
// bounded for untrusted input (depth at most 64, at most 1,000,000 values in all, so a binary
// plist whose objects refer to each other many times cannot blow up), which the fuzzer checks.
//
// Errors: a malformed plist fails as a whole (InvalidArgument, with the byte offset). The tree
// owns its strings. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "byte_reader.h"

namespace tediag::inspect {

struct PlistEntry;

struct PlistValue {
  enum class Kind : uint8_t { kString, kInteger, kReal, kBool, kDate, kData, kArray, kDict, kNull };
  Kind kind = Kind::kNull;
  std::string text;  // string, date (as written, or ISO 8601 from binary), data (decoded bytes), real (as text)
  int64_t integer = 0;
  bool boolean = false;
  std::vector<PlistValue> array;
  std::vector<PlistEntry> dict;  // in file order (a struct, not std::pair: pair needs a complete type)

  // The value of `key` in a dict, or null.
  const PlistValue* Find(std::string_view key) const;
  bool IsTrue() const { return kind == Kind::kBool && boolean; }
  // A string value's text, or empty.
  std::string_view String() const { return kind == Kind::kString ? std::string_view(text) : std::string_view(); }
};

struct PlistEntry {
  std::string key;
  PlistValue value;
};

// Reads XML or binary from the bytes' start (whichever they are).
absl::StatusOr<PlistValue> ParsePlist(Bytes data);

bool IsBinaryPlist(Bytes data);

}  // namespace tediag::inspect
