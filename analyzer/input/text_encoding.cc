#include "input/text_encoding.h"

#include <array>
#include <cstdint>

namespace tediag {
namespace {

using namespace std::string_view_literals;

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

struct Magic {
  std::string_view bytes;
  std::string_view kind;
};

// Formats support staff are sent by mistake: apps, screenshots, archives, disk images' payloads;
// and the unified log's own files (a .logarchive or a sysdiagnose's system_logs.logarchive), whose
// uuidtext and shared-cache files are mostly format strings and would otherwise pass for text.
constexpr std::array<Magic, 22> kMagics = {{
    {"\x99\x88\x77\x66"sv,
     "a unified log uuidtext file (convert the .logarchive on a Mac: log show --archive X.logarchive --style ndjson)"},
    {"hcsd\x01\x00"sv,
     "a unified log shared-cache strings file (convert the .logarchive on a Mac: log show --archive X.logarchive "
     "--style ndjson)"},
    {"hcsd\x02\x00"sv,
     "a unified log shared-cache strings file (convert the .logarchive on a Mac: log show --archive X.logarchive "
     "--style ndjson)"},
    {"\x00\x10\x00\x00\x11\x00\x00\x00"sv,
     "a unified log tracev3 file (convert the .logarchive on a Mac: log show --archive X.logarchive --style ndjson)"},
    {"\xB0\xBB\x30\x00"sv, "a unified log timesync file (part of a .logarchive)"},
    {"\xFE\xED\xFA\xCE"sv, "a Mach-O executable"},
    {"\xFE\xED\xFA\xCF"sv, "a Mach-O executable"},
    {"\xCE\xFA\xED\xFE"sv, "a Mach-O executable"},
    {"\xCF\xFA\xED\xFE"sv, "a Mach-O executable"},
    {"\xCA\xFE\xBA\xBE"sv, "a universal (fat) Mach-O executable"},
    {"\x7F"
     "ELF"sv,
     "an ELF executable"},
    {"\x89PNG\r\n\x1A\n"sv, "a PNG image"},
    {"\xFF\xD8\xFF"sv, "a JPEG image"},
    {"GIF8"sv, "a GIF image"},
    {"MM\x00\x2A"sv, "a TIFF image"},
    {"II\x2A\x00"sv, "a TIFF image"},
    {"PK\x03\x04"sv, "a zip archive"},
    {"\x1F\x8B"sv, "a gzip archive"},
    {"\xFD"
     "7zXZ"sv,
     "an xz archive"},
    {"bplist0"sv, "a binary property list"},
    {"%PDF-"sv, "a PDF document"},
    {"SQLite format 3\0"sv, "an SQLite database"},
}};

}  // namespace

std::optional<std::string> DecodeUtf16WithBom(std::string_view data) {
  bool little;
  if (data.starts_with("\xFF\xFE")) {
    little = true;
  } else if (data.starts_with("\xFE\xFF")) {
    little = false;
  } else {
    return std::nullopt;
  }
  auto unit = [&](size_t i) -> uint32_t {
    auto lo = static_cast<unsigned char>(data[little ? i : i + 1]);
    auto hi = static_cast<unsigned char>(data[little ? i + 1 : i]);
    return static_cast<uint32_t>(hi) << 8 | lo;
  };
  std::string out;
  out.reserve(data.size() / 2 + data.size() / 8);
  size_t i = 2;
  for (; i + 1 < data.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < data.size()) {
      uint32_t next = unit(i + 2);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        AppendUtf8(out, 0x10000 + ((u - 0xD800) << 10) + (next - 0xDC00));
        i += 2;
        continue;
      }
    }
    AppendUtf8(out, u >= 0xD800 && u <= 0xDFFF ? kReplacement : u);
  }
  if (i < data.size()) AppendUtf8(out, kReplacement);  // an odd byte at the end
  return out;
}

std::string_view BinaryKind(std::string_view head) {
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) return {};  // UTF-16 text
  for (const Magic& magic : kMagics) {
    if (head.starts_with(magic.bytes)) return magic.kind;
  }
  // Text may carry a stray NUL or control byte in a message; binary content is full of them.
  if (head.find('\0') == std::string_view::npos) return {};
  size_t control = 0;
  for (char c : head) {
    auto b = static_cast<unsigned char>(c);
    bool text_control = b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v' || b == 0x1B;
    if (b < 0x20 && !text_control) ++control;
  }
  return control * 16 > head.size() ? "unrecognised binary content" : std::string_view();
}

}  // namespace tediag
