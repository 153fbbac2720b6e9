// Provisioning profile decoding and comparison (provisioning_profile.h).
#include "provisioning_profile.h"

#include <algorithm>
#include <ctime>

#include "cms_signature.h"
#include "fmt/core.h"

namespace tediag::inspect {
namespace {

constexpr std::string_view kRestrictedPrefixes[] = {"com.apple.developer."};
constexpr std::string_view kRestrictedKeys[] = {"com.apple.application-identifier", "keychain-access-groups",
                                                "application-identifier", "aps-environment"};

std::vector<std::string> Strings(const PlistValue* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (v->kind == PlistValue::Kind::kString) out.push_back(v->text);
  for (const PlistValue& item : v->array)
    if (item.kind == PlistValue::Kind::kString) out.push_back(item.text);
  return out;
}

// Whether the profile's `allowed` value permits the single claimed scalar `claimed`.
bool ScalarAllowed(const PlistValue& claimed, const PlistValue& allowed) {
  if (allowed.kind == PlistValue::Kind::kArray)
    return std::any_of(allowed.array.begin(), allowed.array.end(),
                       [&](const PlistValue& a) { return ScalarAllowed(claimed, a); });
  if (allowed.kind == PlistValue::Kind::kString && claimed.kind == PlistValue::Kind::kString) {
    std::string_view pattern = allowed.text;
    if (pattern.ends_with('*'))
      return std::string_view(claimed.text).starts_with(pattern.substr(0, pattern.size() - 1));
    return claimed.text == allowed.text;
  }
  if (claimed.kind == PlistValue::Kind::kBool) return !claimed.boolean || allowed.IsTrue();
  return claimed.kind == allowed.kind && claimed.text == allowed.text && claimed.integer == allowed.integer;
}

bool ValueAllowed(const PlistValue& claimed, const PlistValue& allowed) {
  if (claimed.kind != PlistValue::Kind::kArray) return ScalarAllowed(claimed, allowed);
  return std::all_of(claimed.array.begin(), claimed.array.end(),
                     [&](const PlistValue& c) { return ScalarAllowed(c, allowed); });
}

std::string ValueText(const PlistValue& v) {
  switch (v.kind) {
    case PlistValue::Kind::kBool: return v.boolean ? "true" : "false";
    case PlistValue::Kind::kInteger: return fmt::format("{}", v.integer);
    case PlistValue::Kind::kArray: {
      std::string out = "[";
      for (const PlistValue& item : v.array) out += (out.size() > 1 ? ", " : "") + ValueText(item);
      return out + "]";
    }
    case PlistValue::Kind::kDict: return "{…}";
    default: return v.text;
  }
}

void CheckEntitlements(const std::optional<PlistValue>& entitlements, const ProvisioningProfile* profile,
                       std::vector<ProfileProblem>& out) {
  if (!entitlements) return;
  for (const PlistEntry& e : entitlements->dict) {
    if (!IsRestrictedEntitlement(e.key)) continue;
    if (profile == nullptr) {
      out.push_back({"restricted-entitlement",
                     fmt::format("claims the restricted entitlement {} = {} but the bundle has no "
                                 "embedded.provisionprofile to allow it: amfid refuses the signature and the "
                                 "app is killed at launch",
                                 e.key, ValueText(e.value))});
      continue;
    }
    const PlistValue* allowed = profile->entitlements.Find(e.key);
    if (allowed == nullptr) {
      out.push_back({"restricted-entitlement",
                     fmt::format("claims the restricted entitlement {} = {}, which the embedded provisioning "
                                 "profile \"{}\" does not allow: amfid kills the app at launch",
                                 e.key, ValueText(e.value), profile->name)});
    } else if (!ValueAllowed(e.value, *allowed)) {
      out.push_back({"restricted-entitlement",
                     fmt::format("claims {} = {}, but the provisioning profile \"{}\" allows only {}: amfid kills "
                                 "the app at launch",
                                 e.key, ValueText(e.value), profile->name, ValueText(*allowed))});
    }
  }
}

}  // namespace

std::vector<ProfileProblem> RestrictedOutsideABundle(const std::optional<PlistValue>& entitlements) {
  std::vector<ProfileProblem> out;
  if (!entitlements) return out;
  for (const PlistEntry& e : entitlements->dict) {
    if (!IsRestrictedEntitlement(e.key)) continue;
    out.push_back({"restricted-entitlement",
                   fmt::format("claims the restricted entitlement {} = {} but is an executable outside any bundle: "
                               "only a provisioning profile can allow it and such an executable cannot carry one, so "
                               "amfid refuses the signature and it is killed at launch; ship it inside an app-like "
                               "bundle (Contents/MacOS, Contents/Info.plist, Contents/embedded.provisionprofile)",
                               e.key, ValueText(e.value))});
  }
  return out;
}

bool IsRestrictedEntitlement(std::string_view key) {
  for (std::string_view prefix : kRestrictedPrefixes)
    if (key.starts_with(prefix)) return true;
  return std::find(std::begin(kRestrictedKeys), std::end(kRestrictedKeys), key) != std::end(kRestrictedKeys);
}

absl::StatusOr<ProvisioningProfile> ParseProvisioningProfile(Bytes der) {
  auto cms = ReadCmsContent(der);
  if (!cms.ok()) return cms.status();
  auto plist = ParsePlist(AsBytes(cms->content));
  if (!plist.ok()) return absl::InvalidArgumentError("the profile's plist: " + std::string(plist.status().message()));
  if (plist->kind != PlistValue::Kind::kDict) return absl::InvalidArgumentError("the profile's plist is not a dict");
  ProvisioningProfile p;
  auto text = [&](std::string_view key) {
    const PlistValue* v = plist->Find(key);
    return v != nullptr && (v->kind == PlistValue::Kind::kString || v->kind == PlistValue::Kind::kDate) ? v->text : "";
  };
  p.name = text("Name");
  p.uuid = text("UUID");
  p.team_name = text("TeamName");
  p.creation = text("CreationDate");
  p.expiration = text("ExpirationDate");
  p.teams = Strings(plist->Find("TeamIdentifier"));
  p.platforms = Strings(plist->Find("Platform"));
  if (const PlistValue* e = plist->Find("Entitlements"); e != nullptr && e->kind == PlistValue::Kind::kDict)
    p.entitlements = *e;
  p.entitlements.kind = PlistValue::Kind::kDict;
  if (const PlistValue* d = plist->Find("ProvisionedDevices")) p.devices = d->array.size();
  p.all_devices = plist->Find("ProvisionsAllDevices") != nullptr && plist->Find("ProvisionsAllDevices")->IsTrue();
  p.signer = cms->signer;
  return p;
}

std::vector<ProfileProblem> CompareWithProfile(const std::optional<PlistValue>& entitlements, std::string_view team,
                                               const ProvisioningProfile* profile, std::string_view now) {
  std::vector<ProfileProblem> out;
  CheckEntitlements(entitlements, profile, out);
  if (profile == nullptr) return out;
  // ISO 8601 times in UTC ("2027-01-01T00:00:00Z") compare as text.
  if (!profile->expiration.empty() && profile->expiration < now)
    out.push_back({"profile-expired",
                   fmt::format("the embedded provisioning profile \"{}\" expired on {}: the restricted entitlements "
                               "it allows are no longer honoured and the app is killed at launch",
                               profile->name, profile->expiration)});
  if (!team.empty() && !profile->teams.empty() &&
      std::find(profile->teams.begin(), profile->teams.end(), team) == profile->teams.end())
    out.push_back({"profile-team-mismatch",
                   fmt::format("the embedded provisioning profile \"{}\" is for team {}, but the code is signed by "
                               "team {}: the profile cannot authorise its entitlements",
                               profile->name, profile->teams.front(), team)});
  if (profile->devices && !profile->all_devices)
    out.push_back({"profile-devices",
                   fmt::format("the embedded provisioning profile \"{}\" is a development profile for {} listed "
                               "devices: the app launches only on those Macs (a Developer ID profile provisions all "
                               "devices)",
                               profile->name, *profile->devices)});
  return out;
}

std::string NowIso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

}  // namespace tediag::inspect
