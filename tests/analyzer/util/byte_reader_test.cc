// The one bounds-checked byte reader (util/byte_reader.h), in both byte orders.
#include "util/byte_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace tediag {
namespace {

// The first bytes of a universal Mach-O file (fsevents.node: fat magic, 2 slices, then x86_64's
// cputype 0x01000007), read both ways.
const std::string kFat("\xca\xfe\xba\xbe\x00\x00\x00\x02\x01\x00\x00\x07", 12);

TEST(ByteReader, BothByteOrders) {
  BigEndianReader be(kFat);
  EXPECT_EQ(be.U32(), 0xcafebabeu);
  EXPECT_EQ(be.U32(), 2u);
  EXPECT_EQ(be.U16(), 0x0100u);
  EXPECT_TRUE(be.ok());
  ByteReader le(kFat);
  EXPECT_EQ(le.U32(), 0xbebafecau);
  EXPECT_EQ(le.UInt(3), 0u);
  EXPECT_EQ(le.UInt(3), 0x000102u);  // bytes 02 01 00
  BigEndianReader three(kFat);
  EXPECT_EQ(three.UInt(3), 0xcafebau);
  EXPECT_EQ(three.U64(), 0xbe00000002010000u);
}

TEST(ByteReader, AReadPastTheEndFailsAndMovesNothing) {
  BigEndianReader r(kFat);
  r.Skip(10);
  EXPECT_EQ(r.U32(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.pos(), 10u);
  EXPECT_EQ(r.U8(), 0u);  // stays failed
  ByteReader s(kFat);
  s.Skip(uint64_t{1} << 63);  // a hostile 64-bit count cannot wrap
  EXPECT_FALSE(s.ok());
  ByteReader t(kFat);
  t.Seek(13);
  EXPECT_FALSE(t.ok());
  EXPECT_EQ(ByteReader::Sub(kFat, 8, UINT64_MAX).size(), 0u);
  bool ok = true;
  EXPECT_EQ(ByteReader::Sub(kFat, UINT64_MAX, 1, &ok), "");
  EXPECT_FALSE(ok);
  EXPECT_EQ(ByteReader::Sub(kFat, 8, 4, &ok), std::string("\x01\x00\x00\x07", 4));
  EXPECT_TRUE(ok);
  EXPECT_EQ(ByteReader::CString(std::string("ab\0cd", 5), 0), "ab");
  EXPECT_EQ(ByteReader::CString("abc", 3), "");
}

}  // namespace
}  // namespace tediag
