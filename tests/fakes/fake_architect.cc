#include "tests/fakes/fake_architect.h"

#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "util/base64.h"

namespace charchive::testing {
namespace {

using nlohmann::json;

std::string NowIso() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = ms / 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string UuidV4() {
  unsigned char b[16];
  if (getrandom(b, sizeof b, 0) != sizeof b) b[0] = 1;
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

uint32_t BigEndian(const std::string& s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) | (uint32_t(uint8_t(s[at + 2])) << 8) |
         uint32_t(uint8_t(s[at + 3]));
}

// Architect's PNG reading (docs/peers.md "Architect's routes"): tEXt only;
// ccv3 before chara; each text
// tried as JSON, then as base64 JSON.
json CardFromPng(const std::string& png) {
  std::map<std::string, std::string> texts;
  for (size_t at = 8; at + 12 <= png.size();) {
    uint32_t length = BigEndian(png, at);
    std::string type = png.substr(at + 4, 4);
    if (at + 12 + length > png.size()) break;
    if (type == "tEXt") {
      std::string body = png.substr(at + 8, length);
      size_t nul = body.find('\0');
      if (nul != std::string::npos && !texts.count(body.substr(0, nul)))
        texts[body.substr(0, nul)] = body.substr(nul + 1);
    }
    at += 12 + length;
  }
  for (const char* key : {"ccv3", "chara"}) {
    if (!texts.count(key)) continue;
    json parsed = json::parse(texts[key], nullptr, false);
    if (parsed.is_discarded()) {
      auto decoded = Base64Decode(texts[key]);
      if (decoded.ok()) parsed = json::parse(*decoded, nullptr, false);
    }
    if (parsed.is_object()) return parsed;
  }
  return nullptr;
}

json Wrap(json data) {
  if (data.contains("spec")) return data;
  return json{{"spec", "chara_card_v2"}, {"spec_version", "2.0"}, {"data", std::move(data)}};
}

// What Architect does to every card it stores, on import and on PATCH
// (docs/peers.md "What Architect rewrites"): lorebook entries lose
// `probability` and `selectiveLogic`, `use_regex` moves into the entry's
// `extensions`, `position` "" (or a number) becomes a name, missing entry keys
// are filled in; a V3 `creation_date` in milliseconds becomes seconds;
// `group_only_greetings: []` is added; `character_book: null` is deleted.
void Rewrite(json& document) {
  if (!document.contains("data") || !document["data"].is_object()) return;
  json& data = document["data"];
  if (data.contains("character_book") && data["character_book"].is_null()) data.erase("character_book");
  if (data.contains("character_book") && data["character_book"].is_object() &&
      data["character_book"].contains("entries") && data["character_book"]["entries"].is_array()) {
    for (json& entry : data["character_book"]["entries"]) {
      if (!entry.is_object()) continue;
      entry.erase("probability");
      entry.erase("selectiveLogic");
      if (!entry.contains("extensions") || !entry["extensions"].is_object()) entry["extensions"] = json::object();
      if (entry.contains("use_regex")) {
        entry["extensions"]["use_regex"] = entry["use_regex"];
        entry.erase("use_regex");
      }
      if (entry.contains("position")) {
        const json& position = entry["position"];
        if (position.is_number()) {
          entry["position"] = position.get<double>() == 0 ? "before_char" : "after_char";
        } else if (position == "") {
          entry["position"] = "after_char";
        }
      }
      if (!entry.contains("enabled")) entry["enabled"] = true;
      if (!entry.contains("insertion_order")) entry["insertion_order"] = 100;
    }
  }
  if (document.value("spec", "") == "chara_card_v3" && data.contains("creation_date") &&
      data["creation_date"].is_number_integer() && data["creation_date"].get<int64_t>() > 100000000000) {
    data["creation_date"] = data["creation_date"].get<int64_t>() / 1000;
  }
  if (!data.contains("group_only_greetings")) data["group_only_greetings"] = json::array();
}

// Spec validation of PATCH data, in Architect's error shape.
json ValidationErrors(const json& data, const std::string& spec) {
  json errors = json::array();
  std::string want = spec == "v3" ? "chara_card_v3" : "chara_card_v2";
  if (!data.is_object() || data.value("spec", "") != want) {
    errors.push_back({{"field", "spec"}, {"message", "must be " + want}, {"severity", "error"}});
  }
  if (!data.is_object() || !data.contains("data") || !data["data"].is_object() || !data["data"].contains("name") ||
      !data["data"]["name"].is_string()) {
    errors.push_back({{"field", "data.name"}, {"message", "required string"}, {"severity", "error"}});
  }
  return errors;
}

void Send(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

}  // namespace

FakeArchitect::FakeArchitect(ListShape shape) : shape_(shape) {
  Routes();
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

FakeArchitect::~FakeArchitect() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  released_.notify_all();
  server_.stop();
  thread_.join();
}

void FakeArchitect::SetFault(Fault fault, int times) {
  std::lock_guard lock(mu_);
  fault_ = fault;
  fault_times_ = times;
  released_.notify_all();
}

void FakeArchitect::FailReadsAfterNextImport(std::chrono::milliseconds window, const Clock& clock) {
  std::lock_guard lock(mu_);
  read_fault_clock_ = &clock;
  read_fault_window_ = window;
  reads_fail_until_.reset();
}

void FakeArchitect::HangAfterNextImport() {
  std::lock_guard lock(mu_);
  hang_after_import_ = true;
}

std::vector<std::string> FakeArchitect::Requests() {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeArchitect::CardCount() {
  std::lock_guard lock(mu_);
  return cards_.size();
}

json FakeArchitect::Card(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = cards_.find(id);
  return it == cards_.end() ? json(nullptr) : it->second;
}

void FakeArchitect::EditCard(const std::string& id, const std::string& field, const std::string& value) {
  std::lock_guard lock(mu_);
  json& card = cards_.at(id);
  card["data"]["data"][field] = value;
  card["meta"]["updatedAt"] = NowIso();
}

std::string FakeArchitect::CreateCard(const json& wrapped_card) {
  std::lock_guard lock(mu_);
  return NewCard(wrapped_card)["meta"]["id"];
}

bool FakeArchitect::Faulted(const httplib::Request& req, httplib::Response& res) {
  std::unique_lock lock(mu_);
  Fault fault = fault_;
  if (fault != Fault::kNone && fault_times_ > 0 && --fault_times_ == 0) fault_ = Fault::kNone;
  switch (fault) {
    case Fault::kNone:
      return false;
    case Fault::kServerError:
      Send(res, 500, {{"error", "Internal Server Error"}});
      return true;
    case Fault::kGarbage:
      res.status = 200;
      res.set_content("<html>not json", "application/json");
      return true;
    case Fault::kForbidden:
      Send(res, 403, {{"error", "Forbidden"}});
      return true;
    case Fault::kHang:
      released_.wait_for(lock, std::chrono::seconds(20), [&] { return stopping_ || fault_ != Fault::kHang; });
      Send(res, 503, {{"error", "was hanging"}});
      return true;
    case Fault::kDropped:
      res.status = 200;
      res.set_content_provider(1000, "application/json", [](size_t, size_t, httplib::DataSink&) { return false; });
      return true;
    case Fault::kDrip:
      res.status = 200;
      res.set_chunked_content_provider("application/json", [this](size_t, httplib::DataSink& sink) {
        std::unique_lock wait(mu_);
        if (released_.wait_for(wait, std::chrono::milliseconds(300), [&] { return stopping_; })) return false;
        wait.unlock();
        return sink.write("[", 1);
      });
      return true;
    case Fault::kHuge: {
      constexpr size_t kTwoGb = size_t{2} << 30;
      res.status = 200;
      res.set_content_provider(kTwoGb, "application/json", [](size_t, size_t length, httplib::DataSink& sink) {
        static const std::string block(1 << 16, ' ');
        return sink.write(block.data(), std::min(length, block.size()));
      });
      return true;
    }
    case Fault::kRateLimited:
      res.set_header("Retry-After", "1");
      Send(res, 429, {{"error", "Too Many Requests"}});
      return true;
    case Fault::kWrongCard: {
      std::string asked = req.path.substr(std::min(req.path.size(), std::string("/api/cards/").size()));
      if (req.method != "GET" || req.path.rfind("/api/cards/", 0) != 0 || asked.find('/') != std::string::npos ||
          cards_.size() < 2) {
        return false;
      }
      for (const auto& [id, card] : cards_) {
        if (id != asked) {
          Send(res, 200, card);
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

json FakeArchitect::NewCard(json data) {
  data = Wrap(std::move(data));
  Rewrite(data);
  const json& inner = data.contains("data") ? data["data"] : data;
  std::string now = NowIso();
  // A V1 mirror `name` at the top wins over data.name.
  std::string name =
      data.contains("name") && data["name"].is_string() ? data["name"].get<std::string>() : inner.value("name", "");
  json meta{{"id", UuidV4()},
            {"name", name},
            {"spec", data.value("spec", "") == "chara_card_v3" ? "v3" : "v2"},
            {"tags", inner.contains("tags") ? inner["tags"] : json::array()},
            {"creator", inner.value("creator", "")},
            {"createdAt", now},
            {"updatedAt", now}};
  json card{{"meta", meta}, {"data", std::move(data)}};
  cards_[meta["id"]] = card;
  return card;
}

void FakeArchitect::Routes() {
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mu_);
      requests_.push_back(req.method + " " + req.path);
    }
    if (req.path != "/health" && rate_limit_.Refuse(req, res)) return httplib::Server::HandlerResponse::Handled;
    return Faulted(req, res) ? httplib::Server::HandlerResponse::Handled : httplib::Server::HandlerResponse::Unhandled;
  });
  // Fastify's own 404 shape.
  server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      Send(res, 404,
           {{"message", "Route " + req.method + ":" + req.path + " not found"},
            {"error", "Not Found"},
            {"statusCode", 404}});
    }
  });
  server_.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    Send(res, 200, {{"status", "ok"}, {"timestamp", NowIso()}});
  });
  server_.Post("/api/import", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.files.empty()) return Send(res, 400, {{"error", "No file provided"}});
    const auto& file = req.files.begin()->second;
    json data;
    if (file.content_type == "image/png") {
      data = CardFromPng(file.content);
    } else if (file.content_type == "application/json") {
      data = json::parse(file.content, nullptr, false);
    }
    if (!data.is_object()) return Send(res, 400, {{"error", "Failed to parse card"}});
    std::unique_lock lock(mu_);
    json card = NewCard(std::move(data));
    if (file.content_type == "image/png") images_[card["meta"]["id"]] = file.content;
    if (read_fault_clock_ && !reads_fail_until_) reads_fail_until_ = read_fault_clock_->Now() + read_fault_window_;
    if (hang_after_import_) {
      hang_after_import_ = false;
      released_.wait_for(lock, std::chrono::seconds(20), [&] { return stopping_; });
      return Send(res, 503, {{"error", "was hanging"}});
    }
    Send(res, 201, {{"card", card}, {"warnings", json::array()}});
  });
  // character-architect: `query` searches meta's name and tags, newest change
  // first, `limit` 50 by default and at most 100, `page` from 1. card_doctor
  // (kArray) answers every card.
  server_.Get("/api/cards", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    std::vector<json> found;
    for (const auto& [id, card] : cards_) found.push_back(card);
    if (shape_ == ListShape::kArray) return Send(res, 200, found);
    auto number = [&](const char* name, long fallback) {
      return req.has_param(name) ? std::strtol(req.get_param_value(name).c_str(), nullptr, 10) : fallback;
    };
    long limit = number("limit", 50);
    long page = number("page", 1);
    if (limit < 1 || limit > 100 || page < 1) {
      return Send(res, 400, {{"error", "Invalid query parameters"}, {"details", json::array()}});
    }
    auto lower = [](std::string s) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    if (req.has_param("query")) {
      std::string query = lower(req.get_param_value("query"));
      std::erase_if(found, [&](const json& card) {
        std::string indexed = lower(card["meta"].value("name", ""));
        for (const auto& tag : card["meta"].value("tags", json::array())) {
          if (tag.is_string()) indexed += " " + lower(tag.get<std::string>());
        }
        return indexed.find(query) == std::string::npos;
      });
    }
    std::stable_sort(found.begin(), found.end(), [](const json& a, const json& b) {
      return a["meta"].value("updatedAt", "") > b["meta"].value("updatedAt", "");
    });
    json items = json::array();
    for (size_t i = (page - 1) * limit; i < found.size() && i < static_cast<size_t>(page * limit); ++i) {
      items.push_back(found[i]);
    }
    Send(res, 200, {{"items", items}, {"total", found.size()}});
  });
  server_.Post("/api/cards", [this](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("data")) return Send(res, 400, {{"error", "data is required"}});
    std::lock_guard lock(mu_);
    Send(res, 201, NewCard(body["data"]));
  });
  const std::string card = "/api/cards/([0-9a-f-]{36})";
  server_.Get(card, [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    if (reads_fail_until_ && read_fault_clock_->Now() < *reads_fail_until_) {
      return Send(res, 503, {{"error", "Service Unavailable"}});
    }
    auto it = cards_.find(req.matches[1]);
    if (it == cards_.end()) return Send(res, 404, {{"error", "Card not found"}});
    Send(res, 200, it->second);
  });
  server_.Patch(card, [this](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, false);
    std::lock_guard lock(mu_);
    auto it = cards_.find(req.matches[1]);
    if (it == cards_.end()) return Send(res, 404, {{"error", "Card not found"}});
    if (!body.is_object()) return Send(res, 400, {{"error", "Invalid body"}});
    if (body.contains("data")) {
      json errors = ValidationErrors(body["data"], it->second["meta"]["spec"]);
      if (!errors.empty()) return Send(res, 400, {{"error", "Validation failed"}, {"errors", errors}});
      it->second["data"] = body["data"];
      Rewrite(it->second["data"]);
    }
    if (body.contains("meta") && body["meta"].is_object()) it->second["meta"].update(body["meta"]);
    it->second["meta"]["updatedAt"] = NowIso();
    Send(res, 200, it->second);
  });
  server_.Delete(card, [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    if (!cards_.erase(req.matches[1])) return Send(res, 404, {{"error", "Card not found"}});
    res.status = 204;
  });
  server_.Get(card + "/versions", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    if (!cards_.count(req.matches[1])) return Send(res, 404, {{"error", "Card not found"}});
    json list = json::array();
    auto& versions = versions_[req.matches[1]];
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) list.push_back(*it);
    Send(res, 200, list);
  });
  server_.Post(card + "/versions", [this](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    std::lock_guard lock(mu_);
    auto it = cards_.find(req.matches[1]);
    if (it == cards_.end()) return Send(res, 404, {{"error", "Card not found"}});
    auto& versions = versions_[req.matches[1]];
    json version{{"id", UuidV4()},
                 {"cardId", req.matches[1]},
                 {"version", versions.size() + 1},
                 {"data", it->second["data"]},
                 {"createdAt", NowIso()}};
    if (body.is_object() && body.contains("message")) version["message"] = body["message"];
    versions.push_back(version);
    Send(res, 201, version);
  });
  server_.Get(card + "/image", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    auto it = images_.find(req.matches[1]);
    if (it == images_.end()) return Send(res, 404, {{"error", "Image not found"}});
    res.set_header("Cache-Control", "public, max-age=3600");
    res.set_content(it->second, "image/png");
  });
  server_.Get(card + "/export", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    auto it = cards_.find(req.matches[1]);
    if (it == cards_.end()) return Send(res, 404, {{"error", "Card not found"}});
    std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
    if (format != "json") return Send(res, 400, {{"error", "Invalid format"}});
    res.set_header("Content-Disposition",
                   "attachment; filename=\"" + it->second["meta"].value("name", "card") + ".json\"");
    res.set_content(it->second["data"].dump(2), "application/json");
  });
}

}  // namespace charchive::testing
