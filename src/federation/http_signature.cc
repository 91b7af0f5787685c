#include "federation/http_signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <cctype>
#include <ctime>
#include <filesystem>

#include "federation/errors.h"
#include "util/base64.h"
#include "util/file_io.h"
#include "util/time_format.h"

namespace charchive::federation {
namespace {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, size > 0 ? static_cast<size_t>(size) : 0);
}

Result<std::string> PublicPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    return Status::Internal(federation_error::kCryptoFailed, "cannot write the public key");
  }
  return BioText(bio.get());
}

Bio MemoryBio(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

Result<NodeKey> NodeKey::FromPrivatePem(const std::string& pem) {
  Bio bio = MemoryBio(pem);
  EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!raw || EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA) {
    if (raw) EVP_PKEY_free(raw);
    return Status::Invalid(federation_error::kBadKey, "the federation key is not an RSA private key in PEM");
  }
  NodeKey key;
  key.key_ = std::shared_ptr<void>(raw, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); });
  CHARCHIVE_ASSIGN_OR_RETURN(key.public_pem_, PublicPem(raw));
  return key;
}

Result<NodeKey> NodeKey::LoadOrCreate(const std::string& path) {
  if (std::filesystem::exists(path)) {
    CHARCHIVE_ASSIGN_OR_RETURN(std::string pem, ReadFile(path, 64 << 10));
    auto key = FromPrivatePem(pem);
    if (!key.ok()) return Status::Invalid(federation_error::kBadKey, path + " is not an RSA private key in PEM");
    return key;
  }
  PKey generated(EVP_RSA_gen(2048), EVP_PKEY_free);
  if (!generated) return Status::Internal(federation_error::kCryptoFailed, "cannot make an RSA key");
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), generated.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Status::Internal(federation_error::kCryptoFailed, "cannot write the RSA key");
  }
  std::string pem = BioText(bio.get());
  CHARCHIVE_RETURN_IF_ERROR(WriteFileAtomic(path, pem, 0600));
  return FromPrivatePem(pem);
}

Result<std::string> NodeKey::Sign(std::string_view data) const {
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  auto* key = static_cast<EVP_PKEY*>(key_.get());
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
          1) {
    return Status::Internal(federation_error::kCryptoFailed, "cannot sign");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Status::Internal(federation_error::kCryptoFailed, "cannot sign");
  }
  signature.resize(size);
  return signature;
}

Result<bool> VerifyRsaSha256(const std::string& public_pem, std::string_view data, std::string_view signature) {
  Bio bio = MemoryBio(public_pem);
  PKey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free);
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return Status::Invalid(federation_error::kBadPublicKey, "the actor's publicKeyPem is not an RSA public key");
  }
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
    return Status::Internal(federation_error::kCryptoFailed, "cannot set up verification");
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

std::string BodyDigest(std::string_view body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  return "SHA-256=" + Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string HttpDate(std::chrono::system_clock::time_point when) {
  return FormatUtc(when, "%a, %d %b %Y %H:%M:%S GMT");
}

std::optional<std::chrono::system_clock::time_point> ParseHttpDate(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Result<SignatureHeader> ParseSignatureHeader(const std::string& value) {
  SignatureHeader parsed;
  std::string headers = "date";  // the draft's default
  std::string signature_b64;
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ',' || value[i] == ' ')) ++i;
    size_t eq = value.find('=', i);
    if (eq == std::string::npos) break;
    std::string name = Lower(value.substr(i, eq - i));
    if (eq + 1 >= value.size() || value[eq + 1] != '"') {
      return Status::Unauthenticated(federation_error::kBadSignature, "Signature parameter " + name + " is not quoted");
    }
    size_t close = value.find('"', eq + 2);
    if (close == std::string::npos) {
      return Status::Unauthenticated(federation_error::kBadSignature, "Signature parameter " + name + " is not closed");
    }
    std::string v = value.substr(eq + 2, close - eq - 2);
    if (name == "keyid")
      parsed.key_id = v;
    else if (name == "algorithm")
      parsed.algorithm = Lower(v);
    else if (name == "headers")
      headers = Lower(v);
    else if (name == "signature")
      signature_b64 = v;
    i = close + 1;
  }
  if (parsed.key_id.empty() || signature_b64.empty()) {
    return Status::Unauthenticated(federation_error::kBadSignature, "the Signature header needs keyId and signature");
  }
  if (parsed.algorithm.empty()) parsed.algorithm = "hs2019";
  if (parsed.algorithm != "rsa-sha256" && parsed.algorithm != "hs2019") {
    return Status::Unauthenticated(federation_error::kBadSignature,
                                   "unsupported signature algorithm " + parsed.algorithm + " (rsa-sha256 or hs2019)");
  }
  size_t start = 0;
  while (start < headers.size()) {
    size_t space = headers.find(' ', start);
    if (space == std::string::npos) space = headers.size();
    if (space > start) parsed.headers.push_back(headers.substr(start, space - start));
    start = space + 1;
  }
  auto decoded = Base64Decode(signature_b64);
  if (!decoded.ok()) return Status::Unauthenticated(federation_error::kBadSignature, "the signature is not base64");
  parsed.signature = std::move(decoded).value();
  return parsed;
}

Result<std::string> SigningString(const std::string& method, const std::string& path_and_query,
                                  const std::vector<std::string>& signed_headers,
                                  const std::function<std::optional<std::string>(const std::string&)>& header) {
  std::string out;
  for (const std::string& name : signed_headers) {
    if (!out.empty()) out += '\n';
    if (name == "(request-target)") {
      out += "(request-target): " + Lower(method) + " " + path_and_query;
      continue;
    }
    std::optional<std::string> value = header(name);
    if (!value)
      return Status::Unauthenticated(federation_error::kBadSignature, "the signature covers a missing header: " + name);
    out += name + ": " + *value;
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> SignRequest(const NodeKey& key, const std::string& key_id,
                                                                     const std::string& method, const std::string& host,
                                                                     const std::string& path_and_query,
                                                                     std::string_view body) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", host}, {"Date", HttpDate(std::chrono::system_clock::now())}, {"Digest", BodyDigest(body)}};
  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    for (const auto& [n, v] : headers) {
      if (Lower(n) == name) return v;
    }
    return std::nullopt;
  };
  const std::vector<std::string> names = {"(request-target)", "host", "date", "digest"};
  CHARCHIVE_ASSIGN_OR_RETURN(std::string signing, SigningString(method, path_and_query, names, lookup));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string signature, key.Sign(signing));
  headers.emplace_back("Signature", "keyId=\"" + key_id +
                                        "\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date "
                                        "digest\",signature=\"" +
                                        Base64Encode(signature) + "\"");
  return headers;
}

}  // namespace charchive::federation
