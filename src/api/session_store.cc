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

SessionStore::SessionStore(std::string path, Clock now) : path_(std::move(path)), now_(std::move(now)) {
  if (path_.empty()) return;
  auto text = ReadFile(path_, 16u << 20);
  if (!text.ok()) return;
  // One line per session: "<sha256 of id> <csrf> <created> <last used>" (seconds
  // since the epoch). A line of an older file without times starts its clock now.
  int64_t now_s = NowSeconds();
  std::istringstream lines(*text);
  std::string line;
  std::lock_guard lock(mu_);
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string digest, csrf;
    Entry e;
    if (!(fields >> digest >> csrf) || digest.size() != 64 || csrf.size() != 64) continue;
    e.csrf = csrf;
    if (!(fields >> e.created >> e.last_used)) e.created = e.last_used = now_s;
    e.saved_last_used = e.last_used;
    if (!ExpiredLocked(e, now_s)) by_id_digest_[digest] = std::move(e);
  }
}

int64_t SessionStore::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(now_().time_since_epoch()).count();
}

bool SessionStore::ExpiredLocked(const Entry& e, int64_t now) const {
  return now - e.last_used >= std::chrono::seconds(kIdleLimit).count() ||
         now - e.created >= std::chrono::seconds(kLifetime).count();
}

void SessionStore::SaveLocked() {
  if (path_.empty()) return;
  std::string text;
  for (auto& [digest, e] : by_id_digest_) {
    text += digest + " " + e.csrf + " " + std::to_string(e.created) + " " + std::to_string(e.last_used) + "\n";
    e.saved_last_used = e.last_used;
  }
  (void)WriteFileAtomic(path_, text, 0600);
}

SessionStore::Session SessionStore::Create() {
  Session s{RandomHex(32), RandomHex(32)};
  int64_t now = NowSeconds();
  std::lock_guard lock(mu_);
  // Logins are when expired sessions are swept from the file too.
  std::erase_if(by_id_digest_, [&](const auto& kv) { return ExpiredLocked(kv.second, now); });
  by_id_digest_[Sha256Hex(s.id)] = Entry{s.csrf, now, now, now};
  SaveLocked();
  return s;
}

std::optional<std::string> SessionStore::CsrfFor(const std::string& id) {
  if (id.empty()) return std::nullopt;
  std::string digest = Sha256Hex(id);
  int64_t now = NowSeconds();
  std::lock_guard lock(mu_);
  auto it = by_id_digest_.find(digest);
  if (it == by_id_digest_.end()) return std::nullopt;
  if (ExpiredLocked(it->second, now)) {
    by_id_digest_.erase(it);
    SaveLocked();
    return std::nullopt;
  }
  it->second.last_used = now;
  // Use is written back at most hourly: the idle limit is days, and a write per
  // request would cost every API call a file rename.
  constexpr int64_t kSaveEvery = 3600;
  std::string csrf = it->second.csrf;
  if (now - it->second.saved_last_used >= kSaveEvery) SaveLocked();
  return csrf;
}

void SessionStore::Remove(const std::string& id) {
  std::lock_guard lock(mu_);
  if (by_id_digest_.erase(Sha256Hex(id))) SaveLocked();
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
