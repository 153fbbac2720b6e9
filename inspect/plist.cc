// XML and binary property-list readers (plist.h). Formats: Apple's plist DTD (XML) and the
// bplist00 layout (trailer, offset table, object markers), public facts.
#include "plist.h"

#include <cmath>
#include <cstring>

#include "fmt/core.h"

namespace tediag::inspect {
namespace {

constexpr int kMaxDepth = 64;
constexpr size_t kMaxValues = 1'000'000;

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// ---- XML -------------------------------------------------------------------------------------

class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : s_(text) {}

  absl::StatusOr<PlistValue> Document() {
    for (;;) {
      SkipSpace();
      if (Eat("<?")) {
        if (!SkipPast("?>")) return Error("unterminated <?");
      } else if (Eat("<!--")) {
        if (!SkipPast("-->")) return Error("unterminated comment");
      } else if (Eat("<!")) {
        if (!SkipPast(">")) return Error("unterminated <!");
      } else {
        break;
      }
    }
    auto tag = Tag();
    if (!tag.ok()) return tag.status();
    if (tag->name != "plist") return Value(*tag, 0);
    if (tag->empty) return Error("empty <plist/>");
    auto open = Tag();
    if (!open.ok()) return open.status();
    auto value = Value(*open, 0);
    if (!value.ok()) return value;
    auto close = Tag();
    if (!close.ok() || close->name != "/plist") return Error("expected </plist>");
    return value;
  }

 private:
  struct TagInfo {
    std::string_view name;
    bool empty = false;
  };

  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(fmt::format("XML plist, offset {}: {}", pos_, what));
  }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool Eat(std::string_view lit) {
    if (s_.substr(pos_).starts_with(lit)) {
      pos_ += lit.size();
      return true;
    }
    return false;
  }
  bool SkipPast(std::string_view lit) {
    size_t at = s_.find(lit, pos_);
    if (at == std::string_view::npos) return false;
    pos_ = at + lit.size();
    return true;
  }
  // The next tag (skipping whitespace and comments).
  absl::StatusOr<TagInfo> Tag() {
    for (;;) {
      SkipSpace();
      if (!Eat("<!--")) break;
      if (!SkipPast("-->")) return Error("unterminated comment");
    }
    if (!Eat("<")) return Error("expected a tag");
    size_t end = s_.find('>', pos_);
    if (end == std::string_view::npos) return Error("unterminated tag");
    std::string_view inside = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    TagInfo tag;
    tag.empty = inside.ends_with('/');
    if (tag.empty) inside.remove_suffix(1);
    tag.name = inside.substr(0, inside.find_first_of(" \t\r\n"));
    return tag;
  }
  // Character data up to "</name>", entities decoded.
  absl::StatusOr<std::string> Text(std::string_view name) {
    std::string close = fmt::format("</{}>", name);
    size_t end = s_.find(close, pos_);
    if (end == std::string_view::npos) return Error(fmt::format("no {}", close));
    std::string_view raw = s_.substr(pos_, end - pos_);
    pos_ = end + close.size();
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) return Error("bad entity");
      std::string_view ent = raw.substr(i + 1, semi - i - 1);
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
      bool known = false;
      for (auto [n, c] : kEntities) {
        if (ent == n) out += c, known = true;
      }
      if (!known && ent.size() > 1 && ent[0] == '#') {
        bool hex = ent[1] == 'x';
        uint32_t cp = 0;
        for (char c : ent.substr(hex ? 2 : 1)) {
          int d = hex ? (std::isxdigit(static_cast<unsigned char>(c))
                             ? (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10)
                             : -1)
                      : (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : -1);
          if (d < 0 || cp > 0x10ffff) return Error("bad character reference");
          cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
        }
        if (cp > 0x10ffff) return Error("bad character reference");
        AppendUtf8(cp, out);
        known = true;
      }
      if (!known) return Error("unknown entity");
      i = semi;
    }
    return out;
  }

  absl::StatusOr<PlistValue> Value(const TagInfo& tag, int depth) {
    if (depth > kMaxDepth) return Error("nested too deeply");
    if (++values_ > kMaxValues) return Error("too many values");
    PlistValue v;
    std::string_view n = tag.name;
    if (n == "dict" || n == "array") {
      v.kind = n == "dict" ? PlistValue::Kind::kDict : PlistValue::Kind::kArray;
      if (tag.empty) return v;
      std::string close = fmt::format("/{}", n);
      for (;;) {
        auto next = Tag();
        if (!next.ok()) return next.status();
        if (next->name == close) return v;
        std::string key;
        if (v.kind == PlistValue::Kind::kDict) {
          if (next->name != "key") return Error("expected <key> in a dict");
          if (!next->empty) {
            auto text = Text("key");
            if (!text.ok()) return text.status();
            key = std::move(*text);
          }
          next = Tag();
          if (!next.ok()) return next.status();
        }
        auto child = Value(*next, depth + 1);
        if (!child.ok()) return child;
        if (v.kind == PlistValue::Kind::kDict) {
          v.dict.push_back({std::move(key), std::move(*child)});
        } else {
          v.array.push_back(std::move(*child));
        }
      }
    }
    if (n == "true" || n == "false") {
      v.kind = PlistValue::Kind::kBool;
      v.boolean = n == "true";
      if (!tag.empty && !Eat(fmt::format("</{}>", n))) return Error("expected a closing tag");
      return v;
    }
    static constexpr std::pair<std::string_view, PlistValue::Kind> kScalars[] = {
        {"string", PlistValue::Kind::kString},
        {"integer", PlistValue::Kind::kInteger},
        {"real", PlistValue::Kind::kReal},
        {"date", PlistValue::Kind::kDate},
        {"data", PlistValue::Kind::kData}};
    for (auto [name, kind] : kScalars) {
      if (n != name) continue;
      v.kind = kind;
      if (tag.empty) return v;
      auto text = Text(name);
      if (!text.ok()) return text.status();
      v.text = std::move(*text);
      if (kind == PlistValue::Kind::kInteger) {
        errno = 0;
        v.integer = std::strtoll(v.text.c_str(), nullptr, 0);
      } else if (kind == PlistValue::Kind::kData) {
        auto decoded = Base64(v.text);
        if (!decoded) return Error("bad base64 in <data>");
        v.text = std::move(*decoded);
      }
      return v;
    }
    return Error(fmt::format("unexpected <{}>", n));
  }

  static std::optional<std::string> Base64(std::string_view in) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
      int d;
      if (c >= 'A' && c <= 'Z')
        d = c - 'A';
      else if (c >= 'a' && c <= 'z')
        d = c - 'a' + 26;
      else if (c >= '0' && c <= '9')
        d = c - '0' + 52;
      else if (c == '+')
        d = 62;
      else if (c == '/')
        d = 63;
      else if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
        continue;
      else
        return std::nullopt;
      acc = (acc << 6) | static_cast<uint32_t>(d);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += static_cast<char>((acc >> bits) & 0xff);
      }
    }
    return out;
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t values_ = 0;
};

// ---- binary ----------------------------------------------------------------------------------

class BinaryReader {
 public:
  explicit BinaryReader(Bytes data) : data_(data) {}

  absl::StatusOr<PlistValue> Document() {
    if (data_.size() < 8 + 32) return Error(0, "too short for a binary plist");
    BigEndianReader t(AsText(data_.last(32)));
    t.Skip(6);
    offset_size_ = t.U8();
    ref_size_ = t.U8();
    count_ = t.U64();
    uint64_t top = t.U64();
    table_ = t.U64();
    if (offset_size_ == 0 || offset_size_ > 8 || ref_size_ == 0 || ref_size_ > 8) return Error(0, "bad trailer sizes");
    if (count_ == 0 || count_ > data_.size() || top >= count_ || !SubSpan(data_, table_, count_ * offset_size_))
      return Error(0, "bad trailer (object count or offset table)");
    return Object(top, 0);
  }

 private:
  absl::Status Error(uint64_t at, std::string_view what) const {
    return absl::InvalidArgumentError(fmt::format("binary plist, offset {}: {}", at, what));
  }

  // The count of an object whose marker's low nibble is `nibble`, reading the extended form.
  std::optional<uint64_t> Count(BigEndianReader& r, uint8_t nibble) {
    if (nibble != 0xf) return nibble;
    uint8_t marker = r.U8();
    if (!r.ok() || (marker & 0xf0) != 0x10 || (marker & 0xf) > 3) return std::nullopt;
    uint64_t n = r.UInt(size_t{1} << (marker & 0xf));
    return r.ok() ? std::optional<uint64_t>(n) : std::nullopt;
  }

  absl::StatusOr<PlistValue> Object(uint64_t ref, int depth) {
    if (depth > kMaxDepth) return Error(0, "nested too deeply");
    if (++values_ > kMaxValues) return Error(0, "too many values");
    if (ref >= count_) return Error(0, fmt::format("object reference {} out of range", ref));
    BigEndianReader table(AsText(data_));
    table.Seek(table_ + ref * offset_size_);
    uint64_t at = table.UInt(offset_size_);
    BigEndianReader r(AsText(data_));
    if (!table.ok() || at >= table_) return Error(at, "object offset outside the object area");
    r.Seek(at);
    uint8_t marker = r.U8();
    uint8_t high = marker >> 4, low = marker & 0xf;
    PlistValue v;
    switch (high) {
      case 0x0:
        if (low == 8 || low == 9) {
          v.kind = PlistValue::Kind::kBool;
          v.boolean = low == 9;
        }
        return v;
      case 0x1: {
        if (low > 3) return Error(at, "bad integer size");
        uint64_t n = r.UInt(size_t{1} << low);
        if (!r.ok()) return Error(at, "truncated integer");
        v.kind = PlistValue::Kind::kInteger;
        v.integer = static_cast<int64_t>(n);
        return v;
      }
      case 0x2:
      case 0x3: {
        size_t width = high == 0x3 ? 8 : size_t{1} << low;
        uint64_t raw = (width == 4 || width == 8) ? r.UInt(width) : 0;
        if (!r.ok() || (width != 4 && width != 8)) return Error(at, "bad real or date");
        auto bits = &raw;
        double d;
        if (width == 4) {
          float f;
          uint32_t b32 = static_cast<uint32_t>(*bits);
          std::memcpy(&f, &b32, 4);
          d = f;
        } else {
          std::memcpy(&d, &*bits, 8);
        }
        v.kind = high == 0x3 ? PlistValue::Kind::kDate : PlistValue::Kind::kReal;
        v.text = std::isfinite(d) ? fmt::format("{}", d) : "nan";
        return v;
      }
      case 0x4:
      case 0x5:
      case 0x6: {
        auto n = Count(r, low);
        uint64_t bytes = n ? (high == 0x6 ? *n * 2 : *n) : 0;
        std::optional<Bytes> body;
        if (n && *n <= data_.size() && r.Has(bytes)) body = AsBytes(r.Bytes(bytes));
        if (!body) return Error(at, "string or data runs past the end");
        v.kind = high == 0x4 ? PlistValue::Kind::kData : PlistValue::Kind::kString;
        if (high != 0x6) {
          v.text.assign(AsText(*body));
        } else {
          for (size_t i = 0; i + 1 < body->size(); i += 2) {
            uint32_t unit = uint32_t{(*body)[i]} << 8 | (*body)[i + 1];
            if (unit >= 0xd800 && unit < 0xdc00 && i + 3 < body->size()) {
              uint32_t lo = uint32_t{(*body)[i + 2]} << 8 | (*body)[i + 3];
              if (lo >= 0xdc00 && lo < 0xe000) {
                unit = 0x10000 + ((unit - 0xd800) << 10) + (lo - 0xdc00);
                i += 2;
              }
            }
            AppendUtf8(unit, v.text);
          }
        }
        return v;
      }
      case 0x8: {
        uint64_t n = r.UInt(size_t{low} + 1);
        if (!r.ok()) return Error(at, "truncated uid");
        v.kind = PlistValue::Kind::kInteger;
        v.integer = static_cast<int64_t>(n);
        return v;
      }
      case 0xa:
      case 0xd: return Container(r, at, high == 0xd, low, depth);
      default: return Error(at, fmt::format("unknown object marker {:#x}", marker));
    }
  }

  absl::StatusOr<PlistValue> Container(BigEndianReader& r, uint64_t at, bool dict, uint8_t low, int depth) {
    auto n = Count(r, low);
    if (!n || *n > count_ || (dict ? 2 : 1) * *n * ref_size_ > r.left()) return Error(at, "bad container size");
    std::vector<uint64_t> refs;
    for (uint64_t i = 0; i < (dict ? 2 : 1) * *n; ++i) refs.push_back(r.UInt(ref_size_));
    PlistValue v;
    v.kind = dict ? PlistValue::Kind::kDict : PlistValue::Kind::kArray;
    for (uint64_t i = 0; i < *n; ++i) {
      auto value = Object(dict ? refs[*n + i] : refs[i], depth + 1);
      if (!value.ok()) return value;
      if (!dict) {
        v.array.push_back(std::move(*value));
        continue;
      }
      auto key = Object(refs[i], depth + 1);
      if (!key.ok()) return key;
      if (key->kind != PlistValue::Kind::kString) return Error(at, "a dict key is not a string");
      v.dict.push_back({std::move(key->text), std::move(*value)});
    }
    return v;
  }

  Bytes data_;
  uint8_t offset_size_ = 0, ref_size_ = 0;
  uint64_t count_ = 0, table_ = 0;
  size_t values_ = 0;
};

}  // namespace

const PlistValue* PlistValue::Find(std::string_view key) const {
  for (const auto& [k, v] : dict)
    if (k == key) return &v;
  return nullptr;
}

bool IsBinaryPlist(Bytes data) { return AsText(data).starts_with("bplist00"); }

absl::StatusOr<PlistValue> ParsePlist(Bytes data) {
  if (IsBinaryPlist(data)) return BinaryReader(data).Document();
  return XmlReader(AsText(data)).Document();
}

}  // namespace tediag::inspect
