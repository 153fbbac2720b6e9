// The unified-log stage reads its files with the project's one bounds-checked byte reader
// (util/byte_reader.h: little-endian here, as tracev3, uuidtext and dsc files are), and names
// the UUIDs it finds with the functions below. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <string>

#include "util/byte_reader.h"

namespace tediag::unified_log {

using tediag::ByteReader;
using tediag::Uuid;

// "DCA6F382-13F5-4A21-BF2B-4F1BE8B136BD"
std::string UuidString(const Uuid& uuid);
// "DCA6F38213F54A21BF2B4F1BE8B136BD": the name of a uuidtext or dsc file
std::string UuidHex(const Uuid& uuid);
// "1f" (or "1F"): an integer in hexadecimal, no prefix
std::string HexString(uint64_t value, bool upper = false);

}  // namespace tediag::unified_log
