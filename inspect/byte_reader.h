// A bounds-checked cursor over bytes that are not trusted (a Mach-O file, a signature blob, a
// plist). Every read says whether it fit; nothing ever reads outside the span it was given, and
// offsets are checked before they are added, so a hostile 32- or 64-bit value cannot wrap.
// Header-only and allocation-free; a ByteReader is a value (copy it to look ahead) and is not
// shared between threads, though any number may read the same bytes at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tediag::inspect {

using Bytes = std::span<const uint8_t>;

inline Bytes AsBytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }
inline std::string_view AsText(Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// The part of `whole` at [offset, offset + size), or nullopt when it does not lie inside.
inline std::optional<Bytes> SubSpan(Bytes whole, uint64_t offset, uint64_t size) {
  if (offset > whole.size() || size > whole.size() - offset) return std::nullopt;
  return whole.subspan(static_cast<size_t>(offset), static_cast<size_t>(size));
}

inline uint32_t LoadBe32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

class ByteReader {
 public:
  explicit ByteReader(Bytes bytes, bool big_endian = false) : bytes_(bytes), big_endian_(big_endian) {}

  size_t offset() const { return offset_; }
  size_t remaining() const { return bytes_.size() - offset_; }
  Bytes bytes() const { return bytes_; }

  bool Seek(uint64_t offset) {
    if (offset > bytes_.size()) return false;
    offset_ = static_cast<size_t>(offset);
    return true;
  }
  bool Skip(uint64_t n) {
    if (n > remaining()) return false;
    offset_ += static_cast<size_t>(n);
    return true;
  }
  std::optional<uint8_t> U8() {
    if (remaining() < 1) return std::nullopt;
    return bytes_[offset_++];
  }
  std::optional<uint16_t> U16() { return Int<uint16_t>(); }
  std::optional<uint32_t> U32() { return Int<uint32_t>(); }
  std::optional<uint64_t> U64() { return Int<uint64_t>(); }
  // An unsigned integer of `width` bytes (1..8), in the reader's byte order.
  std::optional<uint64_t> UIntN(size_t width) {
    if (width == 0 || width > 8 || remaining() < width) return std::nullopt;
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) {
      uint64_t b = bytes_[offset_ + i];
      v |= big_endian_ ? b << (8 * (width - 1 - i)) : b << (8 * i);
    }
    offset_ += width;
    return v;
  }
  std::optional<Bytes> Take(uint64_t n) {
    if (n > remaining()) return std::nullopt;
    Bytes out = bytes_.subspan(offset_, static_cast<size_t>(n));
    offset_ += static_cast<size_t>(n);
    return out;
  }

 private:
  template <typename T>
  std::optional<T> Int() {
    auto v = UIntN(sizeof(T));
    if (!v) return std::nullopt;
    return static_cast<T>(*v);
  }

  Bytes bytes_;
  size_t offset_ = 0;
  bool big_endian_;
};

// A NUL-terminated string starting at `offset` of `bytes`, at most up to the span's end; nullopt
// when `offset` is outside. (A missing terminator gives the bytes up to the end.)
inline std::optional<std::string_view> CString(Bytes bytes, uint64_t offset) {
  if (offset >= bytes.size()) return std::nullopt;
  std::string_view rest = AsText(bytes.subspan(static_cast<size_t>(offset)));
  return rest.substr(0, rest.find('\0'));
}

}  // namespace tediag::inspect
