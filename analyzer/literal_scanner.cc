#include "literal_scanner.h"

#include <algorithm>
#include <cstring>

namespace tediag {
namespace {

constexpr uint32_t kFold4 = 0x20202020u;

uint32_t Load4(const char* p) {
  uint32_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

uint32_t Hash(uint32_t key) { return (key * 2654435761u) >> 16; }  // 16 bits

bool FoldedEqual(const char* text, std::string_view folded) {
  for (size_t i = 0; i < folded.size(); ++i) {
    if (static_cast<char>(text[i] | 0x20) != folded[i]) return false;
  }
  return true;
}

}  // namespace

LiteralScanner::LiteralScanner(const std::vector<std::string>& literals) {
  for (const std::string& literal : literals) {
    std::string folded = literal;
    for (char& c : folded) c = static_cast<char>(c | 0x20);
    int index = static_cast<int>(literals_.size());
    literals_.push_back(std::move(folded));
    if (literals_.back().size() < kMinLength) continue;  // contract broken: never reported
    uint32_t key = Load4(literals_.back().data());
    entries_.push_back({key, index});
    uint32_t h = Hash(key);
    filter_[h >> 6] |= uint64_t{1} << (h & 63);
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
}

void LiteralScanner::Find(std::string_view text, std::vector<int>& found) const {
  if (text.size() < kMinLength) return;
  const char* p = text.data();
  const size_t last = text.size() - kMinLength;
  for (size_t i = 0; i <= last; ++i) {
    uint32_t key = Load4(p + i) | kFold4;
    uint32_t h = Hash(key);
    if (!((filter_[h >> 6] >> (h & 63)) & 1)) continue;
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                               [](const Entry& e, uint32_t k) { return e.key < k; });
    for (; it != entries_.end() && it->key == key; ++it) {
      const std::string& literal = literals_[static_cast<size_t>(it->literal)];
      if (literal.size() > text.size() - i || !FoldedEqual(p + i, literal)) continue;
      if (std::find(found.begin(), found.end(), it->literal) == found.end()) found.push_back(it->literal);
    }
  }
}

}  // namespace tediag
