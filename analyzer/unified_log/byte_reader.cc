#include "unified_log/byte_reader.h"

namespace tediag::unified_log {
namespace {

constexpr char kDigits[] = "0123456789ABCDEF";

void AppendByte(std::string& out, uint8_t b) {
  out.push_back(kDigits[b >> 4]);
  out.push_back(kDigits[b & 0xF]);
}

}  // namespace

std::string UuidString(const Uuid& uuid) {
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    AppendByte(out, uuid[i]);
  }
  return out;
}

std::string UuidHex(const Uuid& uuid) {
  std::string out;
  out.reserve(32);
  for (uint8_t b : uuid) AppendByte(out, b);
  return out;
}

std::string HexString(uint64_t value, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char buffer[16];
  size_t n = 0;
  do {
    buffer[n++] = digits[value & 0xF];
    value >>= 4;
  } while (value != 0);
  std::string out;
  while (n > 0) out.push_back(buffer[--n]);
  return out;
}

}  // namespace tediag::unified_log
