// Finds which of a fixed set of strings occur in a text, ignoring ASCII case: the cheap test that
// runs before any regular expression (see Matcher). Most log messages contain none of the
// literals the rules need, and for them no automaton runs at all.
//
// Cost: one 4-byte load, a multiply and a bit test per byte of text, against a 64 Kibit filter of
// the literals' first four bytes (it fits in L1); a filter hit goes straight (by the same hash) to
// the few literals that could start there, which are verified eight bytes at a time.
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
  static constexpr int kHashBits = 15;  // the filter's size: 32 KiB, a byte per hash (no shifts)
  static constexpr int kSlotBits = 12;  // the top bits of the hash: where a hit's entries start
  struct Entry {
    uint64_t head;  // the literal's first (up to) eight bytes, folded
    uint64_t mask;  // which bytes of `head` are the literal's
    uint32_t slot;  // the top bits of the hash of its first four bytes
    int literal;
  };
  std::array<uint8_t, size_t{1} << kHashBits> filter_{};             // non-zero at the hash of every entry's key
  std::array<uint32_t, (size_t{1} << kSlotBits) + 1> slot_start_{};  // entries_[slot_start_[s]..[s+1]) have slot s
  std::vector<Entry> entries_;                                       // sorted by slot
  std::vector<std::string> literals_;                                // folded
};

}  // namespace tediag
