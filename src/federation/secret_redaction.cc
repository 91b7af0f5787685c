#include "federation/secret_redaction.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace charchive::federation {
namespace {

using Json = nlohmann::ordered_json;  // key order kept when a text is rewritten

// Deeper JSON is not decoded (its raw forms are still redacted).
constexpr int kMaxDecodeDepth = 64;

std::string JsonEscaped(const std::string& s) {
  std::string quoted = Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

std::string WithEscapedSlashes(std::string s) {
  for (size_t at = s.find('/'); at != std::string::npos; at = s.find('/', at + 2)) s.replace(at, 1, "\\/");
  return s;
}

std::string PercentEncoded(const std::string& s, bool upper) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, upper ? "%%%02X" : "%%%02x", c);
      out += hex;
    }
  }
  return out;
}

std::string HtmlEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool ReplaceAll(std::string& text, const std::string& form) {
  bool any = false;
  for (size_t at = text.find(form); at != std::string::npos; at = text.find(form, at + sizeof kRedacted - 1)) {
    text.replace(at, form.size(), kRedacted);
    any = true;
  }
  return any;
}

bool RedactStrings(Json& value, const std::vector<std::string>& secrets) {
  bool changed = false;
  if (value.is_string()) {
    auto& s = value.get_ref<std::string&>();
    for (const auto& secret : secrets) changed |= ReplaceAll(s, secret);
  } else if (value.is_array()) {
    for (auto& item : value) changed |= RedactStrings(item, secrets);
  } else if (value.is_object()) {
    Json rebuilt = Json::object();
    for (auto& [key, item] : value.items()) {
      std::string k = key;
      for (const auto& secret : secrets) changed |= ReplaceAll(k, secret);
      changed |= RedactStrings(item, secrets);
      rebuilt[k] = std::move(item);
    }
    if (changed) value = std::move(rebuilt);
  }
  return changed;
}

bool MayHoldEscapes(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && (text[first] == '{' || text[first] == '[' || text[first] == '"') &&
         text.find('\\') != std::string::npos;
}

}  // namespace

void RedactSecrets(std::string& text, const std::vector<std::string>& secrets) {
  std::vector<std::string> usable;
  for (const auto& s : secrets) {
    if (s.size() >= 4) usable.push_back(s);
  }
  if (usable.empty()) return;
  std::vector<std::string> forms;
  for (const auto& s : usable) {
    std::string json = JsonEscaped(s);
    for (std::string f :
         {s, json, WithEscapedSlashes(json), PercentEncoded(s, true), PercentEncoded(s, false), HtmlEscaped(s)}) {
      forms.push_back(std::move(f));
    }
  }
  // Longest first, so a whole credential goes before a part of it.
  std::sort(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  for (const auto& form : forms) ReplaceAll(text, form);

  if (!MayHoldEscapes(text)) return;
  bool too_deep = false;
  auto limit = [&](int depth, Json::parse_event_t, Json&) {
    if (depth > kMaxDecodeDepth) too_deep = true;
    return !too_deep;
  };
  Json doc = Json::parse(text, limit, false);
  if (too_deep || doc.is_discarded()) return;
  std::sort(usable.begin(), usable.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  if (RedactStrings(doc, usable)) text = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace charchive::federation
