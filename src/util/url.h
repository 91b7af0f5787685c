// Url: an absolute http(s) URL split into scheme, host, port, path and query —
// the one parser for every URL the archive is given or sent (platform base
// URLs, peers' actor and inbox URLs, key ids, public URLs, a request's Origin).
// It accepts what RFC 3986 allows for http(s) minus what no peer needs and
// attackers like: user info (`user@host`), whitespace, control characters,
// backslashes and an empty host are refused, so that two readers can never
// disagree about which host a URL names. Scheme and host are lower-cased; an
// IPv6 host is kept without its brackets.
//
// Thread safety: a value type; ParseUrl is a pure function.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace charchive {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower-cased; an IPv6 literal without brackets
  int port = 0;        // the URL's port, or the scheme's default (80, 443)
  std::string path;    // "" or starting with '/'
  std::string query;   // after '?', without it; the fragment is dropped

  // "scheme://host[:port]", the port only when it is not the default.
  std::string Origin() const;
  // "host[:port]" as a Host header says it (brackets around IPv6).
  std::string Authority() const;
  // path (or "/") plus "?query" when there is one: a request target.
  std::string Target() const;
};

// Fails with kind "bad_url" and a message that quotes the text.
Result<Url> ParseUrl(std::string_view text);

}  // namespace charchive
