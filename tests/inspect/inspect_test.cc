// tediag inspect on real macOS binaries from the npm registry (signing states measured in
// ../shared/docs/NOTES-LOGARCHIVE-AND-SIGNING.md §B.3) and on mutated copies of them.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/wait.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "apple_root.h"
#include "bundle_inspector.h"
#include "code_signature.h"
#include "inspect/npm_fixtures.h"
#include "macho.h"
#include "plist.h"

namespace tediag::inspect {
namespace {
namespace fs = std::filesystem;

using ::tediag::test::Inspect;

// Observations of `code` (and of `arch`, when given).
std::vector<Observation> With(const std::vector<Observation>& list, std::string_view code, std::string_view arch = {}) {
  std::vector<Observation> out;
  for (const Observation& o : list)
    if (o.code == code && (arch.empty() || o.arch == arch)) out.push_back(o);
  return out;
}

std::string Detail(const std::vector<Observation>& list, std::string_view code, std::string_view arch = {}) {
  auto found = With(list, code, arch);
  return found.empty() ? std::string("<no " + std::string(code) + ">") : found.front().detail;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void WriteAll(const fs::path& p, const std::string& data) { std::ofstream(p, std::ios::binary) << data; }

fs::path CopyApp(const fs::path& app, const std::string& tag) {
  fs::path dir = test::FreshDir(tag);
  fs::copy(app, dir / app.filename(), fs::copy_options::recursive);
  return dir / app.filename();
}

TEST(InspectAppleRoot, PinnedCertificateHasApplesFingerprint) {
  std::string_view pem = AppleRootCaPem();
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  ASSERT_NE(cert, nullptr);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  EXPECT_EQ(Hex(Bytes(md, n)), "b0b1730ecbc7ff4505142c49f1295e6eda6bcaed7e2c68c5be91b5a11001f024");
  X509_free(cert);
  BIO_free(bio);
}

TEST(InspectNpm, FseventsUniversalUnsignedAndLinkerSigned) {
  TEDIAG_NEED_NPM(pkg, "fsevents@2.3.3");
  auto obs = Inspect(pkg / "fsevents.node");
  EXPECT_EQ(Detail(obs, "macho"), "universal: x86_64, arm64");
  EXPECT_EQ(With(obs, "unsigned", "x86_64").size(), 1u);
  EXPECT_TRUE(With(obs, "unsigned", "arm64").empty());
  std::string cd = Detail(obs, "code-directory", "arm64");
  EXPECT_NE(cd.find("identifier=fsevents.node team=none flags=0x20002(adhoc,linker-signed) version=0x20400 "
                    "hash=sha256 page-size=4096"),
            std::string::npos)
      << cd;
  EXPECT_EQ(Detail(obs, "code-pages", "arm64"), "16 of 16 code pages match");
  EXPECT_NE(Detail(obs, "adhoc-signed", "arm64").find("linker-signed"), std::string::npos);
}

TEST(InspectNpm, FlippedCodeByteNamesThePage) {
  TEDIAG_NEED_NPM(pkg, "fsevents@2.3.3");
  fs::path copy = test::FreshDir("flip") / "fsevents.node";
  std::string bytes = ReadAll(pkg / "fsevents.node");
  auto macho = ParseMachO(AsBytes(bytes));
  ASSERT_TRUE(macho.ok());
  ASSERT_EQ(macho->slices.size(), 2u);
  size_t at = macho->slices[1].offset + 3 * 4096 + 100;  // page 3 of the arm64 slice
  bytes[at] = static_cast<char>(bytes[at] ^ 0x40);
  WriteAll(copy, bytes);
  auto obs = Inspect(copy);
  auto bad = With(obs, "page-hash-mismatch", "arm64");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].detail.find("code page 3 (bytes 0x3000-0x4000"), std::string::npos) << bad[0].detail;
  EXPECT_EQ(Detail(obs, "code-pages", "arm64"), "15 of 16 code pages match");
}

TEST(InspectNpm, StrippedSignatureIsUnsigned) {
  TEDIAG_NEED_NPM(pkg, "fsevents@2.3.3");
  std::string bytes = ReadAll(pkg / "fsevents.node");
  auto macho = ParseMachO(AsBytes(bytes));
  ASSERT_TRUE(macho.ok());
  // Turn the arm64 slice's LC_CODE_SIGNATURE (0x1d) into an unknown command, as a strip would remove it.
  size_t base = macho->slices[1].offset, p = base + 32, found = 0;
  uint32_t ncmds = *reinterpret_cast<const uint32_t*>(&bytes[base + 16]);
  for (uint32_t i = 0; i < ncmds; ++i) {
    uint32_t cmd, size;
    std::memcpy(&cmd, &bytes[p], 4);
    std::memcpy(&size, &bytes[p + 4], 4);
    if (cmd == 0x1d) bytes[p] = 0x7f, found = p;
    p += size;
  }
  ASSERT_NE(found, 0u);
  fs::path copy = test::FreshDir("strip") / "fsevents.node";
  WriteAll(copy, bytes);
  EXPECT_EQ(With(Inspect(copy), "unsigned").size(), 2u);
}

TEST(InspectNpm, DeveloperIdHardenedRuntimeUniversal) {
  TEDIAG_NEED_NPM(pkg, "@sentry/cli-darwin@3.8.0");
  auto obs = Inspect(pkg / "bin/sentry-cli");
  EXPECT_EQ(Detail(obs, "macho"), "universal: x86_64, arm64");
  for (std::string arch : {"x86_64", "arm64"}) {
    SCOPED_TRACE(arch);
    std::string cd = Detail(obs, "code-directory", arch);
    EXPECT_NE(cd.find("team=97JCY7859U flags=0x10000(runtime) version=0x20500 hash=sha256 page-size=4096"),
              std::string::npos)
        << cd;
    EXPECT_NE(cd.find("exec-seg-flags=0x1 main-binary runtime=26.5.0"), std::string::npos) << cd;
    EXPECT_NE(Detail(obs, "signer", arch)
                  .find("Developer ID Application: GetSentry LLC (97JCY7859U) (certificate team 97JCY7859U)"),
              std::string::npos);
    EXPECT_NE(Detail(obs, "chain", arch).find("reaches the pinned Apple Root CA"), std::string::npos);
    EXPECT_NE(Detail(obs, "timestamp", arch).find("secure timestamp 2026-09-16T14:16:5"), std::string::npos);
    EXPECT_EQ(Detail(obs, "entitlements", arch), "none (an empty dictionary)");
    std::string pages = Detail(obs, "code-pages", arch);
    EXPECT_EQ(pages.substr(0, pages.find(" of ")),
              pages.substr(pages.find(" of ") + 4, pages.find(" code") - pages.find(" of ") - 4));
  }
  EXPECT_NE(Detail(obs, "code-directory", "x86_64").find("identifier=sentry-cli-Darwin-universal"), std::string::npos);
  EXPECT_NE(Detail(obs, "code-directory", "arm64").find("identifier=sentry_cli-ed605fe0983d3ac0"), std::string::npos);
  for (const Observation& o : obs) EXPECT_EQ(o.kind, Observation::Kind::kFact) << o.code << ": " << o.detail;
}

TEST(InspectNpm, CodesignAdhocWithSixteenKilobytePages) {
  TEDIAG_NEED_NPM(pkg, "@swc/core-darwin-arm64@1.16.22");
  auto obs = Inspect(pkg / "swc.darwin-arm64.node");
  std::string cd = Detail(obs, "code-directory", "arm64");
  EXPECT_NE(cd.find("flags=0x2(adhoc) version=0x20400 hash=sha256 page-size=16384"), std::string::npos) << cd;
  EXPECT_NE(Detail(obs, "adhoc-signed").find("codesign -s -"), std::string::npos);
  EXPECT_TRUE(With(obs, "page-hash-mismatch").empty());
}

class InspectOldDeveloperIdApp : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pkg = test::NpmPackage("osx-notifier@0.2.2");
    if (!pkg) GTEST_SKIP() << "npm registry not reachable: could not fetch osx-notifier@0.2.2";
    app_ = CopyApp(*pkg / "osx/terminal-notifier-pass.app", "notifier");
  }
  fs::path app_;
};

TEST_F(InspectOldDeveloperIdApp, DescribesTheSignatureAndItsV1Seal) {
  auto obs = Inspect(app_);
  std::string cd = Detail(obs, "code-directory");
  EXPECT_NE(cd.find("identifier=nl.superalloy.oss.success.terminal-notifier team=none flags=0x0(none) version=0x20100 "
                    "hash=sha1 page-size=4096"),
            std::string::npos)
      << cd;
  EXPECT_NE(
      Detail(obs, "signer").find("Developer ID Application: Springest Corporate B.V. (certificate team LS4R756LZZ)"),
      std::string::npos);
  EXPECT_NE(Detail(obs, "chain").find("checked at the timestamp time"), std::string::npos);  // expired in 2017
  EXPECT_EQ(With(obs, "seal-v1").size(), 1u);
  EXPECT_EQ(Detail(obs, "seal"), "version 1 resource seal: 4 sealed items checked, 0 differences");
  EXPECT_EQ(With(obs, "no-hardened-runtime").size(), 1u);
  EXPECT_EQ(With(obs, "old-sdk").size(), 1u);
  EXPECT_TRUE(With(obs, "special-slot-mismatch").empty());
}

TEST_F(InspectOldDeveloperIdApp, EditedInfoPlistBreaksSlotOne) {
  std::string info = ReadAll(app_ / "Contents/Info.plist");
  info.replace(info.find("1.5.0"), 5, "1.5.1");
  WriteAll(app_ / "Contents/Info.plist", info);
  EXPECT_NE(Detail(Inspect(app_), "special-slot-mismatch").find("Info.plist hash (special slot -1)"),
            std::string::npos);
}

TEST_F(InspectOldDeveloperIdApp, ModifiedAddedAndRemovedResourcesAreNamed) {
  WriteAll(app_ / "Contents/Resources/en.lproj/Credits.rtf", "changed");
  WriteAll(app_ / "Contents/Resources/added.txt", "new");
  fs::remove(app_ / "Contents/Resources/Success.icns");
  auto obs = Inspect(app_);
  std::string base = app_.string() + "/Contents/";
  ASSERT_EQ(With(obs, "seal-modified").size(), 1u);
  EXPECT_EQ(With(obs, "seal-modified")[0].path, base + "Resources/en.lproj/Credits.rtf");
  ASSERT_EQ(With(obs, "seal-added").size(), 1u);
  EXPECT_EQ(With(obs, "seal-added")[0].path, base + "Resources/added.txt");
  ASSERT_EQ(With(obs, "seal-missing").size(), 1u);
  EXPECT_EQ(With(obs, "seal-missing")[0].path, base + "Resources/Success.icns");
}

TEST_F(InspectOldDeveloperIdApp, ExecutableWithoutItsXBit) {
  fs::permissions(app_ / "Contents/MacOS/terminal-notifier", fs::perms::owner_read | fs::perms::group_read);
  auto found = With(Inspect(app_), "not-executable");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].detail.find("mode 0440"), std::string::npos) << found[0].detail;
}

TEST_F(InspectOldDeveloperIdApp, BinaryInfoPlistIsReadAndStillBound) {
  // python3's plistlib writes the binary form; the slot-1 hash then no longer matches, as on a Mac.
  std::string cmd =
      "python3 -c \"import plistlib,sys; p=sys.argv[1]; d=plistlib.load(open(p,'rb')); "
      "plistlib.dump(d, open(p,'wb'), fmt=plistlib.FMT_BINARY)\" '" +
      (app_ / "Contents/Info.plist").string() + "'";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "python3 not available";
  auto obs = Inspect(app_);
  EXPECT_NE(Detail(obs, "bundle")
                .find("identifier=nl.superalloy.oss.success.terminal-notifier executable=terminal-notifier "
                      "version=1.5.0 info-plist=binary"),
            std::string::npos)
      << Detail(obs, "bundle");
  EXPECT_EQ(With(obs, "special-slot-mismatch").size(), 1u);
}

TEST(InspectNpm, UnsignedApp) {
  TEDIAG_NEED_NPM(pkg, "node-notifier@10.0.1");
  auto obs = Inspect(pkg / "vendor/mac.noindex/terminal-notifier.app");
  EXPECT_EQ(With(obs, "unsigned").size(), 1u);
  EXPECT_TRUE(With(obs, "not-stapled").empty());  // not said of unsigned code
}

TEST(InspectMachO, EveryTruncationOfARealFileIsHandled) {
  TEDIAG_NEED_NPM(pkg, "fsevents@2.3.3");
  std::string bytes = ReadAll(pkg / "fsevents.node");
  fs::path copy = test::FreshDir("trunc") / "fsevents.node";
  for (size_t n = 0; n < bytes.size(); n += 1531) {
    WriteAll(copy, bytes.substr(0, n));
    Inspect(copy);  // must return normally (ASan builds check the reads)
  }
}

TEST(InspectCli, JsonReportAndFailOnExitStatus) {
  TEDIAG_NEED_NPM(pkg, "fsevents@2.3.3");
  fs::path out = test::FreshDir("cli") / "report.json";
  std::string cmd = std::string(TEDIAG_BINARY) + " inspect --format json --fail-on error '" +
                    (pkg / "fsevents.node").string() + "' > '" + out.string() + "'";
  int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);  // unsigned x86_64 slice: an error-level finding
  std::string json = ReadAll(out);
  EXPECT_EQ(json.rfind("{", 0), 0u) << json.substr(0, 200);  // a JSON document, no fact lines before it
  EXPECT_NE(json.find("\"rule\": \"inspect-unsigned\""), std::string::npos);
  EXPECT_NE(json.find("inspect-adhoc-signed"), std::string::npos);
}

// Code scanning shows a result at its file: each SARIF location is the inspected Mach-O (at its
// first line, a binary having none), never the pseudo-input the findings were matched as.
TEST(InspectCli, SarifResultsPointAtTheInspectedFile) {
  TEDIAG_NEED_NPM(pkg, "fsevents@2.3.3");
  fs::path out = test::FreshDir("sarif") / "report.sarif";
  std::string cmd = std::string(TEDIAG_BINARY) + " inspect --format sarif '" + (pkg / "fsevents.node").string() +
                    "' > '" + out.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::string sarif = ReadAll(out);
  std::string uri = "\"uri\": \"file://" + (pkg / "fsevents.node").string() + "\"";
  size_t results = 0;
  for (size_t at = sarif.find("\"uri\""); at != std::string::npos; at = sarif.find("\"uri\"", at + 1)) {
    EXPECT_EQ(sarif.compare(at, uri.size(), uri), 0) << sarif.substr(at, 120);
    ++results;
  }
  EXPECT_EQ(results, 2u) << sarif;  // unsigned x86_64, linker-signed arm64
  EXPECT_NE(sarif.find("\"startLine\": 1"), std::string::npos);
}

}  // namespace
}  // namespace tediag::inspect
