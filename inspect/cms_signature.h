// The CMS signature of a code signature (SuperBlob slot 0x10000): a detached PKCS#7
// SignedData over the primary CodeDirectory. Checks, with OpenSSL: the signature over the
// CodeDirectory's bytes, the certificate chain up to the pinned Apple Root CA (apple_root.h),
// at the secure timestamp's time when there is one (as the system does), else now; the leaf's
// Developer ID Application marker (OID 1.2.840.113635.100.6.1.13); the signing time; and the
// RFC 3161 timestamp token (its time, and that its imprint is the digest of this signature).
//
// Apple marks its own certificate extensions critical; OpenSSL does not know them and would
// reject the chain. The check therefore ignores critical extensions only after confirming
// that every critical extension OpenSSL does not handle is under Apple's arc
// 1.2.840.113635; any other unknown critical extension is reported and fails the chain.
//
// Input is untrusted DER; OpenSSL parses it (its decoders are bounds-checked and fuzzed
// upstream). Nothing is fetched: no OCSP, no CRL (revocation needs Apple's servers).
// Cost: one signature and one chain verification. Thread-safe: no shared state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "byte_reader.h"

namespace tediag::inspect {

struct CmsCheck {
  bool parsed = false;             // false: not DER CMS (error says why)
  std::string error;               // parse failure
  std::vector<std::string> chain;  // certificate subjects (one-line), leaf first
  std::string signer;              // the leaf's common name: "Developer ID Application: NAME (TEAM)"
  std::string signer_team;         // the leaf's OU (the Team ID)
  bool developer_id = false;       // the leaf carries the Developer ID Application OID
  bool signature_ok = false;       // the signature verifies over the CodeDirectory
  std::string signature_error;
  bool chain_ok = false;  // the chain reaches the pinned Apple Root CA
  std::string chain_error;
  std::string chain_time;                     // when the chain was checked: "timestamp" or "now"
  std::optional<std::string> signing_time;    // the signed attribute (not trusted: set by the signer)
  std::optional<std::string> timestamp_time;  // the TSA token's time (trusted)
  std::optional<bool> timestamp_imprint_ok;   // the token covers this signature
  std::string timestamp_authority;            // the TSA certificate's subject
};

// Checks the CMS blob `der` against `code_directory` (the primary CodeDirectory's bytes).
// An empty `der` (an ad-hoc signature's empty CMS blob) gives parsed = false.
CmsCheck CheckCms(Bytes der, Bytes code_directory);

// What a CMS SignedData that embeds its content holds (a provisioning profile: a plist), read
// without verifying the signature: Apple signs profiles with a chain only a device checks.
struct CmsContent {
  std::string content;
  std::string signer;  // the first signer certificate's subject (one-line), or empty
};
// Fails as a whole when `der` is not DER CMS SignedData or embeds no content.
absl::StatusOr<CmsContent> ReadCmsContent(Bytes der);

}  // namespace tediag::inspect
