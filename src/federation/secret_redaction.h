// Redaction of our own credentials from what a peer sends back. A peer that
// echoes a request's credentials (an error page quoting the Authorization
// header, a JSON error with the key in it) must not get them into messages,
// sync history, the WAL or logs. Each secret is replaced in every form a peer
// may write it in: raw, JSON-escaped (with or without `\/`), percent-encoded
// (either hex case), HTML-escaped, and inside any JSON string however its
// characters are escaped (\uXXXX): a JSON text is decoded, redacted and
// written out again when only its decoded form holds a secret.
//
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <vector>

namespace charchive::federation {

// Secrets shorter than 4 bytes are not redacted (they would match anywhere).
inline constexpr char kRedacted[] = "[redacted]";
void RedactSecrets(std::string& text, const std::vector<std::string>& secrets);

}  // namespace charchive::federation
