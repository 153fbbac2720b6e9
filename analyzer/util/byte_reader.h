// A bounds-checked cursor over bytes that are not trusted (a tracev3 file, a Mach-O, a code
// signature, a binary plist): the one byte reader of the unified-log and inspect stages. Every
// read checks the bytes left first; a read past the end returns zero (or an empty view), sets
// the reader to failed and moves nothing, so a parser can read a whole structure and test ok()
// once. Offsets and sizes taken from the data go through Sub() and CString(), which check them
// against what is there, so a hostile 32- or 64-bit length can neither wrap nor run past the
// buffer. The byte order is the type's (ByteReader little-endian, as tracev3 and Mach-O headers;
// BigEndianReader, as fat headers, code signatures and binary plists), fixed at compile time so
// the hot loops of the log reader pay nothing for it. Header-only, no allocation. A value type:
// copy it to look ahead; not shared between threads, though any number may read the same bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tediag {

// 16 bytes as stored (a UUID in a tracev3 or Mach-O file).
using Uuid = std::array<uint8_t, 16>;

enum class ByteOrder { kLittle, kBig };

template <ByteOrder kOrder>
class BasicByteReader {
 public:
  BasicByteReader() = default;
  explicit BasicByteReader(std::string_view data) : data_(data) {}

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
  // An unsigned integer of 1 to 8 bytes, in the reader's byte order.
  uint64_t UInt(size_t n) {
    if (n == 0 || n > 8 || !Has(n)) return Fail(), 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) {
      uint64_t b = static_cast<uint8_t>(data_[pos_ + i]);
      v |= kOrder == ByteOrder::kLittle ? b << (8 * i) : b << (8 * (n - 1 - i));
    }
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
  // A 64-bit count is checked before it is narrowed, so a hostile value cannot wrap.
  void Skip(uint64_t n) {
    if (!ok_ || n > left()) return Fail();
    pos_ += static_cast<size_t>(n);
  }
  // Moves to the next multiple of `alignment` from the start of the buffer, or to the end when
  // that is past it (padding at the end of a buffer may be cut).
  void Align(size_t alignment) {
    size_t rem = pos_ % alignment;
    if (rem == 0) return;
    size_t pad = alignment - rem;
    pos_ = pad <= left() ? pos_ + pad : data_.size();
  }
  void Seek(uint64_t pos) {
    if (!ok_ || pos > data_.size()) return Fail();
    pos_ = static_cast<size_t>(pos);
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
    for (size_t i = 0; i < sizeof(T); ++i) {
      size_t shift = kOrder == ByteOrder::kLittle ? i : sizeof(T) - 1 - i;
      v |= static_cast<T>(static_cast<T>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * shift));
    }
    pos_ += sizeof(T);
    return v;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

using ByteReader = BasicByteReader<ByteOrder::kLittle>;
using BigEndianReader = BasicByteReader<ByteOrder::kBig>;

}  // namespace tediag
