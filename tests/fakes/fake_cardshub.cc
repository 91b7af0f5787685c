#include "tests/fakes/fake_cardshub.h"

#include <sys/random.h>

#include <algorithm>
#include <cctype>

#include "card/card_convert.h"
#include "card/card_file.h"
#include "util/sha256.h"

namespace charchive::testing {
namespace {

using nlohmann::json;

constexpr char kCookie[] = "cardshub_session";

int64_t NowSeconds() { return static_cast<int64_t>(FakeNowMs() / 1000); }

std::string RandomText(size_t n) {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out(n, 'a');
  unsigned char bytes[64];
  if (getrandom(bytes, n, 0) != static_cast<ssize_t>(n)) bytes[0] = 7;
  for (size_t i = 0; i < n; ++i) out[i] = kAlphabet[bytes[i] % 36];
  return out;
}

std::string Slugify(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return (out.empty() ? "card" : out) + "-" + RandomText(6);
}

void Send(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

bool EndsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

bool IsVisibility(const std::string& v) {
  return v == "public" || v == "private" || v == "nsfw_only" || v == "unlisted";
}

// What CardsHub stores as cardData (docs/peers.md "CardsHub"): V2 becomes V3,
// only spec, spec_version and data stay at the top, group_only_greetings is
// added, and the lorebook loses keys it does not know while each entry gains
// its index as `id` and `selective: false`.
json StoredCardData(const Card& card) {
  json v3 = ToV3Document(card);
  json out = {{"spec", "chara_card_v3"}, {"spec_version", "3.0"}, {"data", v3["data"]}};
  json& data = out["data"];
  if (!data.contains("group_only_greetings")) data["group_only_greetings"] = json::array();
  if (data.contains("character_book") && data["character_book"].is_object()) {
    json& book = data["character_book"];
    for (const char* key : {"_id", "lexicon", "creator"}) book.erase(key);
    if (book.contains("entries") && book["entries"].is_array()) {
      int index = 0;
      for (json& entry : book["entries"]) {
        if (!entry.is_object()) continue;
        for (const char* key :
             {"entry_id", "key_logic", "scan_persona", "whole_words_only", "delay", "sticky", "cooldown"}) {
          entry.erase(key);
        }
        entry["id"] = index++;
        entry["selective"] = false;
      }
    }
  }
  return out;
}

}  // namespace

FakeCardsHub::FakeCardsHub(int port) {
  Routes();
  Serve(port);
}

FakeCardsHub::~FakeCardsHub() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  released_.notify_all();
  StopServing();
}

void FakeCardsHub::AddUser(const std::string& username, const std::string& password) {
  std::lock_guard lock(mu_);
  passwords_[username] = password;
  if (!user_ids_.count(username)) user_ids_[username] = static_cast<int64_t>(user_ids_.size()) + 1;
}

std::string FakeCardsHub::Upload(const std::string& uploader, const std::string& bytes, const std::string& file_name,
                                 const std::string& visibility) {
  std::lock_guard lock(mu_);
  json stored = Store(uploader, bytes, file_name, visibility, json::array());
  return stored.value("slug", "");
}

void FakeCardsHub::DeleteCard(const std::string& slug) {
  std::lock_guard lock(mu_);
  cards_.erase(slug);
}

void FakeCardsHub::ForgetSessions() {
  std::lock_guard lock(mu_);
  sessions_.clear();
}

void FakeCardsHub::HangUploads(int count) {
  std::lock_guard lock(mu_);
  hang_uploads_ = count;
}

void FakeCardsHub::SetBadListing(bool bad) {
  std::lock_guard lock(mu_);
  bad_listing_ = bad;
}

size_t FakeCardsHub::CardCount() {
  std::lock_guard lock(mu_);
  return cards_.size();
}

std::vector<std::string> FakeCardsHub::Slugs() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [slug, card] : cards_) out.push_back(slug);
  return out;
}

json FakeCardsHub::Card(const std::string& slug) {
  std::lock_guard lock(mu_);
  auto it = cards_.find(slug);
  if (it == cards_.end()) return nullptr;
  json detail = ListItem(it->second);
  detail["cardData"] = it->second.card_data;
  detail["versionId"] = it->second.version_id;
  detail["contentHash"] = it->second.content_hash;
  return detail;
}

void FakeCardsHub::Favorite(const std::string& slug) {
  std::lock_guard lock(mu_);
  auto it = cards_.find(slug);
  if (it != cards_.end()) ++it->second.favorites;
}

int64_t FakeCardsHub::Downloads(const std::string& slug) {
  std::lock_guard lock(mu_);
  auto it = cards_.find(slug);
  return it == cards_.end() ? -1 : it->second.downloads;
}

size_t FakeCardsHub::Logins() {
  std::lock_guard lock(mu_);
  return logins_;
}

json FakeCardsHub::PutCard(const json& upload) {
  if (!upload.contains("uploader") || !upload["uploader"].is_string() || !upload.contains("name") ||
      !upload["name"].is_string()) {
    return nullptr;
  }
  json v2 = {{"spec", "chara_card_v2"},
             {"spec_version", "2.0"},
             {"data",
              {{"name", upload["name"]},
               {"description", upload.value("description", "Uploaded on the hub.")},
               {"personality", ""},
               {"scenario", ""},
               {"first_mes", "Hello."},
               {"mes_example", ""},
               {"creator", upload["uploader"]},
               {"tags", json::array()}}}};
  std::string slug = Upload(upload["uploader"].get<std::string>(), FakeCardPng(v2.dump()),
                            upload["name"].get<std::string>() + ".png", upload.value("visibility", "public"));
  return Card(slug);
}

nlohmann::json FakeCardsHub::UserJson(const std::string& user) {
  return {{"id", std::to_string(user_ids_[user])},
          {"username", user},
          {"displayName", user},
          {"avatarUrl", nullptr},
          {"isAdmin", false}};
}

std::string FakeCardsHub::SessionUser(const httplib::Request& req) {
  const std::string header = req.get_header_value("Cookie");
  const std::string prefix = std::string(kCookie) + "=";
  for (size_t at = 0; at < header.size();) {
    size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    std::string pair = header.substr(at, end - at);
    while (!pair.empty() && pair.front() == ' ') pair.erase(0, 1);
    if (pair.rfind(prefix, 0) == 0) {
      auto it = sessions_.find(pair.substr(prefix.size()));
      return it == sessions_.end() ? "" : it->second;
    }
    at = end + 1;
  }
  return "";
}

json FakeCardsHub::Store(const std::string& uploader, const std::string& bytes, const std::string& file_name,
                         const std::string& visibility, const json& tags) {
  if (!EndsWith(file_name, ".png") && !EndsWith(file_name, ".json") && !EndsWith(file_name, ".charx") &&
      !EndsWith(file_name, ".voxpkg")) {
    return {{"status", 400}, {"error", "Unsupported file type"}};
  }
  if (!IsVisibility(visibility)) return {{"status", 400}, {"error", "Invalid visibility"}};
  auto card = ParseCardBytes(bytes);
  if (!card.ok()) {
    if (EndsWith(file_name, ".png")) return {{"status", 500}, {"error", "No text chunks found in PNG"}};
    return {{"status", 400}, {"error", "Invalid card file"}};
  }
  StoredCard stored;
  stored.id = next_id_++;
  stored.name = card->name();
  stored.slug = Slugify(stored.name);
  stored.uploader = uploader;
  stored.visibility = visibility;
  stored.file_name = file_name;
  stored.bytes = bytes;
  stored.content_hash = Sha256Hex(bytes);
  stored.version_id = RandomText(21);
  stored.card_data = StoredCardData(*card);
  for (const json& tag : tags) {
    if (tag.is_string()) stored.tags.push_back(tag);
  }
  stored.created_at = stored.updated_at = NowSeconds();
  json answer = {{"id", std::to_string(stored.id)},
                 {"slug", stored.slug},
                 {"name", stored.name},
                 {"versionId", stored.version_id}};
  cards_[stored.slug] = std::move(stored);
  return answer;
}

json FakeCardsHub::ListItem(const StoredCard& card) const {
  json tags = json::array();
  for (const json& tag : card.tags) {
    std::string name = tag.get<std::string>();
    std::string slug = name;
    std::transform(slug.begin(), slug.end(), slug.begin(), [](unsigned char c) { return std::tolower(c); });
    tags.push_back({{"id", slug}, {"name", name}, {"slug", slug}, {"category", nullptr}});
  }
  const json& data = card.card_data["data"];
  auto uploader = user_ids_.find(card.uploader);
  return {{"id", std::to_string(card.id)},
          {"slug", card.slug},
          {"name", card.name},
          {"creator", data.value("creator", "")},
          {"specVersion", "v3"},
          {"sourceFormat", EndsWith(card.file_name, ".png") ? "png" : "json"},
          {"tokensTotal", static_cast<int64_t>(data.value("description", "").size() / 4)},
          {"tags", tags},
          {"uploader",
           {{"id", uploader == user_ids_.end() ? 0 : uploader->second},
            {"username", card.uploader},
            {"displayName", card.uploader}}},
          {"visibility", card.visibility},
          {"createdAt", card.created_at},
          {"updatedAt", card.updated_at},
          {"downloadsCount", card.downloads},
          {"favoritesCount", card.favorites},
          {"upvotes", 0},
          {"downvotes", 0}};
}

void FakeCardsHub::Listing(const httplib::Request& req, httplib::Response& res, const std::string& owner) {
  static const std::vector<std::string> kPublicSorts = {"newest",    "oldest",    "popular", "trending",
                                                        "downloads", "favorites", "rating"};
  static const std::vector<std::string> kUserSorts = {"newest", "oldest", "popular", "upvotes", "downloads", "name"};
  const auto& sorts = owner.empty() ? kPublicSorts : kUserSorts;
  std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "newest";
  int limit = IntParam(req, "limit", 24);
  int page = IntParam(req, "page", 1);
  if (std::find(sorts.begin(), sorts.end(), sort) == sorts.end() || limit < 1 || limit > 100 || page < 1) {
    return Send(res, 400, {{"error", "Invalid query parameters"}, {"details", {{"sort", sort}, {"limit", limit}}}});
  }
  std::lock_guard lock(mu_);
  if (bad_listing_) return Send(res, 200, {{"cards", json::array({{{"name", "No slug here"}}})}});
  const std::string viewer = SessionUser(req);
  const std::string search = req.has_param("search") ? req.get_param_value("search") : "";
  const std::string tags = req.has_param("tags") ? req.get_param_value("tags") : "";
  std::vector<const StoredCard*> shown;
  for (const auto& [slug, card] : cards_) {
    if (!owner.empty() && card.uploader != owner) continue;
    const bool owns = !owner.empty() && viewer == owner;
    if (!owns && card.visibility != "public") continue;
    if (!search.empty() && card.name.find(search) == std::string::npos) continue;
    if (!tags.empty()) {
      bool has = false;
      for (const json& tag : card.tags) has |= tag.get<std::string>() == tags;
      if (!has) continue;
    }
    shown.push_back(&card);
  }
  std::sort(shown.begin(), shown.end(),
            [&](const StoredCard* a, const StoredCard* b) { return sort == "oldest" ? a->id < b->id : a->id > b->id; });
  json items = json::array();
  const size_t first = static_cast<size_t>(page - 1) * limit;
  for (size_t i = first; i < shown.size() && i < first + limit; ++i) items.push_back(ListItem(*shown[i]));
  Send(res, 200,
       {{"items", items},
        {"total", shown.size()},
        {"page", page},
        {"limit", limit},
        {"hasMore", first + limit < shown.size()}});
}

void FakeCardsHub::Routes() {
  using httplib::Request;
  using httplib::Response;
  server_.Post("/api/auth/login", [this](const Request& req, Response& res) {
    if (login_limit_.Refuse(req, res)) {
      res.set_content(R"({"error":"Too many login attempts"})", "application/json");
      return;
    }
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("username") || !body["username"].is_string() ||
        !body.contains("password") || !body["password"].is_string()) {
      return Send(res, 400, {{"error", "Username and password are required"}});
    }
    std::lock_guard lock(mu_);
    const std::string user = body["username"].get<std::string>();
    auto known = passwords_.find(user);
    if (known == passwords_.end() || known->second != body["password"].get<std::string>()) {
      return Send(res, 401, {{"error", "Invalid username or password"}});
    }
    ++logins_;
    std::string token = RandomText(40);
    sessions_[token] = user;
    res.set_header("Set-Cookie",
                   std::string(kCookie) + "=" + token + "; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax");
    Send(res, 200, {{"user", UserJson(user)}});
  });
  server_.Get("/api/auth/session", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const std::string user = SessionUser(req);
    if (user.empty()) return Send(res, 200, {{"user", nullptr}});
    Send(res, 200, {{"user", UserJson(user)}});
  });
  server_.Post("/api/auth/logout", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const std::string user = SessionUser(req);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = it->second == user ? sessions_.erase(it) : std::next(it);
    }
    Send(res, 200, {{"success", true}});
  });
  server_.Get("/api/cards", [this](const Request& req, Response& res) { Listing(req, res, ""); });
  server_.Get(R"(/api/users/([^/]+)/cards)",
              [this](const Request& req, Response& res) { Listing(req, res, req.matches[1].str()); });
  server_.Post("/api/cards", [this](const Request& req, Response& res) {
    std::unique_lock lock(mu_);
    const std::string user = SessionUser(req);
    if (user.empty()) return Send(res, 401, {{"error", "Unauthorized"}});
    if (!req.has_file("file")) return Send(res, 400, {{"error", "No file provided"}});
    const auto file = req.get_file_value("file");
    const std::string visibility = req.has_file("visibility") ? req.get_file_value("visibility").content : "public";
    json tags = req.has_file("tags") ? json::parse(req.get_file_value("tags").content, nullptr, false) : json::array();
    if (!tags.is_array()) return Send(res, 400, {{"error", "Invalid tags"}});
    json stored = Store(user, file.content, file.filename, visibility, tags);
    if (stored.contains("error")) return Send(res, stored["status"].get<int>(), {{"error", stored["error"]}});
    if (hang_uploads_ > 0) {
      --hang_uploads_;
      released_.wait_for(lock, std::chrono::seconds(20), [&] { return stopping_; });
      return Send(res, 504, {{"error", "upstream timed out"}});
    }
    Send(res, 200, {{"success", true}, {"data", stored}});
  });
  auto not_allowed = [](const Request&, Response& res) { Send(res, 405, {{"error", "Method Not Allowed"}}); };
  server_.Put(R"(/api/cards/([^/]+))", not_allowed);
  server_.Patch(R"(/api/cards/([^/]+))", not_allowed);
  server_.Post(R"(/api/cards/([^/]+)/versions)", not_allowed);
  server_.Get(R"(/api/cards/([^/]+))", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    auto it = cards_.find(req.matches[1].str());
    if (it == cards_.end() || (it->second.visibility == "private" && SessionUser(req) != it->second.uploader)) {
      return Send(res, 404, {{"error", "Card not found"}});
    }
    json detail = ListItem(it->second);
    detail["cardData"] = it->second.card_data;
    detail["tokens"] = {{"total", detail["tokensTotal"]}};
    detail["savedAssets"] = nullptr;
    detail["forkedFrom"] = nullptr;
    detail["versionId"] = it->second.version_id;
    detail["storageUrl"] = "file:///cards/" + it->second.slug;
    detail["contentHash"] = it->second.content_hash;
    Send(res, 200, detail);
  });
  server_.Get(R"(/api/cards/([^/]+)/versions)", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    auto it = cards_.find(req.matches[1].str());
    if (it == cards_.end()) return Send(res, 404, {{"error", "Card not found"}});
    const StoredCard& c = it->second;
    Send(res, 200,
         {{"versions", json::array({{{"id", c.version_id},
                                     {"isHead", true},
                                     {"parentVersionId", nullptr},
                                     {"forkedFromId", nullptr},
                                     {"specVersion", "v3"},
                                     {"sourceFormat", "png"},
                                     {"tokensTotal", 0},
                                     {"contentHash", c.content_hash},
                                     {"createdAt", c.created_at}}})},
          {"headVersionId", c.version_id},
          {"total", 1}});
  });
  server_.Get(R"(/api/cards/([^/]+)/download)", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    auto it = cards_.find(req.matches[1].str());
    if (it == cards_.end() || (it->second.visibility == "private" && SessionUser(req) != it->second.uploader)) {
      return Send(res, 404, {{"error", "Card not found"}});
    }
    StoredCard& card = it->second;
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "png";
    ++card.downloads;
    if (format == "original") {
      res.set_content(card.bytes, EndsWith(card.file_name, ".png") ? "image/png" : "application/octet-stream");
    } else if (format == "json") {
      res.set_content(card.card_data.dump(), "application/json");
    } else if (format == "png") {
      res.set_content(EndsWith(card.file_name, ".png") ? card.bytes : FakeCardPng(card.card_data.dump()), "image/png");
    } else {
      --card.downloads;
      return Send(res, 400, {{"error", "Invalid format"}});
    }
  });
  server_.Delete(R"(/api/cards/([^/]+))", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const std::string user = SessionUser(req);
    if (user.empty()) return Send(res, 401, {{"error", "Unauthorized"}});
    auto it = cards_.find(req.matches[1].str());
    if (it == cards_.end()) return Send(res, 404, {{"error", "Card not found"}});
    if (it->second.uploader != user) return Send(res, 403, {{"error", "Forbidden"}});
    cards_.erase(it);
    Send(res, 200, {{"success", true}});
  });
  server_.Put(R"(/api/cards/([^/]+)/visibility)", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const std::string user = SessionUser(req);
    if (user.empty()) return Send(res, 401, {{"error", "Unauthorized"}});
    auto it = cards_.find(req.matches[1].str());
    if (it == cards_.end()) return Send(res, 404, {{"error", "Card not found"}});
    if (it->second.uploader != user) return Send(res, 403, {{"error", "Forbidden"}});
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("visibility") || !body["visibility"].is_string() ||
        !IsVisibility(body["visibility"].get<std::string>())) {
      return Send(res, 400, {{"error", "Invalid visibility"}});
    }
    it->second.visibility = body["visibility"].get<std::string>();
    it->second.updated_at = NowSeconds();
    Send(res, 200, {{"success", true}, {"visibility", it->second.visibility}});
  });
  server_.Post("/_control/users", [this](const Request& req, Response& res) {
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("username") || !body["username"].is_string() ||
        !body.contains("password") || !body["password"].is_string()) {
      return Send(res, 400, {{"error", "username and password are required"}});
    }
    AddUser(body["username"].get<std::string>(), body["password"].get<std::string>());
    Send(res, 200, {{"success", true}});
  });
  server_.Post("/_control/delete", [this](const Request& req, Response& res) {
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("slug") || !body["slug"].is_string()) {
      return Send(res, 400, {{"error", "slug is required"}});
    }
    DeleteCard(body["slug"].get<std::string>());
    Send(res, 200, {{"success", true}});
  });
  server_.Post("/_control/favorite", [this](const Request& req, Response& res) {
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("slug") || !body["slug"].is_string()) {
      return Send(res, 400, {{"error", "slug is required"}});
    }
    Favorite(body["slug"].get<std::string>());
    Send(res, 200, {{"success", true}});
  });
  server_.Get("/_control/cards", [this](const Request&, Response& res) {
    json out = json::array();
    for (const std::string& slug : Slugs()) {
      json card = Card(slug);
      if (card.is_null()) continue;
      card.erase("cardData");
      out.push_back(std::move(card));
    }
    Send(res, 200, out);
  });
}

}  // namespace charchive::testing
