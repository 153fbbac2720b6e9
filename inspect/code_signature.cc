// SuperBlob and CodeDirectory parsing, page and special-slot hashing (code_signature.h).
#include "code_signature.h"

#include <openssl/evp.h>

#include <algorithm>

#include "fmt/core.h"

namespace tediag::inspect {
namespace {

constexpr uint32_t kSuperBlobMagic = 0xfade0cc0;
constexpr uint32_t kCodeDirectoryMagic = 0xfade0c02;
constexpr uint32_t kRequirementsMagic = 0xfade0c01;
constexpr uint32_t kEntitlementsMagic = 0xfade7171;
constexpr uint32_t kEntitlementsDerMagic = 0xfade7172;
constexpr uint32_t kCmsMagic = 0xfade0b01;
constexpr uint32_t kMaxBlobs = 64;

constexpr uint32_t kSupportsScatter = 0x20100, kSupportsTeamId = 0x20200, kSupportsCodeLimit64 = 0x20300,
                   kSupportsExecSeg = 0x20400, kSupportsRuntime = 0x20500;

struct HashType {
  uint8_t type;
  std::string_view name;
  const EVP_MD* (*md)();
  size_t size;
};
constexpr HashType kHashTypes[] = {
    {1, "sha1", EVP_sha1, 20},
    {2, "sha256", EVP_sha256, 32},
    {3, "sha256-truncated", EVP_sha256, 20},
    {4, "sha384", EVP_sha384, 48},
};
const HashType* FindHashType(uint8_t type) {
  for (const HashType& h : kHashTypes)
    if (h.type == type) return &h;
  return nullptr;
}

struct FlagName {
  uint32_t bit;
  std::string_view name;
};
constexpr FlagName kFlagNames[] = {
    {0x1, "valid"},
    {kCsAdhoc, "adhoc"},
    {0x4, "get-task-allow"},
    {0x8, "installer"},
    {0x10, "forced-lv"},
    {0x20, "invalid-allowed"},
    {kCsHard, "hard"},
    {kCsKill, "kill"},
    {0x400, "check-expiration"},
    {kCsRestrict, "restrict"},
    {0x1000, "enforcement"},
    {kCsRequireLv, "library-validation"},
    {kCsRuntime, "runtime"},
    {kCsLinkerSigned, "linker-signed"},
};

// A blob at `offset` of the SuperBlob: its magic and the bytes its length field claims.
std::optional<Bytes> BlobAt(Bytes super, uint32_t offset, uint32_t* magic) {
  BigEndianReader r(AsText(super));
  r.Seek(offset);
  uint32_t m = r.U32(), length = r.U32();
  if (!r.ok() || length < 8) return std::nullopt;
  *magic = m;
  return SubSpan(super, offset, length);
}

void AddBlob(Bytes blob, uint32_t type, uint32_t magic, CodeSignature& sig) {
  if (magic == kCodeDirectoryMagic && (type == 0 || (type >= 0x1000 && type < 0x1005))) {
    auto cd = ParseCodeDirectory(blob, type);
    if (cd.ok()) {
      sig.directories.push_back(*cd);
    } else {
      sig.problems.push_back(fmt::format("CodeDirectory in slot {:#x}: {}", type, std::string(cd.status().message())));
    }
  } else if (type == 2 && magic == kRequirementsMagic) {
    sig.requirements = blob;
  } else if (type == 5 && magic == kEntitlementsMagic) {
    sig.entitlements = blob;
  } else if (type == 7 && magic == kEntitlementsDerMagic) {
    sig.entitlements_der = blob;
  } else if (type == 0x10000 && magic == kCmsMagic) {
    sig.cms = blob.subspan(8);
  } else if (type <= 0x10000) {
    bool known = type == 0 || type == 2 || type == 5 || type == 7 || type == 0x10000;
    if (known) sig.problems.push_back(fmt::format("slot {:#x} holds a blob of magic {:#x}", type, magic));
  }
}

}  // namespace

std::optional<Bytes> CodeDirectory::SpecialHash(SpecialSlot which) const {
  uint64_t n = static_cast<uint32_t>(which);
  if (n > special_slots || hash_size == 0) return std::nullopt;
  uint64_t at = uint64_t{hash_offset} - n * hash_size;
  if (n * hash_size > hash_offset) return std::nullopt;
  auto hash = SubSpan(blob, at, hash_size);
  if (!hash || std::all_of(hash->begin(), hash->end(), [](uint8_t b) { return b == 0; })) return std::nullopt;
  return hash;
}

std::optional<Bytes> CodeDirectory::CodeHash(uint32_t index) const {
  if (index >= code_slots) return std::nullopt;
  return SubSpan(blob, uint64_t{hash_offset} + uint64_t{index} * hash_size, hash_size);
}

absl::StatusOr<CodeDirectory> ParseCodeDirectory(Bytes blob, uint32_t slot) {
  BigEndianReader r(AsText(blob));
  CodeDirectory cd;
  cd.blob = blob;
  cd.slot = slot;
  r.Skip(8);  // magic, length
  cd.version = r.U32(), cd.flags = r.U32(), cd.hash_offset = r.U32();
  uint32_t ident_offset = r.U32();
  cd.special_slots = r.U32(), cd.code_slots = r.U32(), cd.code_limit = r.U32();
  cd.hash_size = r.U8(), cd.hash_type = r.U8();
  r.Skip(1);  // platform
  cd.page_size_log2 = r.U8();
  r.Skip(4);  // spare2
  if (!r.ok()) return absl::InvalidArgumentError("CodeDirectory header is truncated");
  if (cd.page_size_log2 > 31)
    return absl::InvalidArgumentError(fmt::format("page size 2^{} is absurd", cd.page_size_log2));
  const HashType* type = FindHashType(cd.hash_type);
  if (type == nullptr) return absl::InvalidArgumentError(fmt::format("unknown hash type {}", cd.hash_type));
  if (type->size != cd.hash_size)
    return absl::InvalidArgumentError(fmt::format("hash size {} does not fit {}", cd.hash_size, type->name));
  uint64_t table_start = uint64_t{cd.hash_offset} - uint64_t{cd.special_slots} * cd.hash_size;
  if (uint64_t{cd.special_slots} * cd.hash_size > cd.hash_offset ||
      !SubSpan(blob, table_start, (uint64_t{cd.special_slots} + cd.code_slots) * cd.hash_size))
    return absl::InvalidArgumentError("the hash table lies outside the CodeDirectory");
  auto ident = CString(blob, ident_offset);
  if (!ident) return absl::InvalidArgumentError("the identifier lies outside the CodeDirectory");
  cd.identifier = *ident;
  if (cd.version >= kSupportsScatter) r.Skip(4);
  if (!r.ok()) return absl::InvalidArgumentError("truncated (scatter)");
  if (cd.version >= kSupportsTeamId) {
    uint32_t team = r.U32();
    if (!r.ok()) return absl::InvalidArgumentError("truncated (team offset)");
    if (team != 0) {
      auto text = CString(blob, team);
      if (!text) return absl::InvalidArgumentError("the Team ID lies outside the CodeDirectory");
      cd.team_id = *text;
    }
  }
  if (cd.version >= kSupportsCodeLimit64) {
    r.Skip(4);
    uint64_t limit64 = r.U64();
    if (!r.ok()) return absl::InvalidArgumentError("truncated (codeLimit64)");
    if (limit64 != 0) cd.code_limit = limit64;
  }
  if (cd.version >= kSupportsExecSeg) {
    cd.exec_seg_base = r.U64(), cd.exec_seg_limit = r.U64(), cd.exec_seg_flags = r.U64();
    if (!r.ok()) return absl::InvalidArgumentError("truncated (exec segment)");
  }
  if (cd.version >= kSupportsRuntime) {
    cd.runtime = r.U32();
    if (!r.ok()) return absl::InvalidArgumentError("truncated (runtime)");
  }
  return cd;
}

absl::StatusOr<CodeSignature> ParseCodeSignature(Bytes blob) {
  BigEndianReader r(AsText(blob));
  uint32_t magic = r.U32(), length = r.U32(), count = r.U32();
  if (!r.ok() || magic != kSuperBlobMagic)
    return absl::InvalidArgumentError("the signature is not a SuperBlob (magic 0xfade0cc0)");
  CodeSignature sig;
  Bytes super = blob;
  if (length <= blob.size()) {
    super = blob.first(length);
  } else {
    sig.problems.push_back(fmt::format("SuperBlob claims {} bytes; LC_CODE_SIGNATURE gives {}", length, blob.size()));
  }
  if (count > kMaxBlobs) return absl::InvalidArgumentError(fmt::format("SuperBlob claims {} blobs", count));
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t type = r.U32(), offset = r.U32();
    if (!r.ok()) {
      sig.problems.push_back("the SuperBlob's index is truncated");
      break;
    }
    sig.slots.push_back(type);
    uint32_t blob_magic = 0;
    auto inner = BlobAt(super, offset, &blob_magic);
    if (!inner) {
      sig.problems.push_back(
          fmt::format("blob {} (slot {:#x}) at offset {:#x} lies outside the SuperBlob", i, type, offset));
      continue;
    }
    AddBlob(*inner, type, blob_magic, sig);
  }
  if (sig.directories.empty() && sig.problems.empty()) sig.problems.push_back("the SuperBlob has no CodeDirectory");
  return sig;
}

std::string HashTypeName(uint8_t type) {
  const HashType* h = FindHashType(type);
  return h ? std::string(h->name) : fmt::format("hash type {}", type);
}

std::vector<uint8_t> Digest(uint8_t type, Bytes data) {
  const HashType* h = FindHashType(type);
  if (h == nullptr) return {};
  std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, h->md(), nullptr) != 1) return {};
  out.resize(std::min<size_t>(size, h->size));
  return out;
}

std::string Hex(Bytes bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

std::string CdHash(const CodeDirectory& cd) {
  std::vector<uint8_t> digest = Digest(cd.hash_type, cd.blob);
  if (digest.size() > 20) digest.resize(20);
  return Hex(digest);
}

PageCheck CheckCodePages(const CodeDirectory& cd, Bytes slice) {
  PageCheck check;
  uint64_t limit = cd.code_limit;
  if (limit > slice.size()) {
    check.problems.push_back(
        fmt::format("the code limit {:#x} lies past the end of the slice ({:#x})", limit, slice.size()));
    limit = slice.size();
  }
  uint64_t page = cd.PageSize() == 0 ? std::max<uint64_t>(limit, 1) : cd.PageSize();
  uint64_t needed = limit == 0 ? 0 : (limit + page - 1) / page;
  if (needed != cd.code_slots && cd.code_limit <= slice.size())
    check.problems.push_back(
        fmt::format("the CodeDirectory has {} code slots; its code limit needs {}", cd.code_slots, needed));
  for (uint32_t i = 0; i < cd.code_slots; ++i) {
    uint64_t offset = uint64_t{i} * page;
    if (offset >= limit) break;
    uint64_t length = std::min(page, limit - offset);
    auto stored = cd.CodeHash(i);
    if (!stored) break;
    std::vector<uint8_t> actual = Digest(cd.hash_type, slice.subspan(offset, length));
    ++check.checked;
    if (!std::equal(stored->begin(), stored->end(), actual.begin(), actual.end()))
      check.mismatches.push_back({i, offset, length});
  }
  return check;
}

SlotState CheckSpecialSlot(const CodeDirectory& cd, SpecialSlot slot, std::optional<Bytes> data) {
  std::optional<Bytes> stored = cd.SpecialHash(slot);
  if (!stored) return SlotState::kNotBound;
  if (!data) return SlotState::kMissing;
  std::vector<uint8_t> actual = Digest(cd.hash_type, *data);
  return std::equal(stored->begin(), stored->end(), actual.begin(), actual.end()) ? SlotState::kMatches
                                                                                  : SlotState::kDiffers;
}

std::string FlagNames(uint32_t flags) {
  std::string out;
  for (const FlagName& f : kFlagNames) {
    if ((flags & f.bit) == 0) continue;
    if (!out.empty()) out += ',';
    out += f.name;
  }
  return out.empty() ? "none" : out;
}

}  // namespace tediag::inspect
