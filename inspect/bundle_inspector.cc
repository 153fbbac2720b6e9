// Bundle, nested code and folder inspection (bundle_inspector.h).
#include "bundle_inspector.h"

#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <system_error>

#include "archive_unpack.h"
#include "code_signature.h"
#include "fmt/core.h"
#include "macho.h"
#include "macho_inspector.h"
#include "plist.h"
#include "provisioning_profile.h"
#include "resource_seal.h"

namespace tediag::inspect {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kMaxFileBytes = uint64_t{2} << 30;  // larger is not code we can hash in memory

// Usage-description keys an entitlement needs in a hardened or sandboxed app (TCC).
struct UsageNeed {
  std::string_view entitlement;
  std::string_view usage_key;
};
constexpr UsageNeed kUsageNeeds[] = {
    {"com.apple.security.device.camera", "NSCameraUsageDescription"},
    {"com.apple.security.device.audio-input", "NSMicrophoneUsageDescription"},
    {"com.apple.security.personal-information.location", "NSLocationUsageDescription"},
    {"com.apple.security.personal-information.addressbook", "NSContactsUsageDescription"},
    {"com.apple.security.personal-information.calendars", "NSCalendarsUsageDescription"},
    {"com.apple.security.personal-information.photos-library", "NSPhotoLibraryUsageDescription"},
    {"com.apple.security.automation.apple-events", "NSAppleEventsUsageDescription"},
};

struct Layout {
  fs::path content;      // Contents/, Versions/Current/ or the bundle itself
  fs::path info_plist;   // where Info.plist is
  fs::path executables;  // where CFBundleExecutable lives
  fs::path bundle;       // the bundle folder
};

std::optional<std::string> ReadWhole(const fs::path& path) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (ec || size > kMaxFileBytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Layout LayoutOf(const fs::path& bundle) {
  std::error_code ec;
  if (fs::exists(bundle / "Contents", ec))
    return {bundle / "Contents", bundle / "Contents/Info.plist", bundle / "Contents/MacOS", bundle};
  if (fs::exists(bundle / "Versions/Current", ec)) {
    fs::path v = bundle / "Versions/Current";
    return {v, v / "Resources/Info.plist", v, bundle};
  }
  return {bundle, bundle / "Info.plist", bundle, bundle};
}

bool IsMachOFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  return in.gcount() == 8 && LooksLikeMachO(AsBytes(std::string_view(head, 8)));
}

std::vector<std::string> CdHashesOf(const fs::path& path) {
  fs::path file = path;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    Layout layout = LayoutOf(path);
    auto info = ReadWhole(layout.info_plist);
    auto plist = info ? ParsePlist(AsBytes(*info)) : absl::InvalidArgumentError("no Info.plist");
    if (!plist.ok() || plist->Find("CFBundleExecutable") == nullptr) return {};
    file = layout.executables / std::string(plist->Find("CFBundleExecutable")->String());
  }
  auto bytes = ReadWhole(file);
  if (!bytes) return {};
  Observations ignored;
  std::vector<std::string> out;
  for (const SliceSummary& s : InspectMachO(file.string(), AsBytes(*bytes), {}, ignored).slices)
    if (s.is_signed) out.push_back(s.cdhash);
  return out;
}

MachOSummary InspectFile(const fs::path& path, const std::string& name, const MachOContext& context,
                         Observations& out) {
  auto bytes = ReadWhole(path);
  if (!bytes) {
    out.Finding("unreadable", name, "", "cannot be read");
    return {};
  }
  return InspectMachO(name, AsBytes(*bytes), context, out);
}

struct CodeSummary {
  bool is_signed = false;
  bool runtime = false;  // hardened runtime, or the App Sandbox
  std::string team_id;
  std::optional<PlistValue> entitlements;
  bool executable = false;  // runs as a process of its own (MH_EXECUTE), rather than being loaded into one
};

CodeSummary Summarize(const MachOSummary& m) {
  CodeSummary s;
  s.executable = m.executable_type;
  for (const SliceSummary& slice : m.slices) {
    if (!slice.is_signed) continue;
    s.is_signed = true;
    s.runtime |= slice.runtime;
    const PlistValue* sandbox =
        slice.entitlements ? slice.entitlements->Find("com.apple.security.app-sandbox") : nullptr;
    s.runtime |= sandbox != nullptr && sandbox->IsTrue();
    if (s.team_id.empty()) s.team_id = slice.team_id;
    if (!s.entitlements) s.entitlements = slice.entitlements;
  }
  return s;
}

CodeSummary InspectBundle(const fs::path& bundle, const std::string& name, Observations& out);

// A helper that inherits its parent's sandbox may have no other entitlement.
void CheckSandboxInheritance(const CodeSummary& code, const std::string& name, Observations& out) {
  if (!code.entitlements) return;
  const PlistValue* inherit = code.entitlements->Find("com.apple.security.inherit");
  if (inherit == nullptr || !inherit->IsTrue()) return;
  std::string extra;
  for (const auto& [key, value] : code.entitlements->dict) {
    if (key == "com.apple.security.app-sandbox" || key == "com.apple.security.inherit") continue;
    extra += (extra.empty() ? "" : ", ") + key;
  }
  if (!extra.empty())
    out.Finding("helper-sandbox-extra", name, "",
                fmt::format("inherits the sandbox (com.apple.security.inherit) but also claims {}: the kernel refuses "
                            "such a helper a second sandbox and it crashes at launch",
                            extra));
}

// Nested code, inside-out: bundles recursively, then loose Mach-O files; each compared with the app.
// `content_name` is how `content` is named (the bundle's name and the path down to it).
void InspectNested(const fs::path& content, const std::string& content_name, const fs::path& main_exe,
                   const CodeSummary& app, Observations& out) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(content, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    fs::file_status status = it->symlink_status(ec);
    std::string rel = it->path().lexically_relative(content).generic_string();  // links not resolved
    std::string nested_name = content_name + "/" + rel;
    CodeSummary code;
    if (fs::is_directory(status)) {
      if (rel == "_CodeSignature" || !IsBundleName(it->path().filename())) continue;
      it.disable_recursion_pending();
      code = InspectBundle(it->path(), nested_name, out);
    } else if (fs::is_regular_file(status) && it->path() != main_exe && IsMachOFile(it->path())) {
      code = Summarize(InspectFile(it->path(), nested_name, {}, out));
    } else {
      continue;
    }
    CheckSandboxInheritance(code, nested_name, out);
    if (!app.is_signed) continue;
    if (!code.is_signed) {
      out.Finding("nested-unsigned", nested_name, "",
                  "nested code is unsigned: the app's signature is invalid (codesign --deep) and library "
                  "validation refuses to load it");
    } else if (!app.team_id.empty() && code.team_id != app.team_id && !code.executable) {
      // Library validation judges only code loaded into the app's process; a helper executable of
      // another team runs under its own signature (an ad-hoc one has its own finding).
      out.Finding("nested-team-mismatch", nested_name, "",
                  fmt::format("nested code of team {} inside an app of team {}: library validation refuses to load "
                              "it into the app",
                              code.team_id.empty() ? "none (ad-hoc)" : code.team_id, app.team_id));
    }
  }
}

void CheckSeal(const fs::path& content, const std::string& name, const std::string& content_name,
               const fs::path& main_exe, Observations& out) {
  auto bytes = ReadWhole(content / "_CodeSignature/CodeResources");
  if (!bytes) return;
  auto seal = ParsePlist(AsBytes(*bytes));
  if (!seal.ok()) {
    out.Finding("seal-malformed", name, "", "_CodeSignature/CodeResources: " + std::string(seal.status().message()));
    return;
  }
  std::error_code ec;
  SealCheck check =
      CheckResourceSeal(*seal, content, {main_exe.lexically_relative(content).generic_string()}, CdHashesOf);
  for (const std::string& p : check.problems) out.Finding("seal-malformed", name, "", p);
  if (check.version == 1)
    out.Finding("seal-v1", name, "",
                "the resource seal is version 1 only (no files2/rules2): codesign --strict reports \"resource "
                "envelope is obsolete (version 1 signature)\"; re-sign with a current codesign");
  static constexpr std::string_view kCodes[] = {"seal-added", "seal-modified", "seal-missing"};
  for (const SealDifference& d : check.differences)
    out.Finding(std::string(kCodes[static_cast<int>(d.kind)]), content_name + "/" + d.path, "", d.detail);
  out.Fact("seal", name, "",
           fmt::format("version {} resource seal: {} sealed items checked, {} differences", check.version,
                       check.checked, check.differences.size()));
}

void CheckInfoPlist(const PlistValue& info, const CodeSummary& code, const std::string& name, Observations& out) {
  bool hardened_or_sandboxed = code.runtime;
  for (const UsageNeed& need : kUsageNeeds) {
    const PlistValue* ent = code.entitlements ? code.entitlements->Find(need.entitlement) : nullptr;
    bool claimed = ent != nullptr && ent->IsTrue();
    bool described = info.Find(need.usage_key) != nullptr;
    if (claimed && !described)
      out.Finding("usage-description-missing", name, "",
                  fmt::format("claims {} but Info.plist has no {}: the system denies the access without asking",
                              need.entitlement, need.usage_key));
    if (need.usage_key == "NSAppleEventsUsageDescription" && described && !claimed && hardened_or_sandboxed)
      out.Finding("apple-events-entitlement-missing", name, "",
                  "Info.plist has NSAppleEventsUsageDescription but the hardened or sandboxed app lacks "
                  "com.apple.security.automation.apple-events: its Apple events fail with -1743 without a prompt");
  }
}

// The main executable, with what its special slots bind.
std::optional<CodeSummary> InspectMainExecutable(const Layout& layout, const PlistValue& info, const std::string& name,
                                                 fs::path& exe, Observations& out) {
  std::string_view executable = info.Find("CFBundleExecutable") ? info.Find("CFBundleExecutable")->String() : "";
  if (executable.empty() || executable.find('/') != std::string_view::npos) {
    out.Finding("executable-missing", name, "", "Info.plist has no usable CFBundleExecutable");
    return std::nullopt;
  }
  exe = layout.executables / std::string(executable);
  std::string exe_name = name + "/" + exe.lexically_relative(layout.bundle).generic_string();
  struct stat st {};
  if (lstat(exe.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    out.Finding("executable-missing", exe_name, "",
                fmt::format("CFBundleExecutable {} is not in the bundle", executable));
    return std::nullopt;
  }
  if ((st.st_mode & 0111) == 0)
    out.Finding("not-executable", exe_name, "",
                fmt::format("the main executable has no x permission (mode {:04o}): launching fails with "
                            "\"permission denied\" / LSOpen error -10810 or posix_spawn EACCES; chmod +x it",
                            st.st_mode & 07777));
  auto info_bytes = ReadWhole(layout.info_plist);
  auto seal_bytes = ReadWhole(layout.content / "_CodeSignature/CodeResources");
  MachOContext context;
  context.main_executable = true;
  if (info_bytes) context.info_plist = AsBytes(*info_bytes);
  if (seal_bytes) context.code_resources = AsBytes(*seal_bytes);
  return Summarize(InspectFile(exe, exe_name, context, out));
}

// embedded.provisionprofile decoded, and the code's restricted entitlements compared with it.
void CheckProvisioning(const fs::path& content, const CodeSummary& app, const std::string& name,
                       const std::string& content_name, Observations& out) {
  std::optional<ProvisioningProfile> profile;
  fs::path path = content / "embedded.provisionprofile";
  std::string profile_name = content_name + "/embedded.provisionprofile";
  std::error_code ec;
  if (fs::exists(path, ec)) {
    auto bytes = ReadWhole(path);
    auto parsed = bytes ? ParseProvisioningProfile(AsBytes(*bytes)) : absl::InvalidArgumentError("cannot be read");
    if (!parsed.ok()) {
      out.Finding("profile-malformed", profile_name, "", std::string(parsed.status().message()));
      return;  // nothing can be compared; restricted entitlements are not judged without it
    }
    profile = std::move(*parsed);
    std::string keys;
    for (const PlistEntry& e : profile->entitlements.dict) keys += (keys.empty() ? "" : " ") + e.key;
    out.Fact("provisioning-profile", profile_name, "",
             fmt::format("name=\"{}\" uuid={} team={} expires={} devices={} entitlements={} (signed by {}; "
                         "signature not verified)",
                         profile->name, profile->uuid.empty() ? "none" : profile->uuid,
                         profile->teams.empty() ? "none" : profile->teams.front(),
                         profile->expiration.empty() ? "never" : profile->expiration,
                         profile->all_devices ? "all"
                         : profile->devices   ? std::to_string(*profile->devices)
                                              : "none",
                         keys.empty() ? "none" : keys, profile->signer.empty() ? "nobody" : profile->signer));
  }
  if (!app.is_signed) return;
  for (const ProfileProblem& p :
       CompareWithProfile(app.entitlements, app.team_id, profile ? &*profile : nullptr, NowIso8601()))
    out.Finding(p.code, p.code == "restricted-entitlement" ? name : profile_name, "", p.detail);
}

CodeSummary InspectBundle(const fs::path& bundle, const std::string& name, Observations& out) {
  Layout layout = LayoutOf(bundle);
  auto info_bytes = ReadWhole(layout.info_plist);
  if (!info_bytes) {
    out.Finding("info-plist-missing", name, "", "no Info.plist; not a bundle the system can launch");
    return {};
  }
  auto info = ParsePlist(AsBytes(*info_bytes));
  if (!info.ok() || info->kind != PlistValue::Kind::kDict) {
    out.Finding("info-plist-malformed", name, "",
                info.ok() ? std::string("Info.plist is not a dictionary") : std::string(info.status().message()));
    return {};
  }
  auto text = [&info](std::string_view key) {
    const PlistValue* v = info->Find(key);
    return v && !v->String().empty() ? std::string(v->String()) : std::string("none");
  };
  out.Fact("bundle", name, "",
           fmt::format("identifier={} executable={} version={} info-plist={}", text("CFBundleIdentifier"),
                       text("CFBundleExecutable"), text("CFBundleShortVersionString"),
                       IsBinaryPlist(AsBytes(*info_bytes)) ? "binary" : "xml"));
  fs::path exe;
  std::error_code ec;
  // Inside-out, as codesign --deep checks: nested code first, then the bundle itself.
  CodeSummary app;
  std::optional<CodeSummary> main = InspectMainExecutable(layout, *info, name, exe, out);
  if (main) app = *main;
  // Paths inside the bundle are named from the bundle folder: Contents/…, Versions/Current/… or the root.
  std::string content_name = layout.content == layout.bundle
                                 ? name
                                 : name + "/" + layout.content.lexically_relative(layout.bundle).generic_string();
  InspectNested(layout.content, content_name, exe, app, out);
  CheckSeal(layout.content, name, content_name, exe, out);
  if (app.is_signed && !fs::exists(layout.content / "_CodeSignature/CodeResources", ec))
    out.Finding("seal-absent", name, "", "the bundle is signed but has no _CodeSignature/CodeResources");
  CheckInfoPlist(*info, app, name, out);
  bool stapled = fs::is_regular_file(layout.content / "CodeResources", ec);
  if (bundle.extension() == ".app") {
    if (stapled) {
      out.Fact("stapled-ticket", name, "", "a notarization ticket is stapled (Contents/CodeResources)");
    } else if (app.is_signed) {
      out.Finding("not-stapled", name, "",
                  "no stapled notarization ticket: Gatekeeper must find the ticket online (syspolicy_check "
                  "distribution reports the ticket as missing)");
    }
  }
  CheckProvisioning(layout.content, app, name, content_name, out);
  return app;
}

// A Mach-O that is not part of a bundle: an executable of it cannot have a provisioning profile.
void InspectBareMachO(const fs::path& path, const std::string& name, Observations& out) {
  CodeSummary code = Summarize(InspectFile(path, name, {}, out));
  if (!code.is_signed || !code.executable) return;
  for (const ProfileProblem& p : RestrictedOutsideABundle(code.entitlements)) out.Finding(p.code, name, "", p.detail);
}

// Every bundle and Mach-O file under `root`, each named `prefix` + its path below root. Archives
// are opened when `open_archives` (not inside an archive: one level only).
void InspectTree(const fs::path& root, const std::string& name, const std::string& prefix, bool open_archives,
                 Observations& out);

// An archive's contents, named "ARCHIVE:member/path" (archive_unpack.h).
void InspectArchive(const fs::path& path, const std::string& name, Observations& out) {
  auto unpacked = UnpackArchive(path);
  if (!unpacked.ok()) {
    out.Problem("archive-unreadable", name, std::string(unpacked.status().message()));
    return;
  }
  for (const UnpackedArchive::Problem& p : unpacked->problems)
    out.Problem("archive-entry", p.entry.empty() ? name : name + ":" + p.entry, p.message);
  out.Fact("archive", name, "",
           fmt::format("{}: {} entries unpacked ({} bytes), {} AppleDouble entries skipped, {} problems",
                       unpacked->format.empty() ? "empty" : unpacked->format, unpacked->entries, unpacked->bytes,
                       unpacked->apple_double, unpacked->problems.size()));
  std::error_code ec;
  if (fs::exists(unpacked->root() / "Contents/Info.plist", ec)) {
    InspectBundle(unpacked->root(), name, out);  // the archive holds a bundle's insides
  } else {
    InspectTree(unpacked->root(), name, name + ":", false, out);
  }
}

void InspectTree(const fs::path& root, const std::string& name, const std::string& prefix, bool open_archives,
                 Observations& out) {
  size_t found = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    fs::file_status s = it->symlink_status(ec);
    std::string child = prefix + it->path().lexically_relative(root).generic_string();
    if (fs::is_directory(s) && IsBundleName(it->path().filename())) {
      it.disable_recursion_pending();
      InspectBundle(it->path(), child, out);
      ++found;
    } else if (fs::is_regular_file(s) && IsMachOFile(it->path())) {
      InspectBareMachO(it->path(), child, out);
      ++found;
    } else if (open_archives && fs::is_regular_file(s) && LooksLikeCodeArchive(it->path())) {
      InspectArchive(it->path(), child, out);
      ++found;
    }
  }
  if (found == 0) out.Finding("not-code", name, "", "no bundle or Mach-O file in this folder");
}

}  // namespace

void InspectPath(const fs::path& path, Observations& out) {
  std::error_code ec;
  std::string name = path.string();
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  fs::file_status status = fs::status(path, ec);
  if (ec) {
    out.Finding("unreadable", name, "", ec.message());
    return;
  }
  if (fs::is_regular_file(status)) {
    if (IsMachOFile(path)) {
      InspectBareMachO(path, name, out);
    } else if (LooksLikeCodeArchive(path)) {
      InspectArchive(path, name, out);
    } else {
      out.Finding("not-code", name, "", "neither a Mach-O file, a bundle nor an archive of them");
    }
    return;
  }
  if (IsBundleName(path.filename()) || fs::exists(path / "Contents/Info.plist", ec)) {
    InspectBundle(path, name, out);
    return;
  }
  InspectTree(path, name, name + "/", true, out);
}

}  // namespace tediag::inspect
