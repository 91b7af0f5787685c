#include "api/session_store.h"

#include <sys/random.h>

#include <sstream>

#include "util/file_io.h"
#include "util/sha256.h"

namespace charchive::api {
namespace {

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  size_t got = 0;
  while (got < bytes) {
    ssize_t n = getrandom(raw.data() + got, bytes - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  return HexEncode(raw);
}

}  // namespace

SessionStore::SessionStore(std::string path) : path_(std::move(path)) {
  if (path_.empty()) return;
  auto text = ReadFile(path_, 16u << 20);
  if (!text.ok()) return;
  std::istringstream lines(*text);
  std::string digest, csrf;
  while (lines >> digest >> csrf) {
    if (digest.size() == 64 && csrf.size() == 64) csrf_by_id_digest_[digest] = csrf;
  }
}

void SessionStore::SaveLocked() const {
  if (path_.empty()) return;
  std::string text;
  for (const auto& [digest, csrf] : csrf_by_id_digest_) text += digest + " " + csrf + "\n";
  (void)WriteFileAtomic(path_, text, 0600);
}

SessionStore::Session SessionStore::Create() {
  Session s{RandomHex(32), RandomHex(32)};
  std::lock_guard lock(mu_);
  csrf_by_id_digest_[Sha256Hex(s.id)] = s.csrf;
  SaveLocked();
  return s;
}

std::optional<std::string> SessionStore::CsrfFor(const std::string& id) const {
  if (id.empty()) return std::nullopt;
  std::string digest = Sha256Hex(id);
  std::lock_guard lock(mu_);
  auto it = csrf_by_id_digest_.find(digest);
  if (it == csrf_by_id_digest_.end()) return std::nullopt;
  return it->second;
}

void SessionStore::Remove(const std::string& id) {
  std::lock_guard lock(mu_);
  if (csrf_by_id_digest_.erase(Sha256Hex(id))) SaveLocked();
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t at = 0;
  while (at < header.size()) {
    size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    size_t start = header.find_first_not_of(' ', at);
    if (start < end) {
      std::string_view pair(header.data() + start, end - start);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
    at = end + 1;
  }
  return "";
}

}  // namespace charchive::api
