// embedded.provisionprofile decoding and its comparison with the executable's entitlements, and
// the requirements in their text form (real signatures from the npm registry).
//
// No real provisioning profile is in the npm fixtures, and none is committed: the profiles here
// are INVENTED, made by the test as a self-signed CMS SignedData (OpenSSL) over an XML plist of
// the shape TN3125 documents (Name, UUID, TeamIdentifier, ExpirationDate, Entitlements,
// ProvisionedDevices / ProvisionsAllDevices). The team IDs and UUIDs are made up.
#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>

#include "bundle_inspector.h"
#include "code_signature.h"
#include "inspect/npm_fixtures.h"
#include "macho.h"
#include "provisioning_profile.h"
#include "requirements.h"

namespace tediag::inspect {
namespace {
namespace fs = std::filesystem;

// A self-signed CMS SignedData embedding `content` (an invented profile's plist).
std::string SignedContent(const std::string& content) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Invented Profile Signing (test)"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  BIO* in = BIO_new_mem_buf(content.data(), static_cast<int>(content.size()));
  CMS_ContentInfo* cms = CMS_sign(cert, key, nullptr, in, CMS_BINARY);
  unsigned char* der = nullptr;
  int n = cms ? i2d_CMS_ContentInfo(cms, &der) : 0;
  std::string out(reinterpret_cast<char*>(der), n > 0 ? static_cast<size_t>(n) : 0);
  OPENSSL_free(der);
  CMS_ContentInfo_free(cms);
  BIO_free(in);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

// An invented profile's plist: `team`, expiring at `expires`, allowing `entitlements` (plist XML
// of the dict's insides), for `devices` devices (0: ProvisionsAllDevices).
std::string ProfilePlist(const std::string& team, const std::string& expires, const std::string& entitlements,
                         int devices) {
  std::string devs = "<key>ProvisionsAllDevices</key><true/>";
  if (devices > 0) {
    devs = "<key>ProvisionedDevices</key><array>";
    for (int i = 0; i < devices; ++i) devs += "<string>00008103-00000000000000" + std::to_string(10 + i) + "</string>";
    devs += "</array>";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
         "<plist version=\"1.0\"><dict>"
         "<key>AppIDName</key><string>Invented App</string>"
         "<key>CreationDate</key><date>2024-01-01T00:00:00Z</date>"
         "<key>Platform</key><array><string>OSX</string></array>"
         "<key>Entitlements</key><dict>" +
         entitlements +
         "</dict>"
         "<key>ExpirationDate</key><date>" +
         expires +
         "</date>"
         "<key>Name</key><string>Invented Mac Profile</string>" +
         devs + "<key>TeamIdentifier</key><array><string>" + team +
         "</string></array>"
         "<key>TeamName</key><string>Invented Team</string>"
         "<key>UUID</key><string>00000000-1111-2222-3333-444444444444</string>"
         "<key>Version</key><integer>1</integer>"
         "</dict></plist>\n";
}

PlistValue Entitlements(const std::string& inner) {
  std::string xml = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>" + inner + "</dict></plist>";
  auto plist = ParsePlist(AsBytes(xml));
  EXPECT_TRUE(plist.ok()) << plist.status();
  return plist.ok() ? *plist : PlistValue{};
}

const std::string kKeychain =
    "<key>keychain-access-groups</key><array><string>AB12CD34EF.com.example.shared</string></array>";
const std::string kTeamEnt = "<key>com.apple.developer.team-identifier</key><string>AB12CD34EF</string>";
const std::string kSandbox = "<key>com.apple.security.app-sandbox</key><true/>";

TEST(InspectProfile, DecodesTheInventedProfile) {
  std::string der = SignedContent(ProfilePlist("AB12CD34EF", "2099-01-01T00:00:00Z", kTeamEnt + kKeychain, 2));
  auto profile = ParseProvisioningProfile(AsBytes(der));
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->name, "Invented Mac Profile");
  EXPECT_EQ(profile->uuid, "00000000-1111-2222-3333-444444444444");
  EXPECT_EQ(profile->teams, std::vector<std::string>{"AB12CD34EF"});
  EXPECT_EQ(profile->platforms, std::vector<std::string>{"OSX"});
  EXPECT_EQ(profile->expiration, "2099-01-01T00:00:00Z");
  EXPECT_EQ(profile->devices, 2u);
  EXPECT_FALSE(profile->all_devices);
  ASSERT_EQ(profile->entitlements.dict.size(), 2u);
  EXPECT_EQ(profile->entitlements.dict[1].key, "keychain-access-groups");
  EXPECT_NE(profile->signer.find("Invented Profile Signing (test)"), std::string::npos) << profile->signer;
}

TEST(InspectProfile, BrokenProfilesFailAsAWhole) {
  EXPECT_FALSE(ParseProvisioningProfile(AsBytes(std::string("not der"))).ok());
  std::string der = SignedContent("this is not a plist");
  EXPECT_FALSE(ParseProvisioningProfile(AsBytes(der)).ok());
  for (size_t n = 0; n < der.size(); n += 7) (void)ParseProvisioningProfile(AsBytes(der.substr(0, n)));
}

TEST(InspectProfile, RestrictedEntitlementsNeedAProfile) {
  EXPECT_TRUE(IsRestrictedEntitlement("com.apple.developer.team-identifier"));
  EXPECT_TRUE(IsRestrictedEntitlement("keychain-access-groups"));
  EXPECT_TRUE(IsRestrictedEntitlement("com.apple.application-identifier"));
  EXPECT_FALSE(IsRestrictedEntitlement("com.apple.security.app-sandbox"));
  EXPECT_FALSE(IsRestrictedEntitlement("com.apple.security.cs.allow-jit"));
  auto problems =
      CompareWithProfile(Entitlements(kSandbox + kTeamEnt + kKeychain), "AB12CD34EF", nullptr, "2026-12-02T00:00:00Z");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].code, "restricted-entitlement");
  EXPECT_NE(problems[0].detail.find("com.apple.developer.team-identifier = AB12CD34EF"), std::string::npos);
  EXPECT_NE(problems[1].detail.find("keychain-access-groups = [AB12CD34EF.com.example.shared]"), std::string::npos);
  EXPECT_NE(problems[1].detail.find("no embedded.provisionprofile"), std::string::npos);
  // Unrestricted entitlements alone need nothing.
  EXPECT_TRUE(CompareWithProfile(Entitlements(kSandbox), "AB12CD34EF", nullptr, "2026-12-02T00:00:00Z").empty());
}

// An executable outside a bundle (a command-line tool, a daemon) can have no profile: each
// restricted entitlement it claims is a problem, the others none.
TEST(InspectProfile, OutsideABundleNoRestrictedEntitlementCanBeAllowed) {
  auto problems = RestrictedOutsideABundle(Entitlements(kSandbox + kTeamEnt + kKeychain));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].code, "restricted-entitlement");
  EXPECT_NE(problems[0].detail.find("com.apple.developer.team-identifier = AB12CD34EF but is an executable outside "
                                    "any bundle"),
            std::string::npos)
      << problems[0].detail;
  EXPECT_NE(problems[1].detail.find("keychain-access-groups"), std::string::npos);
  EXPECT_TRUE(RestrictedOutsideABundle(Entitlements(kSandbox)).empty());
  EXPECT_TRUE(RestrictedOutsideABundle(std::nullopt).empty());
}

TEST(InspectProfile, ValuesAreMatchedWithWildcards) {
  auto profile = [](const std::string& allowed) {
    auto p = ParseProvisioningProfile(
        AsBytes(SignedContent(ProfilePlist("AB12CD34EF", "2099-01-01T00:00:00Z", allowed, 0))));
    EXPECT_TRUE(p.ok());
    return *p;
  };
  PlistValue claimed = Entitlements(kTeamEnt + kKeychain);
  auto ok = profile(kTeamEnt + "<key>keychain-access-groups</key><array><string>AB12CD34EF.*</string></array>");
  EXPECT_TRUE(CompareWithProfile(claimed, "AB12CD34EF", &ok, "2026-12-02T00:00:00Z").empty());
  auto other = profile(kTeamEnt + "<key>keychain-access-groups</key><array><string>ZZ99ZZ99ZZ.*</string></array>");
  auto problems = CompareWithProfile(claimed, "AB12CD34EF", &other, "2026-12-02T00:00:00Z");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].detail.find("allows only [ZZ99ZZ99ZZ.*]"), std::string::npos) << problems[0].detail;
  auto lacking = profile(kTeamEnt);
  problems = CompareWithProfile(claimed, "AB12CD34EF", &lacking, "2026-12-02T00:00:00Z");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].detail.find("keychain-access-groups"), std::string::npos);
  EXPECT_NE(problems[0].detail.find("does not allow"), std::string::npos);
}

TEST(InspectProfile, ExpiredOtherTeamAndDevelopmentProfiles) {
  auto p =
      ParseProvisioningProfile(AsBytes(SignedContent(ProfilePlist("ZZ99ZZ99ZZ", "2025-06-30T12:00:00Z", kTeamEnt, 3))));
  ASSERT_TRUE(p.ok());
  auto problems = CompareWithProfile(Entitlements(kTeamEnt), "AB12CD34EF", &*p, "2026-12-02T00:00:00Z");
  std::vector<std::string> codes;
  for (const auto& problem : problems) codes.push_back(problem.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"profile-expired", "profile-team-mismatch", "profile-devices"}));
  EXPECT_NE(problems[0].detail.find("expired on 2025-06-30T12:00:00Z"), std::string::npos);
  EXPECT_NE(problems[1].detail.find("for team ZZ99ZZ99ZZ, but the code is signed by team AB12CD34EF"),
            std::string::npos);
  EXPECT_NE(problems[2].detail.find("3 listed devices"), std::string::npos);
  // Before it expires, the same profile is not expired.
  problems = CompareWithProfile(Entitlements(kTeamEnt), "ZZ99ZZ99ZZ", &*p, "2025-06-30T11:59:59Z");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, "profile-devices");
}

// The real 2012 Developer ID app (team LS4R756LZZ in its certificate) with an invented, expired
// development profile of another team placed in it.
TEST(InspectProfile, EmbeddedInARealApp) {
  TEDIAG_NEED_NPM(pkg, "osx-notifier@0.2.2");
  fs::path app = test::FreshDir("profile") / "terminal-notifier-pass.app";
  fs::copy(pkg / "osx/terminal-notifier-pass.app", app, fs::copy_options::recursive);
  std::ofstream(app / "Contents/embedded.provisionprofile", std::ios::binary)
      << SignedContent(ProfilePlist("ZZ99ZZ99ZZ", "2020-01-01T00:00:00Z", kTeamEnt, 1));
  Observations out;
  InspectPath(app, out);
  std::string lines = ObservationText(out.list());
  std::string at = app.string() + "/Contents/embedded.provisionprofile: ";
  EXPECT_NE(lines.find("tediag-inspect: provisioning-profile: " + at +
                       "name=\"Invented Mac Profile\" uuid=00000000-1111-2222-3333-444444444444 team=ZZ99ZZ99ZZ "
                       "expires=2020-01-01T00:00:00Z devices=1 entitlements=com.apple.developer.team-identifier"),
            std::string::npos)
      << lines;
  EXPECT_NE(lines.find("tediag-inspect: profile-expired: " + at), std::string::npos) << lines;
  EXPECT_NE(lines.find("tediag-inspect: profile-team-mismatch: " + at +
                       "the embedded provisioning profile \"Invented Mac Profile\" is for team ZZ99ZZ99ZZ, but the "
                       "code is signed by team LS4R756LZZ"),
            std::string::npos)
      << lines;
  EXPECT_NE(lines.find("tediag-inspect: profile-devices: " + at), std::string::npos) << lines;
  // A profile that is not CMS is a finding, not a crash.
  std::ofstream(app / "Contents/embedded.provisionprofile", std::ios::binary) << "<plist>not signed</plist>";
  Observations broken;
  InspectPath(app, broken);
  EXPECT_TRUE(broken.HasFinding("profile-malformed"));
}

// Requirements in their text form, from real Developer ID signatures.
std::string Fact(const std::vector<Observation>& list, std::string_view code, std::string_view arch) {
  for (const Observation& o : list)
    if (o.code == code && (arch.empty() || o.arch == arch)) return o.detail;
  return "<none>";
}

TEST(InspectRequirements, DeveloperIdDesignatedRequirement) {
  TEDIAG_NEED_NPM(pkg, "@sentry/cli-darwin@3.8.0");
  Observations out;
  InspectPath(pkg / "bin/sentry-cli", out);
  EXPECT_EQ(Fact(out.list(), "requirement", "x86_64"),
            "designated => identifier \"sentry-cli-Darwin-universal\" and anchor apple generic and certificate "
            "1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] "
            "/* exists */ and certificate leaf[subject.OU] = \"97JCY7859U\"");
}

TEST(InspectRequirements, OldDeveloperIdApp) {
  TEDIAG_NEED_NPM(pkg, "osx-notifier@0.2.2");
  Observations out;
  InspectPath(pkg / "osx/terminal-notifier-pass.app", out);
  // The form Xcode 4 wrote for Developer ID: Mac App Store (6.1.9) or Developer ID (6.2.6 + 6.1.13).
  EXPECT_EQ(Fact(out.list(), "requirement", ""),
            "designated => anchor apple generic and identifier \"nl.superalloy.oss.success.terminal-notifier\" and "
            "(certificate leaf[field.1.2.840.113635.100.6.1.9] /* exists */ or certificate "
            "1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] "
            "/* exists */ and certificate leaf[subject.OU] = LS4R756LZZ)");
}

TEST(InspectRequirements, AdhocCodesignHasAnEmptySet) {
  TEDIAG_NEED_NPM(pkg, "@swc/core-darwin-arm64@1.16.22");
  Observations out;
  InspectPath(pkg / "swc.darwin-arm64.node", out);
  EXPECT_EQ(Fact(out.list(), "requirement", "arm64"), "none (an empty requirement set)");
}

// A real requirement set (sentry-cli's), every truncation and many one-byte changes of it: each
// decodes or fails with a reason, never reads outside (the sanitizer build checks the reads).
TEST(InspectRequirements, MutationsOfARealBlobAreHandled) {
  TEDIAG_NEED_NPM(pkg, "@sentry/cli-darwin@3.8.0");
  std::ifstream in(pkg / "bin/sentry-cli", std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), {});
  auto macho = ParseMachO(AsBytes(file));
  ASSERT_TRUE(macho.ok());
  const MachOSlice& slice = macho->slices.front();
  auto blob = SubSpan(AsBytes(file), slice.offset + *slice.signature_offset, slice.signature_size);
  ASSERT_TRUE(blob);
  auto sig = ParseCodeSignature(*blob);
  ASSERT_TRUE(sig.ok() && sig->requirements);
  std::string reqs(AsText(*sig->requirements));
  ASSERT_TRUE(DecodeRequirements(AsBytes(reqs)).ok());
  for (size_t n = 0; n < reqs.size(); ++n) (void)DecodeRequirements(AsBytes(reqs.substr(0, n)));
  uint32_t state = 12345;
  size_t decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string mutated = reqs;
    state = state * 1103515245 + 12345;
    mutated[(state >> 8) % mutated.size()] = static_cast<char>(state >> 24);
    auto out = DecodeRequirements(AsBytes(mutated));
    if (out.ok())
      for (const RequirementText& r : *out) decoded += r.error.empty();
  }
  EXPECT_GT(decoded, 0u);
}

// Expressions built here from the opcode table: precedence, negation, every argument kind.
std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string Data(std::string_view s) {
  std::string out = Be32(static_cast<uint32_t>(s.size())) + std::string(s);
  while (out.size() % 4) out += '\0';
  return out;
}

TEST(InspectRequirements, ExpressionsFromTheOpcodeTable) {
  auto text = [](const std::string& expr) {
    auto t = DecodeRequirementExpression(AsBytes(expr));
    return t.ok() ? *t : "error: " + std::string(t.status().message());
  };
  // (anchor apple or identifier x) and ! info[K] exists
  std::string e = Be32(6) + Be32(7) + Be32(3) + Be32(2) + Data("x") + Be32(9) + Be32(10) + Data("K") + Be32(0);
  EXPECT_EQ(text(e), "(anchor apple or identifier x) and ! info[K] /* exists */");
  EXPECT_EQ(text(Be32(11) + Be32(0xffffffff) + Data("subject.CN") + Be32(3) + Data("Apple")),
            "certificate root[subject.CN] = \"Apple*\"");
  EXPECT_EQ(text(Be32(8) + Data("\x01\xab")), "cdhash H\"01ab\"");
  EXPECT_EQ(text(Be32(16) + Data("com.apple.security.app-sandbox") + Be32(1) + Data("true")),
            "entitlement[com.apple.security.app-sandbox] = true");
  EXPECT_EQ(text(Be32(21)), "notarized");
  EXPECT_EQ(text(Be32(99)).rfind("error: unknown opcode 0x63", 0), 0u);
  EXPECT_EQ(text(Be32(6) + Be32(1)).rfind("error: truncated", 0), 0u);
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += Be32(9);
  EXPECT_NE(text(deep + Be32(1)).find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace tediag::inspect
