#include "unified_log/strings.h"

#include <algorithm>

#include "util/text_util.h"

namespace tediag::unified_log {
namespace {

constexpr uint32_t kUuidTextMagic = 0x66778899;

// The string at `offset` of a range's bytes, cut at its NUL or at the range's end.
std::string_view StringIn(std::string_view range, uint64_t offset) {
  return offset < range.size() ? ByteReader::CString(range, offset) : std::string_view();
}

}  // namespace

absl::StatusOr<UuidText> UuidText::Parse(std::string bytes) {
  UuidText text;
  text.bytes_ = std::make_shared<const std::string>(std::move(bytes));
  std::string_view data = *text.bytes_;
  ByteReader r(data);
  uint32_t magic = r.U32();
  r.Skip(8);  // version 2.1
  uint32_t count = r.U32();
  if (!r.ok() || magic != kUuidTextMagic) return absl::InvalidArgumentError("not a uuidtext file");
  if (count > r.left() / 8)
    return absl::InvalidArgumentError(StrCat("uuidtext claims ", count, " ranges: more than fit"));
  size_t at = 16 + size_t{count} * 8;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t start = r.U32();
    uint32_t size = r.U32();
    // A file cut short keeps the strings it holds; its image path, which comes last, is lost.
    size = static_cast<uint32_t>(std::min<size_t>(size, data.size() - at));
    text.ranges_.push_back({start, size, at});
    at += size;
  }
  text.image_path_ = ByteReader::CString(data, at);
  return text;
}

std::optional<std::string_view> UuidText::Find(uint64_t ref) const {
  std::string_view data = *bytes_;
  for (const Range& range : ranges_) {
    if (ref < range.start || ref - range.start >= range.size) continue;
    return StringIn(data.substr(range.data, range.size), ref - range.start);
  }
  return std::nullopt;
}

absl::StatusOr<SharedCacheStrings> SharedCacheStrings::Parse(std::string bytes) {
  SharedCacheStrings dsc;
  dsc.bytes_ = std::make_shared<const std::string>(std::move(bytes));
  std::string_view data = *dsc.bytes_;
  ByteReader r(data);
  std::string_view magic = r.Bytes(4);
  dsc.version_ = r.U16();
  r.Skip(2);
  uint32_t range_count = r.U32();
  uint32_t uuid_count = r.U32();
  if (!r.ok() || magic != "hcsd") return absl::InvalidArgumentError("not a shared-cache strings (dsc) file");
  if (dsc.version_ != 1 && dsc.version_ != 2) {
    return absl::UnimplementedError(StrCat("shared-cache strings version ", dsc.version_, " is not read"));
  }
  const bool v2 = dsc.version_ == 2;
  const size_t range_size = v2 ? 24 : 16, uuid_size = v2 ? 32 : 28;
  if (range_count > r.left() / range_size || uuid_count > (r.left() - range_count * range_size) / uuid_size) {
    return absl::InvalidArgumentError("shared-cache strings counts claim more than the file holds");
  }
  dsc.ranges_.reserve(range_count);
  for (uint32_t i = 0; i < range_count; ++i) {
    Range range{};
    uint64_t image = 0;
    if (v2) {
      range.offset = r.U64();
      range.data = r.U32();
      range.size = r.U32();
      image = r.U64();
    } else {
      image = r.U32();
      range.offset = r.U32();
      range.data = r.U32();
      range.size = r.U32();
    }
    if (image >= uuid_count || range.data > data.size()) {
      return absl::InvalidArgumentError(StrCat("shared-cache strings range ", i, " points past the file"));
    }
    // A copy cut short keeps the strings it holds: the range ends where the file does.
    range.size = static_cast<uint32_t>(std::min<uint64_t>(range.size, data.size() - range.data));
    range.image = static_cast<uint32_t>(image);
    dsc.ranges_.push_back(range);
  }
  dsc.images_.reserve(uuid_count);
  for (uint32_t i = 0; i < uuid_count; ++i) {
    Image image{};
    image.text_offset = v2 ? r.U64() : r.U32();
    image.text_size = r.U32();
    image.uuid = r.ReadUuid();
    image.path = ByteReader::CString(data, r.U32());
    dsc.images_.push_back(image);
  }
  if (!r.ok()) return absl::InvalidArgumentError("shared-cache strings descriptors are cut short");
  std::sort(dsc.ranges_.begin(), dsc.ranges_.end(), [](const Range& a, const Range& b) { return a.offset < b.offset; });
  return dsc;
}

std::optional<SharedCacheStrings::Found> SharedCacheStrings::Find(uint64_t ref) const {
  // The last range starting at or before ref.
  auto it =
      std::upper_bound(ranges_.begin(), ranges_.end(), ref, [](uint64_t v, const Range& r) { return v < r.offset; });
  if (it == ranges_.begin()) return std::nullopt;
  const Range& range = *--it;
  if (ref - range.offset >= range.size) return std::nullopt;
  std::string_view data = *bytes_;
  const Image& image = images_[range.image];
  return Found{StringIn(data.substr(range.data, range.size), ref - range.offset), image.path, image.uuid};
}

const SharedCacheStrings::Image* SharedCacheStrings::FindImage(uint64_t pc) const {
  for (const Image& image : images_)
    if (pc >= image.text_offset && pc - image.text_offset < image.text_size) return &image;
  return nullptr;
}

}  // namespace tediag::unified_log
