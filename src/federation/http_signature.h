// HTTP Signatures as ActivityPub servers use them (draft-cavage-http-
// signatures-12 with `rsa-sha256`, also accepted under the name `hs2019`):
// the node's RSA key pair, signing an outgoing request over
// `(request-target) host date digest`, and the pieces an inbox needs to verify
// one: parsing the Signature header, the signing string, the Digest of a body,
// the Date window. See docs/federation.md "Hub federation".
//
// Thread safety: a NodeKey is immutable after loading; const methods may be
// called from many threads. The free functions are pure.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace charchive::federation {

// An RSA-2048 key pair, kept as PKCS#8 PEM in one file (mode 0600).
class NodeKey {
 public:
  // Reads the key at `path`, or makes one and writes it atomically.
  static Result<NodeKey> LoadOrCreate(const std::string& path);
  static Result<NodeKey> FromPrivatePem(const std::string& pem);

  // SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"), as actors publish it.
  const std::string& public_pem() const { return public_pem_; }
  // RSASSA-PKCS1-v1_5 over SHA-256; the raw signature bytes.
  Result<std::string> Sign(std::string_view data) const;

 private:
  std::shared_ptr<void> key_;  // EVP_PKEY
  std::string public_pem_;
};

// Whether `signature` is `data` signed by the key in `public_pem`;
// kInvalidInput "bad_public_key" when the PEM is not an RSA public key.
Result<bool> VerifyRsaSha256(const std::string& public_pem, std::string_view data, std::string_view signature);

// "SHA-256=<base64 of the body's SHA-256>".
std::string BodyDigest(std::string_view body);

// RFC 7231 IMF-fixdate ("Tue, 24 Nov 2026 23:54:05 GMT") and back.
std::string HttpDate(std::chrono::system_clock::time_point when);
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(const std::string& text);

struct SignatureHeader {
  std::string key_id;
  std::string algorithm;             // rsa-sha256 | hs2019
  std::vector<std::string> headers;  // lower-cased, in signing order
  std::string signature;             // decoded bytes
};

// Parses `keyId="…",algorithm="…",headers="…",signature="…"`;
// kUnauthenticated "bad_signature" naming what is wrong.
Result<SignatureHeader> ParseSignatureHeader(const std::string& value);

// The string a signature covers: one `name: value` line per signed header,
// `(request-target): <method lower-case> <path with query>` for the pseudo
// header. `header` returns a request header's value (nullopt when absent);
// kUnauthenticated "bad_signature" when a signed header is missing.
Result<std::string> SigningString(const std::string& method, const std::string& path_and_query,
                                  const std::vector<std::string>& signed_headers,
                                  const std::function<std::optional<std::string>(const std::string&)>& header);

// The headers to add to a request so a receiver can verify it: Host, Date,
// Digest and Signature over `(request-target) host date digest`.
Result<std::vector<std::pair<std::string, std::string>>> SignRequest(const NodeKey& key, const std::string& key_id,
                                                                     const std::string& method, const std::string& host,
                                                                     const std::string& path_and_query,
                                                                     std::string_view body);

}  // namespace charchive::federation
