// CMS signer, chain and timestamp checks with OpenSSL (cms_signature.h).
#include "cms_signature.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "apple_root.h"
#include "fmt/core.h"

namespace tediag::inspect {
namespace {

template <auto F>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    F(p);
  }
};
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, Deleter<PKCS7_free>>;
using TstPtr = std::unique_ptr<TS_TST_INFO, Deleter<TS_TST_INFO_free>>;
struct CertsDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using CertsPtr = std::unique_ptr<STACK_OF(X509), CertsDeleter>;

constexpr const char* kDeveloperIdApplicationOid = "1.2.840.113635.100.6.1.13";
constexpr std::string_view kAppleArc = "1.2.840.113635.";

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

std::string NameText(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

std::string NameEntry(X509* cert, int nid) {
  char buf[512];
  int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), nid, buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

std::optional<std::string> TimeText(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

// Critical extensions OpenSSL does not handle, outside Apple's arc.
std::vector<std::string> ForeignCriticalExtensions(STACK_OF(X509) * certs) {
  std::vector<std::string> out;
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    X509* cert = sk_X509_value(certs, i);
    for (int e = 0; e < X509_get_ext_count(cert); ++e) {
      X509_EXTENSION* ext = X509_get_ext(cert, e);
      if (!X509_EXTENSION_get_critical(ext) || X509_supported_extension(ext)) continue;
      char oid[128];
      OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(ext), 1);
      if (!std::string_view(oid).starts_with(kAppleArc)) out.push_back(oid);
    }
  }
  return out;
}

void CheckTimestamp(CMS_SignerInfo* si, CmsCheck& out) {
  int index = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
  if (index < 0) return;
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, index), 0);
  if (value == nullptr || value->type != V_ASN1_SEQUENCE) return;
  const unsigned char* p = value->value.sequence->data;
  Pkcs7Ptr token(d2i_PKCS7(nullptr, &p, value->value.sequence->length));
  if (!token) return;
  TstPtr info(PKCS7_to_TS_TST_INFO(token.get()));
  if (!info) return;
  out.timestamp_time = TimeText(TS_TST_INFO_get_time(info.get()));
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info.get());
  const EVP_MD* md = EVP_get_digestbyobj(TS_MSG_IMPRINT_get_algo(imprint)->algorithm);
  ASN1_OCTET_STRING* signature = CMS_SignerInfo_get0_signature(si);
  if (md != nullptr && signature != nullptr) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(signature->data, static_cast<size_t>(signature->length), digest, &size, md, nullptr);
    ASN1_OCTET_STRING* stored = TS_MSG_IMPRINT_get_msg(imprint);
    out.timestamp_imprint_ok =
        static_cast<unsigned>(stored->length) == size && std::equal(digest, digest + size, stored->data);
  }
  if (PKCS7_type_is_signed(token.get()) && token->d.sign != nullptr) {
    STACK_OF(X509)* signers = PKCS7_get0_signers(token.get(), nullptr, 0);
    if (signers != nullptr && sk_X509_num(signers) > 0)
      out.timestamp_authority = NameText(X509_get_subject_name(sk_X509_value(signers, 0)));
    sk_X509_free(signers);
  }
  ERR_clear_error();
}

void CheckChain(X509* leaf, STACK_OF(X509) * certs, CmsCheck& out) {
  std::vector<std::string> foreign = ForeignCriticalExtensions(certs);
  if (!foreign.empty()) {
    out.chain_error = fmt::format("unknown critical extension {}", foreign.front());
    return;
  }
  StorePtr store(X509_STORE_new());
  std::string_view pem = AppleRootCaPem();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr root(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!root || X509_STORE_add_cert(store.get(), root.get()) != 1) {
    out.chain_error = "the pinned Apple Root CA could not be loaded: " + OpenSslError();
    return;
  }
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, certs) != 1) {
    out.chain_error = OpenSslError();
    return;
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_IGNORE_CRITICAL);
  out.chain_time = "now";
  if (out.timestamp_time && out.timestamp_imprint_ok.value_or(false)) {
    std::tm tm{};
    if (sscanf(out.timestamp_time->c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) == 6) {
      tm.tm_year -= 1900;
      tm.tm_mon -= 1;
      X509_VERIFY_PARAM_set_time(param, timegm(&tm));
      out.chain_time = "timestamp";
    }
  }
  out.chain_ok = X509_verify_cert(ctx.get()) == 1;
  if (!out.chain_ok) out.chain_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

// CMS_verify over the detached `content`. OpenSSL 3.0's CMS_verify copies a memory BIO it is
// given into a read-only one of its own and, when the SignedData's digest BIOs cannot be set up
// (an unknown digestAlgorithm), returns without freeing that copy. The content is therefore
// handed over behind a pass-through null filter: CMS_verify then reads it in place and makes no
// copy; the signature is checked over the same bytes, with the same result.
bool VerifyDetached(CMS_ContentInfo* cms, Bytes content) {
  BioPtr chain(BIO_new(BIO_f_null()));
  BIO* memory = BIO_new_mem_buf(content.data(), static_cast<int>(content.size()));
  if (!chain || memory == nullptr) {
    BIO_free(memory);
    return false;
  }
  BIO_push(chain.get(), memory);  // `chain` now owns `memory` (freed by BIO_free_all)
  bool ok = CMS_verify(cms, nullptr, nullptr, chain.get(), nullptr, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
  BIO_free_all(chain.release());
  return ok;
}

}  // namespace

CmsCheck CheckCms(Bytes der, Bytes code_directory) {
  CmsCheck out;
  if (der.empty()) {
    out.error = "empty (an ad-hoc signature)";
    return out;
  }
  const unsigned char* p = der.data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!cms) {
    out.error = "not a DER CMS structure: " + OpenSslError();
    return out;
  }
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  if (signers == nullptr || sk_CMS_SignerInfo_num(signers) == 0) {
    out.error = "the CMS structure has no signer";
    return out;
  }
  out.parsed = true;
  CertsPtr certs(CMS_get1_certs(cms.get()));
  CMS_set1_signers_certs(cms.get(), nullptr, 0);
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
  X509* leaf = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, &leaf, nullptr, nullptr);
  if (leaf != nullptr) {
    out.signer = NameEntry(leaf, NID_commonName);
    out.signer_team = NameEntry(leaf, NID_organizationalUnitName);
    ASN1_OBJECT* oid = OBJ_txt2obj(kDeveloperIdApplicationOid, 1);
    out.developer_id = X509_get_ext_by_OBJ(leaf, oid, -1) >= 0;
    ASN1_OBJECT_free(oid);
    out.chain.push_back(NameText(X509_get_subject_name(leaf)));
  }
  for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i) {
    X509* cert = sk_X509_value(certs.get(), i);
    if (cert != leaf) out.chain.push_back(NameText(X509_get_subject_name(cert)));
  }
  int time_index = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (time_index >= 0) {
    ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, time_index), 0);
    if (t != nullptr && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME))
      out.signing_time = TimeText(t->value.utctime);
  }
  // A code signature's CMS is detached (the CodeDirectory is the content); one that embeds content is refused.
  if (CMS_is_detached(cms.get()) != 1) {
    out.signature_error = "the CMS structure embeds its content; a code signature's is detached";
  } else {
    out.signature_ok = VerifyDetached(cms.get(), code_directory);
    if (!out.signature_ok) out.signature_error = OpenSslError();
  }
  CheckTimestamp(si, out);
  if (leaf == nullptr) {
    out.chain_error = "the signer's certificate is not in the signature";
  } else if (certs) {
    CheckChain(leaf, certs.get(), out);
  }
  ERR_clear_error();
  return out;
}

absl::StatusOr<CmsContent> ReadCmsContent(Bytes der) {
  const unsigned char* p = der.data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!cms) return absl::InvalidArgumentError("not a DER CMS structure: " + OpenSslError());
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed)
    return absl::InvalidArgumentError("the CMS structure is not SignedData");
  ASN1_OCTET_STRING** content = CMS_get0_content(cms.get());
  if (content == nullptr || *content == nullptr)
    return absl::InvalidArgumentError("the CMS structure embeds no content");
  CmsContent out;
  out.content.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(*content)),
                     static_cast<size_t>(ASN1_STRING_length(*content)));
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  CertsPtr certs(CMS_get1_certs(cms.get()));
  if (signers != nullptr && sk_CMS_SignerInfo_num(signers) > 0 && certs) {
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
    for (int i = 0; i < sk_X509_num(certs.get()); ++i) {
      X509* cert = sk_X509_value(certs.get(), i);
      if (CMS_SignerInfo_cert_cmp(si, cert) == 0) out.signer = NameText(X509_get_subject_name(cert));
    }
  }
  ERR_clear_error();
  return out;
}

}  // namespace tediag::inspect
