#include "tests/fakes/fake_chub.h"

#include <algorithm>
#include <sstream>

namespace charchive::testing {
namespace {

using nlohmann::json;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool HasTopic(const json& node, const std::string& topic) {
  for (const json& t : node.value("topics", json::array())) {
    if (t.is_string() && Lower(t.get<std::string>()) == Lower(topic)) return true;
  }
  return false;
}

}  // namespace

FakeChub::FakeChub(int port, int page_cap) : page_cap_(page_cap) {
  Routes();
  Serve(port);
}

json FakeChub::SampleNode(const std::string& creator, const std::string& slug, const std::string& text) {
  return json{{"fullPath", creator + "/" + slug},
              {"name", slug},
              {"tagline", "A sample card"},
              {"topics", {"ROOT", "Fantasy"}},
              {"nTokens", 500},
              {"definition",
               {{"name", slug},
                {"personality", "Description of " + slug + ": " + text},
                {"tavern_personality", "calm"},
                {"description", "Creator notes for " + slug},
                {"scenario", "A meadow"},
                {"first_message", "Hello from " + slug},
                {"example_dialogs", ""},
                {"system_prompt", ""},
                {"post_history_instructions", ""},
                {"alternate_greetings", {"Hi again"}},
                {"embedded_lorebook", nullptr},
                {"extensions", json::object()}}}};
}

json FakeChub::PutCard(const json& node) {
  if (!node.contains("fullPath") || !node["fullPath"].is_string()) return nullptr;
  std::lock_guard lock(mu_);
  const std::string path = node["fullPath"];
  json& stored = nodes_[path];
  if (stored.is_null()) {
    stored = json{{"id", next_id_++},
                  {"fullPath", path},
                  {"name", path.substr(path.find('/') + 1)},
                  {"tagline", ""},
                  {"description", ""},
                  {"topics", {"ROOT"}},
                  {"nTokens", 100},
                  {"starCount", 0},
                  {"n_favorites", 0},
                  {"nChats", 0},
                  {"nMessages", 0},
                  {"rating", 0},
                  {"ratingCount", 0},
                  {"createdAt", FakeIsoNow()},
                  {"avatar_url", "https://avatars.charhub.io/avatars/" + path + "/avatar.webp"},
                  {"max_res_url", "https://avatars.charhub.io/avatars/" + path + "/chara_card_v2.png"},
                  {"labels", json::array()},
                  {"projectSpace", "characters"},
                  {"related_lorebooks", json::array()},
                  {"definition", json::object()}};
  }
  for (const auto& [key, value] : node.items()) {
    if (key == "definition" && value.is_object()) {
      for (const auto& [k, v] : value.items()) stored["definition"][k] = v;
    } else {
      stored[key] = value;
    }
  }
  if (!node.contains("lastActivityAt")) stored["lastActivityAt"] = FakeIso(FakeChangeMs());
  return stored;
}

void FakeChub::Routes() {
  using httplib::Request;
  using httplib::Response;
  server_.Get("/search", [this](const Request& req, Response& res) {
    int first = std::clamp(IntParam(req, "first", 20), 1, page_cap_);
    int page = std::max(1, IntParam(req, "page", 1));
    bool nsfw = req.get_param_value("nsfw") != "false";
    int min_tokens = IntParam(req, "min_tokens", 0);
    std::vector<std::string> topics;
    std::stringstream topic_list(req.get_param_value("topics"));
    for (std::string t; std::getline(topic_list, t, ',');) {
      if (!t.empty()) topics.push_back(t);
    }
    std::string username = req.get_param_value("username");
    std::vector<json> matching;
    {
      std::lock_guard lock(mu_);
      for (const auto& [path, node] : nodes_) {
        if (!nsfw && HasTopic(node, "NSFW")) continue;
        if (node.value("nTokens", 0) < min_tokens) continue;
        if (!username.empty() && Lower(path.substr(0, path.find('/'))) != Lower(username)) continue;
        if (!std::all_of(topics.begin(), topics.end(), [&](const std::string& t) { return HasTopic(node, t); }))
          continue;
        json listed = node;
        listed.erase("definition");
        matching.push_back(std::move(listed));
      }
    }
    std::stable_sort(matching.begin(), matching.end(), [](const json& a, const json& b) {
      return a["lastActivityAt"].get<std::string>() > b["lastActivityAt"].get<std::string>();
    });
    json nodes = json::array();
    for (size_t i = static_cast<size_t>(page - 1) * first; i < matching.size() && nodes.size() < size_t(first); ++i) {
      nodes.push_back(matching[i]);
    }
    res.set_content(json{{"data", {{"nodes", nodes}}}}.dump(), "application/json");
  });
  server_.Get(R"(/api/characters/([^/]+)/([^/]+))", [this](const Request& req, Response& res) {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(std::string(req.matches[1]) + "/" + std::string(req.matches[2]));
    if (it == nodes_.end()) {
      res.status = 404;
      res.set_content(R"({"error":"Not found"})", "application/json");
      return;
    }
    res.set_content(json{{"node", it->second}}.dump(), "application/json");
  });
  server_.Get(R"(/avatars/([^/]+)/([^/]+)/chara_card_v2\.png)", [this](const Request& req, Response& res) {
    json card;
    {
      std::lock_guard lock(mu_);
      auto it = nodes_.find(std::string(req.matches[1]) + "/" + std::string(req.matches[2]));
      if (it == nodes_.end()) {
        res.status = 404;
        res.set_content("not found", "text/plain");
        return;
      }
      const json& def = it->second["definition"];
      // What Chub embeds: the card as it was when the image was last rendered.
      card = json{{"spec", "chara_card_v2"},
                  {"spec_version", "2.0"},
                  {"data", {{"name", def.value("name", "")}, {"description", def.value("personality", "")}}}};
    }
    res.set_content(FakeCardPng(card.dump()), "image/png");
  });
}

}  // namespace charchive::testing
