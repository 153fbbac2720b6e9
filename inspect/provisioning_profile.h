// A bundle's `embedded.provisionprofile`: a CMS SignedData whose embedded content is an XML
// plist (TN3125). Read with OpenSSL without verifying Apple's signature (cms_signature.h), then
// the plist reader; and compared with the main executable's entitlements as amfid and
// taskgated do at launch: every restricted entitlement the code claims must be allowed by the
// profile (values matched, a trailing '*' in the profile a wildcard), the profile must not have
// expired, and its Team ID must be the code's.
//
// Restricted here: what Apple reserves for provisioned code on macOS: `com.apple.developer.*`,
// `com.apple.application-identifier`, `keychain-access-groups` and the iOS-style
// `application-identifier`, `aps-environment`; the `com.apple.security.*` entitlements are not
// (the App Sandbox and hardened-runtime keys need no profile).
//
// Untrusted input throughout; a malformed profile fails as a whole. Thread-safe (no state).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "byte_reader.h"
#include "plist.h"

namespace tediag::inspect {

struct ProvisioningProfile {
  std::string name;
  std::string uuid;
  std::string team_name;
  std::vector<std::string> teams;  // TeamIdentifier
  std::vector<std::string> platforms;
  std::string creation;           // ISO 8601, as the plist says, or empty
  std::string expiration;         // ExpirationDate, ISO 8601, or empty
  PlistValue entitlements;        // a dict (empty when the profile has none)
  std::optional<size_t> devices;  // ProvisionedDevices' count; nullopt: no such key
  bool all_devices = false;       // ProvisionsAllDevices (a Developer ID profile)
  std::string signer;             // the CMS signer's subject (not verified)
};

absl::StatusOr<ProvisioningProfile> ParseProvisioningProfile(Bytes der);

// Whether an entitlement key is one only a provisioning profile can allow.
bool IsRestrictedEntitlement(std::string_view key);

// One problem found by comparing: `code` is the tediag-inspect finding code.
struct ProfileProblem {
  std::string code;  // "restricted-entitlement", "profile-expired", "profile-team-mismatch", "profile-devices"
  std::string detail;
};

// Compares the code's `entitlements` (nullopt: none) and `team` with `profile` (nullptr: the
// bundle has none) at the time `now` (ISO 8601, "2026-12-02T03:00:00Z").
std::vector<ProfileProblem> CompareWithProfile(const std::optional<PlistValue>& entitlements, std::string_view team,
                                               const ProvisioningProfile* profile, std::string_view now);

// The restricted entitlements of an executable outside any bundle (a command-line tool, a
// daemon): no provisioning profile can go with it, so none of them can ever be allowed.
std::vector<ProfileProblem> RestrictedOutsideABundle(const std::optional<PlistValue>& entitlements);

// The current UTC time in ISO 8601.
std::string NowIso8601();

}  // namespace tediag::inspect
