// CheckCms on the real CMS signature of @sentry/cli-darwin@3.8.0's arm64 slice (Developer ID,
// team 97JCY7859U) and on copies of it damaged by the test.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "cms_signature.h"
#include "code_signature.h"
#include "inspect/npm_fixtures.h"
#include "macho.h"

namespace tediag::inspect {
namespace {
namespace fs = std::filesystem;

class InspectCms : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pkg = test::NpmPackage("@sentry/cli-darwin@3.8.0");
    if (!pkg) GTEST_SKIP() << "npm registry not reachable: could not fetch @sentry/cli-darwin@3.8.0";
    std::ifstream in(*pkg / "bin/sentry-cli", std::ios::binary);
    file_.assign(std::istreambuf_iterator<char>(in), {});
    auto macho = ParseMachO(AsBytes(file_));
    ASSERT_TRUE(macho.ok());
    for (const MachOSlice& slice : macho->slices) {
      if (slice.cputype != kCpuTypeArm64 || !slice.signature_offset) continue;
      auto sig =
          ParseCodeSignature(AsBytes(file_).subspan(slice.offset + *slice.signature_offset, slice.signature_size));
      ASSERT_TRUE(sig.ok());
      ASSERT_TRUE(sig->cms.has_value());
      cms_.assign(reinterpret_cast<const char*>(sig->cms->data()), sig->cms->size());
      directory_ = sig->directories.front().blob;
    }
    ASSERT_FALSE(cms_.empty());
  }
  std::string file_, cms_;
  Bytes directory_;
};

TEST_F(InspectCms, RealSignatureVerifiesOverItsCodeDirectory) {
  CmsCheck check = CheckCms(AsBytes(cms_), directory_);
  EXPECT_TRUE(check.signature_ok) << check.signature_error;
  EXPECT_TRUE(check.chain_ok) << check.chain_error;
  EXPECT_EQ(check.signer_team, "97JCY7859U");
}

TEST_F(InspectCms, ChangedCodeDirectoryFailsTheSignature) {
  std::string changed(reinterpret_cast<const char*>(directory_.data()), directory_.size());
  changed[changed.size() / 2] ^= 1;
  CmsCheck check = CheckCms(AsBytes(cms_), AsBytes(changed));
  EXPECT_TRUE(check.parsed);
  EXPECT_FALSE(check.signature_ok);
  EXPECT_FALSE(check.signature_error.empty());
}

// SignedData.digestAlgorithms names an unknown digest (the first SHA-256 OID, 2.16.840.1.101.3.4.2.1,
// made 2.16.840.1.101.3.4.2.127; the SignerInfo's own keeps SHA-256). The signer's attributes still
// verify, then OpenSSL cannot set up the content digests: the signature fails. OpenSSL 3.0's
// CMS_verify leaked its copy of a memory content BIO on this path (found by the macho fuzz
// target); a leak-checking build (TEDIAG_SANITIZE) fails this test if that comes back.
TEST_F(InspectCms, UnknownDigestAlgorithmFailsTheSignatureWithoutLeaking) {
  static constexpr char kSha256Oid[] = "\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01";
  size_t at = cms_.find(std::string_view(kSha256Oid, sizeof kSha256Oid - 1));
  ASSERT_NE(at, std::string::npos);
  std::string damaged = cms_;
  damaged[at + 10] = 0x7f;
  CmsCheck check = CheckCms(AsBytes(damaged), directory_);
  EXPECT_TRUE(check.parsed);
  EXPECT_FALSE(check.signature_ok);
  EXPECT_NE(check.signature_error.find("unsupported"), std::string::npos) << check.signature_error;
}

}  // namespace
}  // namespace tediag::inspect
