#include "match/literal_scanner.h"

#include <algorithm>
#include <cstring>

namespace tediag {
namespace {

constexpr uint32_t kFold4 = 0x20202020u;
constexpr uint64_t kFold8 = 0x2020202020202020u;

uint32_t Load4(const char* p) {
  uint32_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// Up to eight bytes, zero-padded, in the order a full load would give them.
uint64_t Load8(const char* p, size_t available) {
  uint64_t word = 0;
  std::memcpy(&word, p, std::min<size_t>(available, sizeof word));
  return word;
}

uint32_t Hash(uint32_t key) { return (key * 2654435761u) >> 17; }  // 15 bits, the top ones best mixed

bool FoldedEqual(const char* text, std::string_view folded) {
  for (size_t i = 0; i < folded.size(); ++i) {
    if (static_cast<char>(text[i] | 0x20) != folded[i]) return false;
  }
  return true;
}

}  // namespace

LiteralScanner::LiteralScanner(const std::vector<std::string>& literals) {
  static_assert(kHashBits == 15 && kSlotBits <= kHashBits);
  for (const std::string& literal : literals) {
    std::string folded = literal;
    for (char& c : folded) c = static_cast<char>(c | 0x20);
    int index = static_cast<int>(literals_.size());
    literals_.push_back(std::move(folded));
    const std::string& text = literals_.back();
    if (text.size() < kMinLength) continue;  // contract broken: never reported
    uint32_t h = Hash(Load4(text.data()));
    filter_[h] = 1;
    const std::string ones(std::min<size_t>(text.size(), 8), '\xff');
    entries_.push_back(
        {Load8(text.data(), text.size()), Load8(ones.data(), ones.size()), h >> (kHashBits - kSlotBits), index});
  }
  std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.slot < b.slot; });
  for (size_t s = 0, e = 0; s < slot_start_.size(); ++s) {
    while (e < entries_.size() && entries_[e].slot < s) ++e;
    slot_start_[s] = static_cast<uint32_t>(e);
  }
}

void LiteralScanner::Find(std::string_view text, std::vector<int>& found) const {
  if (text.size() < kMinLength) return;
  const char* p = text.data();
  const size_t last = text.size() - kMinLength;
  for (size_t i = 0; i <= last; ++i) {
    uint32_t h = Hash(Load4(p + i) | kFold4);
    if (!filter_[h]) continue;
    const size_t left = text.size() - i;
    const uint64_t word = Load8(p + i, left) | kFold8;
    uint32_t s = h >> (kHashBits - kSlotBits);
    for (uint32_t e = slot_start_[s], end = slot_start_[s + 1]; e < end; ++e) {
      const Entry& entry = entries_[e];
      if ((word & entry.mask) != entry.head) continue;
      const std::string& literal = literals_[static_cast<size_t>(entry.literal)];
      if (literal.size() > left) continue;
      if (literal.size() > 8 && !FoldedEqual(p + i + 8, std::string_view(literal).substr(8))) continue;
      if (std::find(found.begin(), found.end(), entry.literal) == found.end()) found.push_back(entry.literal);
    }
  }
}

}  // namespace tediag
