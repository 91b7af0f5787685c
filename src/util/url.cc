#include "util/url.h"

#include <algorithm>
#include <cctype>

#include "util/errors.h"

namespace charchive {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

int DefaultPort(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

// Letters, digits, '-', '.', '_' and '~' (reg-name without percent-escapes,
// which no peer's host needs).
bool IsHostChar(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

}  // namespace

std::string Url::Authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != DefaultPort(scheme)) out += ":" + std::to_string(port);
  return out;
}

std::string Url::Origin() const { return scheme + "://" + Authority(); }

std::string Url::Target() const {
  std::string out = path.empty() ? "/" : path;
  if (!query.empty()) out += "?" + query;
  return out;
}

Result<Url> ParseUrl(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status::Invalid(util_error::kBadUrl,
                           "'" + std::string(text.substr(0, 200)) + "' is not an http(s) URL: " + why);
  };
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f || c == '\\') return bad("it contains whitespace, a control character or '\\'");
  }
  size_t colon = text.find("://");
  if (colon == std::string_view::npos) return bad("no scheme");
  Url url;
  url.scheme = Lower(text.substr(0, colon));
  if (url.scheme != "http" && url.scheme != "https") return bad("the scheme must be http or https");
  std::string_view rest = text.substr(colon + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return bad("user info (user@host) is not accepted");

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("an unclosed '[' in the host");
    std::string_view literal = authority.substr(1, close - 1);
    if (literal.empty() || literal.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos ||
        literal.find(':') == std::string_view::npos) {
      return bad("a bracketed host must be an IPv6 address");
    }
    url.host = Lower(literal);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("text after the IPv6 host");
      port_text = after.substr(1);
      if (port_text.empty()) return bad("an empty port");
    }
  } else {
    size_t port_colon = authority.find(':');
    std::string_view host = authority.substr(0, port_colon);
    if (port_colon != std::string_view::npos) {
      port_text = authority.substr(port_colon + 1);
      if (port_text.empty()) return bad("an empty port");
    }
    if (host.empty()) return bad("no host");
    if (!std::all_of(host.begin(), host.end(), [](unsigned char c) { return IsHostChar(c); })) {
      return bad("the host has characters a host name cannot have");
    }
    url.host = Lower(host);
  }
  if (url.host.empty()) return bad("no host");
  url.port = DefaultPort(url.scheme);
  if (!port_text.empty()) {
    if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string_view::npos) {
      return bad("the port must be a number");
    }
    url.port = std::stoi(std::string(port_text));
    if (url.port < 1 || url.port > 65535) return bad("the port is out of range");
  }

  rest = rest.substr(0, rest.find('#'));
  size_t question = rest.find('?');
  url.path = std::string(rest.substr(0, question));
  if (question != std::string_view::npos) url.query = std::string(rest.substr(question + 1));
  return url;
}

}  // namespace charchive
