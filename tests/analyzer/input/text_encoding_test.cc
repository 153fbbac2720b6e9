#include "input/text_encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace tediag {
namespace {

using namespace std::string_literals;

TEST(DecodeUtf16WithBom, DecodesBothByteOrders) {
  EXPECT_EQ(DecodeUtf16WithBom("\xFF\xFE"
                               "A\0S\0P\0:\0\n\0"s),
            "ASP:\n");
  EXPECT_EQ(DecodeUtf16WithBom("\xFE\xFF"
                               "\0A\0S\0P\0:\0\n"s),
            "ASP:\n");
}

TEST(DecodeUtf16WithBom, DecodesSurrogatePairsAndReplacesWhatIsBroken) {
  // U+1F34E (a pair), U+00E9, then a lone high surrogate followed by 'x', and an odd last byte.
  std::string le =
      "\xFF\xFE"
      "\x3C\xD8\x4E\xDF"
      "\xE9\0"
      "\x3C\xD8"
      "x\0"
      "y"s;
  EXPECT_EQ(DecodeUtf16WithBom(le), "\xF0\x9F\x8D\x8E\xC3\xA9\xEF\xBF\xBDx\xEF\xBF\xBD");
}

TEST(DecodeUtf16WithBom, LeavesEverythingElseAlone) {
  EXPECT_FALSE(DecodeUtf16WithBom("plain text").has_value());
  EXPECT_FALSE(DecodeUtf16WithBom("\xEF\xBB\xBFutf-8 with a BOM").has_value());
  EXPECT_FALSE(DecodeUtf16WithBom("").has_value());
}

TEST(BinaryKind, NamesCommonBinaryFormats) {
  EXPECT_EQ(BinaryKind("\xCF\xFA\xED\xFE\x0C\0\0\x01"s), "a Mach-O executable");
  EXPECT_EQ(BinaryKind("\xCA\xFE\xBA\xBE\0\0\0\x02"s), "a universal (fat) Mach-O executable");
  EXPECT_EQ(BinaryKind("\x89PNG\r\n\x1A\n\0\0\0\rIHDR"s), "a PNG image");
  EXPECT_EQ(BinaryKind("PK\x03\x04\x14\0"s), "a zip archive");
  EXPECT_EQ(BinaryKind("MM\0\x2A\0\0\0\x08"s), "a TIFF image");
  EXPECT_EQ(BinaryKind(std::string(100, '\x01') + std::string(100, '\0')), "unrecognised binary content");
}

// The unified log's files are binary however much of them is text: a uuidtext file is mostly
// format strings (these are AMFI's, from the macOS 12.6.3 archive in shared/data/unified-logging),
// and read as text they looked like evidence of every AMFI failure for an app named "%s".
TEST(BinaryKind, UnifiedLogFilesAreBinaryByTheirMagic) {
  std::string uuidtext = "\x99\x88\x77\x66\x02\0\0\0\x01\0\0\0"s;
  for (int i = 0; i < 200; ++i) uuidtext += "AMFI: '%s' has no CMS blob?\0Library Validation failed: Rejecting '%s'\0"s;
  EXPECT_TRUE(BinaryKind(uuidtext).starts_with("a unified log uuidtext file")) << BinaryKind(uuidtext);
  EXPECT_TRUE(BinaryKind("hcsd\x01\0\0\0\x01\0\0\0%s: vm_allocate failed"s).starts_with("a unified log shared-cache"));
  EXPECT_TRUE(BinaryKind("\x00\x10\x00\x00\x11\x00\x00\x00\xD0\0\0\0"s).starts_with("a unified log tracev3 file"));
  EXPECT_TRUE(BinaryKind("\xB0\xBB\x30\x00\0\0\0\0"s).starts_with("a unified log timesync file"));
  EXPECT_TRUE(BinaryKind("hcsd\x02\0\0\0\x01\0\0\0"s).starts_with("a unified log shared-cache"));
  EXPECT_EQ(BinaryKind("hcsd: a text line that starts with the same four letters"s), "");
}

TEST(BinaryKind, TextWithAStrayNulIsText) {
  std::string log(4000, 'a');
  log[100] = '\0';
  log[2000] = '\x07';
  EXPECT_EQ(BinaryKind(log), "");
  EXPECT_EQ(BinaryKind("\xFF\xFE"
                       "A\0S\0P\0"s),
            "")
      << "UTF-16 is text";
  EXPECT_EQ(BinaryKind("MMX is a word"), "") << "only the full magic counts";
  EXPECT_EQ(BinaryKind(""), "");
}

}  // namespace
}  // namespace tediag
