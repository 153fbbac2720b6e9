// Byte spans for the inspect stage's parsers (a Mach-O file, a signature blob, a plist), which
// read them with the project's one bounds-checked reader (util/byte_reader.h: ByteReader for
// little-endian Mach-O headers, BigEndianReader for fat headers, code signatures and binary
// plists) over AsText(bytes). The helpers here check every offset before they add it, so a
// hostile 32- or 64-bit value cannot wrap. Header-only, allocation-free, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "util/byte_reader.h"

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

// A NUL-terminated string starting at `offset` of `bytes`, at most up to the span's end; nullopt
// when `offset` is outside. (A missing terminator gives the bytes up to the end.)
inline std::optional<std::string_view> CString(Bytes bytes, uint64_t offset) {
  if (offset >= bytes.size()) return std::nullopt;
  std::string_view rest = AsText(bytes.subspan(static_cast<size_t>(offset)));
  return rest.substr(0, rest.find('\0'));
}

}  // namespace tediag::inspect
