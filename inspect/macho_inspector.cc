// One Mach-O file's signature checks (macho_inspector.h).
#include "macho_inspector.h"

#include <algorithm>

#include "cms_signature.h"
#include "code_signature.h"
#include "fmt/core.h"
#include "macho.h"
#include "requirements.h"

namespace tediag::inspect {
namespace {

constexpr uint32_t kSdk10_9 = 0x0a0900;
constexpr size_t kMaxPagesNamed = 8;

struct SliceContext {
  const std::string& path;
  std::string arch;
  Observations& out;
};

struct SlotCheck {
  SpecialSlot slot;
  std::string_view name;
};

std::string ExecSegText(uint64_t flags) {
  std::string out = fmt::format("{:#x}", flags);
  if (flags & 0x1) out += " main-binary";
  if (flags & 0x10) out += " allow-unsigned";
  if (flags & 0x20) out += " debugger";
  if (flags & 0x40) out += " jit";
  return out;
}

void DescribeDirectory(const CodeDirectory& cd, SliceContext& c) {
  std::string detail = fmt::format(
      "{}identifier={} team={} flags={:#x}({}) version={:#x} hash={} page-size={} code-slots={} special-slots={} "
      "cdhash={}",
      cd.slot == 0 ? "" : fmt::format("alternate {:#x} ", cd.slot), cd.identifier,
      cd.team_id.empty() ? "none" : cd.team_id, cd.flags, FlagNames(cd.flags), cd.version, HashTypeName(cd.hash_type),
      cd.PageSize(), cd.code_slots, cd.special_slots, CdHash(cd));
  if (cd.version >= 0x20400) detail += " exec-seg-flags=" + ExecSegText(cd.exec_seg_flags);
  if (cd.version >= 0x20500 && cd.runtime != 0) detail += fmt::format(" runtime={}", VersionText(cd.runtime));
  c.out.Fact("code-directory", c.path, c.arch, detail);
}

void CheckPages(const CodeDirectory& cd, Bytes slice, SliceContext& c) {
  PageCheck check = CheckCodePages(cd, slice);
  for (const std::string& p : check.problems) c.out.Finding("signature-malformed", c.path, c.arch, p);
  for (size_t i = 0; i < std::min(check.mismatches.size(), kMaxPagesNamed); ++i) {
    const PageMismatch& m = check.mismatches[i];
    c.out.Finding("page-hash-mismatch", c.path, c.arch,
                  fmt::format("code page {} (bytes {:#x}-{:#x} of the slice) does not match its {} hash in the "
                              "CodeDirectory: the file changed after it was signed",
                              m.index, m.offset, m.offset + m.length, HashTypeName(cd.hash_type)));
  }
  if (check.mismatches.size() > kMaxPagesNamed)
    c.out.Finding("page-hash-mismatch", c.path, c.arch,
                  fmt::format("and {} more code pages do not match", check.mismatches.size() - kMaxPagesNamed));
  c.out.Fact("code-pages", c.path, c.arch,
             fmt::format("{} of {} code pages match{}", check.checked - check.mismatches.size(), check.checked,
                         cd.slot == 0 ? "" : fmt::format(" (alternate CodeDirectory {:#x})", cd.slot)));
}

void CheckSlots(const CodeDirectory& cd, const CodeSignature& sig, const MachOContext& ctx, SliceContext& c) {
  struct Bound {
    SpecialSlot slot;
    std::string_view name;
    std::optional<Bytes> data;
    bool known;  // whether this inspection can know what the slot binds
  };
  const Bound bound[] = {
      {SpecialSlot::kInfoPlist, "Info.plist", ctx.info_plist, ctx.main_executable},
      {SpecialSlot::kRequirements, "requirements", sig.requirements, true},
      {SpecialSlot::kResourceDir, "_CodeSignature/CodeResources", ctx.code_resources, ctx.main_executable},
      {SpecialSlot::kEntitlements, "entitlements", sig.entitlements, true},
      {SpecialSlot::kEntitlementsDer, "DER entitlements", sig.entitlements_der, true},
  };
  for (const Bound& b : bound) {
    if (!b.known) continue;
    switch (CheckSpecialSlot(cd, b.slot, b.data)) {
      case SlotState::kDiffers:
        c.out.Finding("special-slot-mismatch", c.path, c.arch,
                      fmt::format("the {} hash (special slot -{}) does not match: {} changed after signing", b.name,
                                  static_cast<uint32_t>(b.slot), b.name));
        break;
      case SlotState::kMissing:
        c.out.Finding("special-slot-missing", c.path, c.arch,
                      fmt::format("the signature binds {} (special slot -{}) but it is missing", b.name,
                                  static_cast<uint32_t>(b.slot)));
        break;
      case SlotState::kNotBound:
        if (b.data && !b.data->empty() && b.slot != SpecialSlot::kRequirements)
          c.out.Finding("special-slot-unbound", c.path, c.arch,
                        fmt::format("{} is present but the signature does not seal it", b.name));
        break;
      case SlotState::kMatches: break;
    }
  }
}

std::optional<PlistValue> CheckEntitlements(const CodeSignature& sig, SliceContext& c) {
  if (!sig.entitlements) return std::nullopt;
  auto plist = ParsePlist(sig.entitlements->subspan(8));
  if (!plist.ok() || plist->kind != PlistValue::Kind::kDict) {
    c.out.Finding(
        "entitlements-malformed", c.path, c.arch,
        plist.ok() ? std::string("the entitlements are not a dictionary") : std::string(plist.status().message()));
    return std::nullopt;
  }
  std::string keys;
  for (const auto& [key, value] : plist->dict) {
    keys += keys.empty() ? "" : " ";
    keys += key;
    if (value.kind == PlistValue::Kind::kBool) keys += value.boolean ? "=true" : "=false";
  }
  c.out.Fact("entitlements", c.path, c.arch, keys.empty() ? "none (an empty dictionary)" : keys);
  if (plist->Find("com.apple.security.get-task-allow") && plist->Find("com.apple.security.get-task-allow")->IsTrue())
    c.out.Finding("get-task-allow", c.path, c.arch,
                  "com.apple.security.get-task-allow is true: a debug build; notarization rejects it");
  return *plist;
}

// The requirements in their text form ("designated => identifier …"), one fact each.
void DescribeRequirements(const CodeSignature& sig, SliceContext& c) {
  if (!sig.requirements) return;
  auto reqs = DecodeRequirements(*sig.requirements);
  if (!reqs.ok()) {
    c.out.Finding("signature-malformed", c.path, c.arch, "requirements: " + std::string(reqs.status().message()));
    return;
  }
  if (reqs->empty()) c.out.Fact("requirement", c.path, c.arch, "none (an empty requirement set)");
  for (const RequirementText& req : *reqs) {
    if (req.error.empty()) {
      c.out.Fact("requirement", c.path, c.arch, req.type + " => " + req.text);
    } else {
      c.out.Finding("signature-malformed", c.path, c.arch,
                    fmt::format("the {} requirement cannot be read: {}", req.type, req.error));
    }
  }
}

// The CMS signer: returns the certificate's Team ID.
std::string CheckSigner(const CodeSignature& sig, const CodeDirectory& primary, SliceContext& c) {
  if (!sig.cms || sig.cms->empty()) return {};
  CmsCheck cms = CheckCms(*sig.cms, primary.blob);
  if (!cms.parsed) {
    c.out.Finding("cms-malformed", c.path, c.arch, cms.error);
    return {};
  }
  c.out.Fact("signer", c.path, c.arch,
             fmt::format("{} (certificate team {}){}", cms.signer, cms.signer_team.empty() ? "none" : cms.signer_team,
                         cms.signing_time ? ", signing time " + *cms.signing_time : ""));
  for (size_t i = 0; i < cms.chain.size(); ++i)
    c.out.Fact("certificate", c.path, c.arch, fmt::format("{}: {}", i, cms.chain[i]));
  if (!cms.signature_ok)
    c.out.Finding("cms-signature-invalid", c.path, c.arch,
                  "the CMS signature does not verify over the CodeDirectory: " + cms.signature_error);
  if (cms.chain_ok) {
    c.out.Fact("chain", c.path, c.arch,
               fmt::format("reaches the pinned Apple Root CA (checked at the {} time)", cms.chain_time));
  } else {
    c.out.Finding("chain-untrusted", c.path, c.arch,
                  fmt::format("the certificate chain does not reach Apple Root CA: {}", cms.chain_error));
  }
  if (!cms.developer_id)
    c.out.Finding("not-developer-id", c.path, c.arch,
                  fmt::format("signed by \"{}\", not a Developer ID Application certificate: Gatekeeper accepts only "
                              "Developer ID (or Mac App Store) code from outside the store",
                              cms.signer));
  if (cms.timestamp_time && cms.timestamp_imprint_ok.value_or(false)) {
    c.out.Fact("timestamp", c.path, c.arch,
               fmt::format("secure timestamp {} from {}", *cms.timestamp_time, cms.timestamp_authority));
  } else if (cms.timestamp_time) {
    c.out.Finding("timestamp-mismatch", c.path, c.arch, "the timestamp token does not cover this signature");
  } else {
    c.out.Finding("no-secure-timestamp", c.path, c.arch,
                  "the signature has no secure timestamp (codesign --timestamp); notarization requires one");
  }
  if (!primary.team_id.empty() && !cms.signer_team.empty() && primary.team_id != cms.signer_team)
    c.out.Finding(
        "team-mismatch", c.path, c.arch,
        fmt::format("the CodeDirectory says team {} but the certificate is team {}", primary.team_id, cms.signer_team));
  return cms.signer_team;
}

void CheckDistribution(const MachOSlice& slice, const CodeDirectory& cd, SliceContext& c) {
  if (cd.flags & kCsAdhoc) {
    c.out.Finding("adhoc-signed", c.path, c.arch,
                  (cd.flags & kCsLinkerSigned)
                      ? "ad-hoc signed by the linker (linker-signed): no Developer ID signature"
                      : "ad-hoc signed (codesign -s -): no Developer ID signature");
  } else if (!(cd.flags & kCsRuntime)) {
    c.out.Finding(
        "no-hardened-runtime", c.path, c.arch,
        "the hardened runtime is off (no runtime flag; codesign --options runtime); notarization requires it");
  }
  if (slice.sdk && slice.platform.value_or(0) == 1 && *slice.sdk < kSdk10_9 && *slice.sdk != 0)
    c.out.Finding(
        "old-sdk", c.path, c.arch,
        fmt::format("linked against the macOS {} SDK; notarization requires 10.9 or later", VersionText(*slice.sdk)));
}

void DescribeSlice(const MachOSlice& slice, SliceContext& c) {
  static constexpr std::pair<uint32_t, std::string_view> kTypes[] = {{1, "object"},   {2, "executable"}, {6, "dylib"},
                                                                     {7, "dylinker"}, {8, "bundle"},     {0xb, "dsym"}};
  std::string_view type = "file type";
  for (auto [n, name] : kTypes)
    if (n == slice.filetype) type = name;
  std::string detail = fmt::format("{} at {:#x}, {} bytes", type, slice.offset, slice.size);
  if (slice.platform)
    detail += fmt::format(", {} {} (SDK {})", PlatformName(*slice.platform), VersionText(slice.min_os.value_or(0)),
                          VersionText(slice.sdk.value_or(0)));
  detail += fmt::format(", {} dylibs, {} rpaths", slice.dylibs.size(), slice.rpaths.size());
  c.out.Fact("slice", c.path, c.arch, detail);
  for (std::string_view rpath : slice.rpaths) c.out.Fact("rpath", c.path, c.arch, std::string(rpath));
  for (const std::string& p : slice.problems) c.out.Finding("macho-malformed", c.path, c.arch, p);
}

SliceSummary InspectSlice(const MachOSlice& slice, Bytes file, const MachOContext& ctx, SliceContext& c) {
  SliceSummary summary;
  summary.arch = c.arch;
  DescribeSlice(slice, c);
  Bytes image = SubSpan(file, slice.offset, slice.size).value_or(Bytes());
  if (!slice.signature_offset) {
    c.out.Finding("unsigned", c.path, c.arch, "no code signature (no LC_CODE_SIGNATURE)");
    return summary;
  }
  auto blob = SubSpan(image, *slice.signature_offset, slice.signature_size);
  if (!blob) {
    c.out.Finding("signature-malformed", c.path, c.arch, "LC_CODE_SIGNATURE points outside the slice");
    return summary;
  }
  if (slice.linkedit_end && *slice.linkedit_end != uint64_t{*slice.signature_offset} + slice.signature_size)
    c.out.Finding("signature-malformed", c.path, c.arch,
                  "the signature is not at the end of __LINKEDIT (codesign --strict rejects this layout)");
  auto sig = ParseCodeSignature(*blob);
  if (!sig.ok() || sig->directories.empty()) {
    c.out.Finding("signature-malformed", c.path, c.arch,
                  sig.ok() ? sig->problems.front() : std::string(sig.status().message()));
    return summary;
  }
  for (const std::string& p : sig->problems) c.out.Finding("signature-malformed", c.path, c.arch, p);
  const CodeDirectory& primary = sig->directories.front();
  for (const CodeDirectory& cd : sig->directories) {
    DescribeDirectory(cd, c);
    CheckPages(cd, image, c);
    CheckSlots(cd, *sig, ctx, c);
  }
  summary.is_signed = true;
  summary.adhoc = primary.flags & kCsAdhoc;
  summary.runtime = primary.flags & kCsRuntime;
  summary.library_validation = primary.flags & kCsRequireLv;
  summary.identifier = primary.identifier;
  summary.cdhash = CdHash(primary);
  summary.entitlements = CheckEntitlements(*sig, c);
  DescribeRequirements(*sig, c);
  std::string cert_team = CheckSigner(*sig, primary, c);
  summary.team_id = primary.team_id.empty() ? cert_team : std::string(primary.team_id);
  CheckDistribution(slice, primary, c);
  return summary;
}

}  // namespace

MachOSummary InspectMachO(const std::string& path, Bytes file, const MachOContext& context, Observations& out) {
  MachOSummary summary;
  auto macho = ParseMachO(file);
  if (!macho.ok()) {
    out.Finding("macho-malformed", path, "", std::string(macho.status().message()));
    return summary;
  }
  std::string archs;
  for (const MachOSlice& s : macho->slices) archs += (archs.empty() ? "" : ", ") + s.Architecture();
  out.Fact("macho", path, "", fmt::format("{}: {}", macho->fat ? "universal" : "thin", archs));
  for (const std::string& p : macho->problems) out.Finding("macho-malformed", path, "", p);
  bool all_arm64e = !macho->slices.empty();
  for (const MachOSlice& slice : macho->slices) {
    SliceContext c{path, slice.Architecture(), out};
    all_arm64e &= c.arch == "arm64e";
    summary.executable_type |= slice.IsExecutable();
    summary.slices.push_back(InspectSlice(slice, file, context, c));
  }
  if (all_arm64e)
    out.Finding("arm64e-only", path, "",
                "only an arm64e slice: macOS runs third-party arm64e code only with a boot-arg; ship arm64 too");
  return summary;
}

}  // namespace tediag::inspect
