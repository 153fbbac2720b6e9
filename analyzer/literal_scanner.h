// Finds which of a fixed set of strings occur in a text, ignoring ASCII case: the cheap test that
// runs before any regular expression (see Matcher). Most log messages contain none of the
// literals the rules need, and for them no automaton runs at all.
//
// Cost: one 4-byte load, a multiply and a bit test per byte of text, against a 64 Kibit filter of
// the literals' first four bytes (it fits in L1); a filter hit is verified by comparing bytes.
// Comparison folds every byte with `| 0x20`, which equates ASCII upper and lower case (and some
// other bytes): it may report a literal that is not there, never miss one that is.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tediag {

class LiteralScanner {
 public:
  static constexpr size_t kMinLength = 4;

  // `literals` must each be at least kMinLength bytes long.
  explicit LiteralScanner(const std::vector<std::string>& literals);

  // Appends to `found` the index of every literal that occurs in `text`, each once, in no order.
  void Find(std::string_view text, std::vector<int>& found) const;

 private:
  struct Entry {
    uint32_t key;    // the literal's first four bytes, folded
    int literal;
  };
  std::array<uint64_t, 1024> filter_{};  // bit (hash of key) set for every entry
  std::vector<Entry> entries_;           // sorted by key
  std::vector<std::string> literals_;    // folded
};

}  // namespace tediag
