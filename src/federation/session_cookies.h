// SessionCookies: the session cookies of peers the archive logs in to
// (CardsHub), kept in memory for the life of the FederationService, so one
// login serves every push, sync, pull and poll until the peer forgets it
// (CardsHub allows 10 logins a minute). Keyed by the base URL, the user name
// and a hash of the password: a change of any of them is another session.
// Never stored on disk, never logged.
//
// Thread safety: all methods may be called from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace charchive::federation {

class SessionCookies {
 public:
  static std::string KeyFor(const std::string& base_url, const std::string& username, const std::string& password);

  // The cookie kept for `key`; empty when none.
  std::string Get(const std::string& key);
  void Put(const std::string& key, const std::string& cookie);

 private:
  std::mutex mu_;
  std::map<std::string, std::string> cookies_;
};

}  // namespace charchive::federation
