// The embedded code signature of one Mach-O slice: the SuperBlob (magic 0xfade0cc0) and what
// it indexes: CodeDirectories (the primary one and alternates, every version's fields),
// requirements, entitlements (XML and DER) and the CMS signature. Then the two checks that need
// nothing but the bytes: every code page's hash against the slice, and the special slots
// (Info.plist, requirements, CodeResources, entitlements) against what they bind.
//
// Layouts: xnu osfmk/kern/cs_blobs.h (public facts: magic numbers, field order, version gates,
// slot numbers). Input is untrusted: offsets are checked (byte_reader.h); a broken blob is a
// problem in the result, not a crash, and the other blobs are still read. Views point into the
// slice's bytes and must not outlive them. Hashing uses OpenSSL (SHA-1/256/384); cost is one
// pass over the signed code. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "byte_reader.h"

namespace tediag::inspect {

// CodeDirectory flags (cs_blobs.h CS_*).
inline constexpr uint32_t kCsAdhoc = 0x2;
inline constexpr uint32_t kCsHard = 0x100;
inline constexpr uint32_t kCsKill = 0x200;
inline constexpr uint32_t kCsRestrict = 0x800;
inline constexpr uint32_t kCsRequireLv = 0x2000;
inline constexpr uint32_t kCsRuntime = 0x10000;
inline constexpr uint32_t kCsLinkerSigned = 0x20000;

// Special slots, counted down from the code hashes (slot -n).
enum class SpecialSlot : uint32_t {
  kInfoPlist = 1,
  kRequirements = 2,
  kResourceDir = 3,
  kApplication = 4,
  kEntitlements = 5,
  kRepSpecific = 6,
  kEntitlementsDer = 7,
};

struct CodeDirectory {
  Bytes blob;            // the whole blob, as hashed for the cdhash and signed by the CMS
  uint32_t slot = 0;     // its SuperBlob slot: 0 primary, 0x1000+ alternate
  uint32_t version = 0;  // 0x20001 … 0x20600
  uint32_t flags = 0;    // kCs…
  uint32_t hash_offset = 0;
  std::string_view identifier;
  std::string_view team_id;  // empty before version 0x20200 or when absent
  uint32_t special_slots = 0;
  uint32_t code_slots = 0;
  uint64_t code_limit = 0;  // codeLimit64 when set (0x20300+), else codeLimit
  uint8_t hash_size = 0;
  uint8_t hash_type = 0;       // 1 SHA-1, 2 SHA-256, 3 SHA-256 truncated to 20, 4 SHA-384
  uint8_t page_size_log2 = 0;  // 0: the code is one "page" up to code_limit
  uint64_t exec_seg_base = 0, exec_seg_limit = 0, exec_seg_flags = 0;  // 0x20400+
  uint32_t runtime = 0;  // 0x20500+: the SDK version hardened-runtime rules follow, X.Y.Z packed

  uint64_t PageSize() const { return page_size_log2 == 0 ? 0 : uint64_t{1} << page_size_log2; }
  // The stored hash of special slot `slot`, or nullopt when the directory has no such slot or
  // the stored hash is all zeros (nothing bound).
  std::optional<Bytes> SpecialHash(SpecialSlot slot) const;
  std::optional<Bytes> CodeHash(uint32_t index) const;
};

struct CodeSignature {
  std::vector<CodeDirectory> directories;  // primary first
  std::optional<Bytes> requirements;       // the whole 0xfade0c01 blob
  std::optional<Bytes> entitlements;       // the whole 0xfade7171 blob
  std::optional<Bytes> entitlements_der;   // the whole 0xfade7172 blob
  std::optional<Bytes> cms;                // the CMS blob's payload (DER), possibly empty (ad-hoc)
  std::vector<uint32_t> slots;             // every slot type in the index, in order
  std::vector<std::string> problems;
};

// Parses the SuperBlob at the start of `blob` (LC_CODE_SIGNATURE's bytes). Fails as a whole
// when it is not a SuperBlob.
absl::StatusOr<CodeSignature> ParseCodeSignature(Bytes blob);

// Reads one CodeDirectory blob.
absl::StatusOr<CodeDirectory> ParseCodeDirectory(Bytes blob, uint32_t slot);

// "sha1", "sha256", "sha256-truncated", "sha384", or "hash type N".
std::string HashTypeName(uint8_t type);
// The digest of `data` with CodeDirectory hash type `type`, truncated to the type's stored
// size; empty for an unknown type.
std::vector<uint8_t> Digest(uint8_t type, Bytes data);
// The cdhash: the directory's digest truncated to 20 bytes, in lower-case hex.
std::string CdHash(const CodeDirectory& cd);
std::string Hex(Bytes bytes);

// One code page whose hash does not match the file.
struct PageMismatch {
  uint32_t index = 0;
  uint64_t offset = 0;  // in the slice
  uint64_t length = 0;
};

struct PageCheck {
  uint32_t checked = 0;
  std::vector<PageMismatch> mismatches;
  std::vector<std::string> problems;  // code limit past the slice's end, hash table out of the blob…
};

// Hashes every page of `slice` (the Mach-O image the directory signs) and compares.
PageCheck CheckCodePages(const CodeDirectory& cd, Bytes slice);

enum class SlotState { kNotBound, kMatches, kDiffers, kMissing };
// Compares special slot `slot` with `data` (nullopt: the bound thing is absent).
SlotState CheckSpecialSlot(const CodeDirectory& cd, SpecialSlot slot, std::optional<Bytes> data);

// The flags' names, "adhoc,runtime,linker-signed".
std::string FlagNames(uint32_t flags);

}  // namespace tediag::inspect
