// Requirements blob to text (requirements.h).
#include "requirements.h"

#include <cctype>

#include "fmt/core.h"

namespace tediag::inspect {
namespace {

constexpr uint32_t kRequirementSetMagic = 0xfade0c01;
constexpr uint32_t kRequirementMagic = 0xfade0c00;
constexpr uint32_t kExpressionKind = 1;
constexpr int kMaxDepth = 64;
constexpr size_t kMaxText = 64 * 1024;
constexpr uint32_t kMaxRequirements = 16;

enum Op : uint32_t {
  kFalse = 0,
  kTrue,
  kIdent,
  kAppleAnchor,
  kAnchorHash,
  kInfoKeyValue,
  kAnd,
  kOr,
  kCdHash,
  kNot,
  kInfoKeyField,
  kCertField,
  kTrustedCert,
  kTrustedCerts,
  kCertGeneric,
  kAppleGenericAnchor,
  kEntitlementField,
  kCertPolicy,
  kNamedAnchor,
  kNamedCode,
  kPlatform,
  kNotarized,
  kCertFieldDate,
  kLegacyDevId,
};
constexpr uint32_t kOpFlagMask = 0xff000000;

// Match operations: the text that goes between the field and its value. `value`: whether a
// value follows; `date`: the value is a timestamp, not data.
struct MatchOp {
  std::string_view text;
  bool value;
  bool date;
};
constexpr MatchOp kMatchOps[] = {
    {" /* exists */", false, false},
    {" = ", true, false},
    {" ~ ", true, false},
    {" = ", true, false},
    {" = ", true, false},
    {" < ", true, false},
    {" > ", true, false},
    {" <= ", true, false},
    {" >= ", true, false},
    {" = ", true, true},
    {" < ", true, true},
    {" > ", true, true},
    {" <= ", true, true},
    {" >= ", true, true},
    {" /* absent */", false, false},
};
constexpr uint32_t kMatchBeginsWith = 3, kMatchEndsWith = 4;

struct TypeName {
  uint32_t type;
  std::string_view name;
};
constexpr TypeName kTypeNames[] = {{1, "host"}, {2, "guest"}, {3, "designated"}, {4, "library"}, {5, "plugin"}};

// A string printed bare when it is a plain word (letters, digits, '_', not starting with a
// digit), else quoted with '"' and '\' escaped.
std::string Quoted(std::string_view s) {
  bool bare = !s.empty() && !std::isdigit(static_cast<unsigned char>(s.front()));
  for (char c : s) bare &= std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  if (bare) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

bool Printable(Bytes b) {
  for (uint8_t c : b)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

std::string HexData(Bytes b) {
  std::string out = "H\"";
  for (uint8_t c : b) out += fmt::format("{:02x}", c);
  return out + '"';
}

// The dotted text of an OID's DER content bytes ("1.2.840.113635.100.6.2.6").
std::string OidText(Bytes der) {
  std::string out;
  uint64_t value = 0;
  bool first = true;
  for (size_t i = 0; i < der.size(); ++i) {
    if (value > (uint64_t{1} << 56)) return HexData(der);  // absurdly long arc
    value = value << 7 | (der[i] & 0x7f);
    if (der[i] & 0x80) continue;
    if (first) {
      uint64_t top = value < 80 ? value / 40 : 2;
      out = fmt::format("{}.{}", top, value - top * 40);
      first = false;
    } else {
      out += fmt::format(".{}", value);
    }
    value = 0;
  }
  return out.empty() ? HexData(der) : out;
}

std::string SlotText(int32_t slot) {
  if (slot == -1) return "root";
  if (slot == 0) return "leaf";
  return fmt::format("{}", slot);
}

class Decoder {
 public:
  explicit Decoder(Bytes bytes) : r_(AsText(bytes)) {}

  absl::StatusOr<std::string> Whole() {
    std::string out;
    if (!Expr(out, 0, 0)) return absl::InvalidArgumentError(error_);
    return out;
  }

 private:
  bool Fail(std::string why) {
    if (error_.empty()) error_ = fmt::format("{} at byte {}", why, r_.pos());
    return false;
  }
  // Reads through the reader, nullopt once it has failed.
  std::optional<uint32_t> U32() {
    uint32_t v = r_.U32();
    return r_.ok() ? std::optional<uint32_t>(v) : std::nullopt;
  }
  std::optional<Bytes> Data() {
    uint32_t length = r_.U32();
    std::string_view data = r_.Bytes(length);
    r_.Skip((4 - length % 4) % 4);
    if (!r_.ok()) return std::nullopt;
    return AsBytes(data);
  }
  bool String(std::string& out) {
    auto d = Data();
    if (!d) return Fail("truncated string");
    out += Printable(*d) ? Quoted(AsText(*d)) : HexData(*d);
    return true;
  }
  bool Slot(std::string& out) {
    auto slot = U32();
    if (!slot) return Fail("truncated certificate slot");
    out += SlotText(static_cast<int32_t>(*slot));
    return true;
  }
  // A field name in brackets, then its match: "[subject.OU] = X".
  bool Field(std::string& out, std::string_view prefix, bool oid) {
    auto key = Data();
    if (!key) return Fail("truncated field name");
    out += fmt::format("[{}{}]", prefix, oid ? OidText(*key) : std::string(AsText(*key)));
    return Match(out);
  }
  bool Match(std::string& out) {
    auto op = U32();
    if (!op || *op >= std::size(kMatchOps))
      return Fail(op ? fmt::format("unknown match operation {}", *op) : "truncated match");
    const MatchOp& m = kMatchOps[*op];
    out += m.text;
    if (!m.value) return true;
    if (m.date) {
      uint64_t t = r_.U64();
      if (!r_.ok()) return Fail("truncated timestamp");
      out += fmt::format("timestamp \"{}\"", t);
      return true;
    }
    auto d = Data();
    if (!d) return Fail("truncated match value");
    std::string value = Printable(*d) ? Quoted(AsText(*d)) : HexData(*d);
    if (*op == kMatchBeginsWith || *op == kMatchEndsWith) {
      // The wildcard is written inside the quotes: "prefix*", "*suffix".
      bool quoted = value.size() >= 2 && value.front() == '"';
      std::string inner = quoted ? value.substr(1, value.size() - 2) : value;
      value = "\"" + (*op == kMatchBeginsWith ? inner + "*" : "*" + inner) + "\"";
    }
    out += value;
    return true;
  }

  // The certificate operations: "certificate leaf[subject.OU] = X", "anchor H\"…\"", "… trusted".
  bool Certificate(uint32_t op, std::string& out) {
    if (op == kCertField || op == kCertFieldDate) return (out += "certificate ", Slot(out)) && Field(out, "", false);
    if (op == kCertGeneric) return (out += "certificate ", Slot(out)) && Field(out, "field.", true);
    if (op == kCertPolicy) return (out += "certificate ", Slot(out)) && Field(out, "policy.", true);
    auto slot = U32();
    if (!slot) return Fail("truncated certificate slot");
    int32_t n = static_cast<int32_t>(*slot);
    out += n == -1 ? "anchor" : "certificate " + SlotText(n);
    if (op == kTrustedCert) return out += " trusted", true;
    auto hash = Data();  // kAnchorHash
    if (!hash) return Fail("truncated certificate hash");
    out += " " + HexData(*hash);
    return true;
  }

  // The operations with one argument or none.
  bool Leaf(uint32_t op, std::string& out) {
    static constexpr std::pair<uint32_t, std::string_view> kWords[] = {{kFalse, "never"},
                                                                       {kTrue, "always"},
                                                                       {kAppleAnchor, "anchor apple"},
                                                                       {kTrustedCerts, "anchor trusted"},
                                                                       {kAppleGenericAnchor, "anchor apple generic"},
                                                                       {kNotarized, "notarized"},
                                                                       {kLegacyDevId, "legacy"}};
    for (auto [code, word] : kWords)
      if (code == op) return out += word, true;
    switch (op) {
      case kIdent: return out += "identifier ", String(out);
      case kNamedAnchor: return out += "anchor apple ", String(out);
      case kNamedCode: return (out += "(", String(out)) && (out += ")", true);
      case kInfoKeyField: return out += "info", Field(out, "", false);
      case kEntitlementField: return out += "entitlement", Field(out, "", false);
      case kInfoKeyValue: {
        auto key = Data();
        if (!key) return Fail("truncated info key");
        out += "info[" + std::string(AsText(*key)) + "] = ";
        return String(out);
      }
      case kCdHash: {
        auto hash = Data();
        if (!hash) return Fail("truncated cdhash");
        out += "cdhash " + HexData(*hash);
        return true;
      }
      case kPlatform: {
        auto platform = U32();
        if (!platform) return Fail("truncated platform");
        out += fmt::format("platform = {}", *platform);
        return true;
      }
      case kAnchorHash:
      case kTrustedCert:
      case kCertField:
      case kCertFieldDate:
      case kCertGeneric:
      case kCertPolicy: return Certificate(op, out);
      default: return Fail(fmt::format("unknown opcode {:#x}", op));
    }
  }

  // One expression; `level` is the binding of the context (0 top, 1 inside or, 2 inside and,
  // 3 inside not), so parentheses are written only where needed.
  bool Expr(std::string& out, int level, int depth) {
    if (depth > kMaxDepth) return Fail("expression nested too deeply");
    if (out.size() > kMaxText) return Fail("expression too long");
    auto raw = U32();
    if (!raw) return Fail("truncated expression");
    uint32_t op = *raw & ~kOpFlagMask;
    if (op == kNot) return out += "! ", Expr(out, 3, depth + 1);
    if (op != kAnd && op != kOr) return Leaf(op, out);
    int own = op == kAnd ? 2 : 1;
    bool parens = level > own;
    if (parens) out += "(";
    if (!Expr(out, own, depth + 1)) return false;
    out += op == kAnd ? " and " : " or ";
    if (!Expr(out, own, depth + 1)) return false;
    if (parens) out += ")";
    return true;
  }

  BigEndianReader r_;
  std::string error_;
};

}  // namespace

absl::StatusOr<std::string> DecodeRequirementExpression(Bytes expression) { return Decoder(expression).Whole(); }

absl::StatusOr<std::vector<RequirementText>> DecodeRequirements(Bytes blob) {
  BigEndianReader r(AsText(blob));
  uint32_t magic = r.U32(), length = r.U32(), count = r.U32();
  if (!r.ok() || magic != kRequirementSetMagic)
    return absl::InvalidArgumentError("not a requirements blob (magic 0xfade0c01)");
  if (count > kMaxRequirements) return absl::InvalidArgumentError(fmt::format("{} requirements claimed", count));
  Bytes set = SubSpan(blob, 0, std::min<uint64_t>(length, blob.size())).value_or(blob);
  std::vector<RequirementText> out;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t type = r.U32(), offset = r.U32();
    if (!r.ok()) return absl::InvalidArgumentError("the requirements index is truncated");
    RequirementText req{fmt::format("type {}", type), "", ""};
    for (const TypeName& t : kTypeNames)
      if (t.type == type) req.type = t.name;
    BigEndianReader inner(AsText(set));
    inner.Seek(offset);
    uint32_t m = inner.U32(), size = inner.U32(), kind = inner.U32();
    auto body = inner.ok() && size >= 12 ? SubSpan(set, uint64_t{offset} + 12, size - 12) : std::nullopt;
    if (!body || m != kRequirementMagic) {
      req.error =
          fmt::format("requirement {} at offset {:#x} lies outside the blob or is not a requirement", i, offset);
    } else if (kind != kExpressionKind) {
      req.error = fmt::format("requirement kind {} is not an expression", kind);
    } else if (auto text = DecodeRequirementExpression(*body); text.ok()) {
      req.text = *text;
    } else {
      req.error = std::string(text.status().message());
    }
    out.push_back(std::move(req));
  }
  return out;
}

}  // namespace tediag::inspect
