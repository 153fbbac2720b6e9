// A bounds-checked cursor over little-endian bytes: the only way the unified-log parsers read a
// file. Every read checks the bytes left first; a read past the end returns zero (or an empty
// view), sets the reader to failed and moves nothing, so a parser can read a whole structure
// and test ok() once. Offsets and sizes taken from the data go through Sub() and At(), which
// check them against what is there, so a hostile length can neither overflow nor run past the
// buffer. Costs nothing beyond the comparisons; no allocation. Not thread-safe (a value type:
// one per thread).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tediag::unified_log {

// A UUID as the files store it: 16 bytes, big-endian.
using Uuid = std::array<uint8_t, 16>;

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::string_view data) : data_(data) {}

  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  size_t size() const { return data_.size(); }
  size_t left() const { return data_.size() - pos_; }
  std::string_view data() const { return data_; }
  std::string_view rest() const { return data_.substr(pos_); }

  bool Has(size_t n) const { return ok_ && n <= left(); }

  uint8_t U8() { return Fixed<uint8_t>(); }
  uint16_t U16() { return Fixed<uint16_t>(); }
  uint32_t U32() { return Fixed<uint32_t>(); }
  uint64_t U64() { return Fixed<uint64_t>(); }
  // A little-endian unsigned integer of 1 to 8 bytes (a data item's inline number).
  uint64_t UInt(size_t n) {
    if (n == 0 || n > 8 || !Has(n)) return Fail(), 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    pos_ += n;
    return v;
  }
  Uuid ReadUuid() {
    Uuid uuid{};
    if (!Has(16)) return Fail(), uuid;
    std::memcpy(uuid.data(), data_.data() + pos_, 16);
    pos_ += 16;
    return uuid;
  }
  std::string_view Bytes(size_t n) {
    if (!Has(n)) return Fail(), std::string_view();
    std::string_view v = data_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  void Skip(size_t n) {
    if (!Has(n)) return Fail();
    pos_ += n;
  }
  // Moves to the next multiple of `alignment` from the start of the buffer, or to the end when
  // that is past it (padding at the end of a buffer may be cut).
  void Align(size_t alignment) {
    size_t rem = pos_ % alignment;
    if (rem == 0) return;
    size_t pad = alignment - rem;
    pos_ = pad <= left() ? pos_ + pad : data_.size();
  }
  void Seek(size_t pos) {
    if (!ok_ || pos > data_.size()) return Fail();
    pos_ = pos;
  }
  void Fail() { ok_ = false; }

  // The `size` bytes at `offset` of `data`, or an empty view with *ok = false when they are not
  // all there. The checks cannot overflow.
  static std::string_view Sub(std::string_view data, uint64_t offset, uint64_t size, bool* ok = nullptr) {
    if (offset > data.size() || size > data.size() - offset) {
      if (ok) *ok = false;
      return {};
    }
    if (ok) *ok = true;
    return data.substr(static_cast<size_t>(offset), static_cast<size_t>(size));
  }
  // The NUL-terminated string at `offset` of `data` (to the end when no NUL follows), or empty.
  static std::string_view CString(std::string_view data, uint64_t offset) {
    if (offset >= data.size()) return {};
    std::string_view s = data.substr(static_cast<size_t>(offset));
    size_t nul = s.find('\0');
    return nul == std::string_view::npos ? s : s.substr(0, nul);
  }

 private:
  template <typename T>
  T Fixed() {
    if (!Has(sizeof(T))) return Fail(), T{};
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
      v |= static_cast<T>(static_cast<T>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i));
    pos_ += sizeof(T);
    return v;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// "DCA6F382-13F5-4A21-BF2B-4F1BE8B136BD"
std::string UuidString(const Uuid& uuid);
// "DCA6F38213F54A21BF2B4F1BE8B136BD": the name of a uuidtext or dsc file
std::string UuidHex(const Uuid& uuid);
// "1f" (or "1F"): an integer in hexadecimal, no prefix
std::string HexString(uint64_t value, bool upper = false);

}  // namespace tediag::unified_log
