#include "tests/fakes/fake_character_tavern.h"

#include <algorithm>

namespace charchive::testing {
namespace {

using nlohmann::json;

std::string DetailPath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) out.push_back(c == ' ' ? '_' : static_cast<char>(std::tolower(c)));
  return out;
}

void NotFound(httplib::Response& res) {
  res.status = 404;
  res.set_content(R"({"error":"Not found"})", "application/json");
}

constexpr const char* kDefinitionFields[] = {
    "definition_character_description", "definition_personality",      "definition_scenario",
    "definition_first_message",         "definition_example_messages", "definition_system_prompt",
    "definition_post_history_prompt"};

}  // namespace

FakeCharacterTavern::FakeCharacterTavern(int port) {
  Routes();
  Serve(port);
}

json FakeCharacterTavern::PutCard(const json& card) {
  if (!card.contains("path") || !card["path"].is_string()) return nullptr;
  std::lock_guard lock(mu_);
  const std::string path = card["path"];
  json* stored = nullptr;
  for (auto& [id, c] : cards_) {
    if (c["path"] == path) stored = &c;
  }
  bool created = !stored;
  if (created) {
    int64_t id = next_id_++;
    std::string slug = path.substr(path.find('/') + 1);
    cards_[id] = json{{"id", id},
                      {"path", path},
                      {"name", slug},
                      {"inChatName", slug},
                      {"author", path.substr(0, path.find('/'))},
                      {"tagline", "A sample card"},
                      {"description", "Creator notes for " + slug},
                      {"tags", {"Fantasy"}},
                      {"greetings", json::array()},
                      {"lorebook", nullptr},
                      {"isNSFW", false},
                      {"totalTokens", 400},
                      {"createdAt", FakeChangeMs() / 1000},
                      {"lastUpdateAt", 0},
                      {"versionId", 1}};
    for (const char* f : kDefinitionFields) cards_[id][f] = std::string(f) + " of " + slug;
    stored = &cards_[id];
  }
  for (const auto& [key, value] : card.items()) (*stored)[key] = value;
  if (!created) {
    if (!card.contains("lastUpdateAt")) (*stored)["lastUpdateAt"] = FakeChangeMs();
    (*stored)["versionId"] = (*stored)["versionId"].get<int64_t>() + 1;
  }
  return *stored;
}

void FakeCharacterTavern::Routes() {
  using httplib::Request;
  using httplib::Response;
  server_.Get("/api/search/cards", [this](const Request& req, Response& res) {
    int limit = std::clamp(IntParam(req, "limit", 30), 1, 100);
    int page = std::max(1, IntParam(req, "page", 1));
    std::vector<json> hits;
    {
      std::lock_guard lock(mu_);
      for (auto it = cards_.rbegin(); it != cards_.rend(); ++it) {  // newest (highest id) first
        const json& c = it->second;
        json hit = {{"id", c["id"]},
                    {"path", c["path"]},
                    {"name", c["name"]},
                    {"inChatName", c["inChatName"]},
                    {"author", c["author"]},
                    {"tagline", c["tagline"]},
                    {"tags", c["tags"]},
                    {"isNSFW", c["isNSFW"]},
                    {"hasLorebook", !c["lorebook"].is_null()},
                    {"totalTokens", c["totalTokens"]},
                    {"views", 10},
                    {"messages", 3},
                    {"likes", 1},
                    {"downloads", 2},
                    {"createdAt", c["createdAt"]},
                    {"lastUpdateAt", c["lastUpdateAt"]},
                    {"pageDescription", c["description"]},
                    {"alternativeFirstMessage", c["greetings"]}};
        // The index carries the definition under other names; the archive reads the detail.
        hit["characterDefinition"] = c["definition_character_description"];
        hits.push_back(std::move(hit));
      }
    }
    int64_t total = static_cast<int64_t>(hits.size());
    json page_hits = json::array();
    for (size_t i = static_cast<size_t>(page - 1) * limit; i < hits.size() && page_hits.size() < size_t(limit); ++i) {
      page_hits.push_back(hits[i]);
    }
    res.set_content(json{{"hits", page_hits}, {"totalHits", total}, {"totalPages", (total + limit - 1) / limit}}.dump(),
                    "application/json");
  });
  auto by_id = [this](const Request& req) -> const json* {
    auto it = cards_.find(std::stoll(std::string(req.matches[1])));
    return it == cards_.end() ? nullptr : &it->second;
  };
  server_.Get(R"(/api/character/(\d+)/tags)", [this, by_id](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const json* c = by_id(req);
    if (!c) return NotFound(res);
    res.set_content((*c)["tags"].dump(), "application/json");
  });
  server_.Get(R"(/api/character/(\d+)/alternative-greetings)", [this, by_id](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const json* c = by_id(req);
    if (!c) return NotFound(res);
    res.set_content((*c)["greetings"].dump(), "application/json");
  });
  server_.Get(R"(/api/character/(\d+)/content-warnings)", [this, by_id](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const json* c = by_id(req);
    if (!c) return NotFound(res);
    res.set_content(json{{"contentWarnings", json::array()}}.dump(), "application/json");
  });
  server_.Get(R"(/api/character/(\d+)/lorebook)", [this, by_id](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const json* c = by_id(req);
    if (!c || (*c)["lorebook"].is_null()) return NotFound(res);
    json book = (*c)["lorebook"];
    book["id"] = (*c)["id"].get<int64_t>() * 10;
    res.set_content(book.dump(), "application/json");
  });
  server_.Get(R"(/api/character/([^/]+)/([^/]+))", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const std::string wanted = std::string(req.matches[1]) + "/" + std::string(req.matches[2]);
    for (const auto& [id, c] : cards_) {
      if (DetailPath(c["path"]) != wanted) continue;
      json card = {{"id", id},
                   {"path", c["path"]},
                   {"name", c["name"]},
                   {"inChatName", c["inChatName"]},
                   {"tagline", c["tagline"]},
                   {"description", c["description"]},
                   {"versionId", c["versionId"]},
                   {"createdAt", FakeIsoNow()},
                   {"lastUpdatedAt", FakeIsoNow()},
                   {"lorebookId", c["lorebook"].is_null() ? json(nullptr) : json(id * 10)},
                   {"tokenTotal", c["totalTokens"]},
                   {"analytics_messages", 3},
                   {"analytics_downloads", 2},
                   {"isNSFW", c["isNSFW"]}};
      for (const char* f : kDefinitionFields) card[f] = c[f];
      res.set_content(json{{"card", card}}.dump(), "application/json");
      return;
    }
    NotFound(res);
  });
  server_.Get(R"(/([^/_][^/]*)/([^/]+)\.png)", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    const std::string wanted = std::string(req.matches[1]) + "/" + std::string(req.matches[2]);
    for (const auto& [id, c] : cards_) {
      if (c["path"] == wanted) {
        res.set_content(FakeCardPng(""), "image/png");
        return;
      }
    }
    NotFound(res);
  });
}

}  // namespace charchive::testing
