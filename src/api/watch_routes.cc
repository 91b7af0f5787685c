#include "api/watch_routes.h"

#include "api/errors.h"
#include "api/json_response.h"
#include "api/request_params.h"
#include "card/json_fields.h"

namespace charchive::api {
namespace {

using httplib::Request;
using httplib::Response;
using watch::FolderWatcher;

constexpr int64_t kRecentFiles = 50;

Json FoldersJson(const std::vector<watch::WatchedFolder>& folders) {
  Json list = Json::array();
  for (const auto& f : folders) {
    list.push_back(Json{{"path", f.path},
                        {"origin", watch::FolderOriginName(f.origin)},
                        {"watching", f.watching.ok()},
                        {"error", f.watching.ok() ? Json(nullptr) : Json(f.watching.message())}});
  }
  return list;
}

Result<Json> WatchView(FolderWatcher& watcher) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<WatchedFile> recent, watcher.Recent(kRecentFiles));
  Json files = Json::array();
  for (const auto& f : recent) {
    files.push_back(Json{{"path", f.path},
                         {"status", WatchFileStatusName(f.status)},
                         {"cardId", f.card_id ? Json(*f.card_id) : Json(nullptr)},
                         {"message", f.message},
                         {"seenAt", f.seen_at}});
  }
  return Json{{"folders", FoldersJson(watcher.Folders())},
              {"pending", Json{{"writing", watcher.pending().writing}, {"settling", watcher.pending().settling}}},
              {"recent", files}};
}

void GetWatch(FolderWatcher& watcher, const Request&, Response& res) {
  auto view = WatchView(watcher);
  if (!view.ok()) return WriteError(res, view.status());
  WriteJson(res, 200, *view);
}

Result<std::vector<std::string>> ParseFolders(const Json& body) {
  CHARCHIVE_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::Of(body, JsonOrigin::Request()));
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<const Json*> items, fields.Array("folders"));
  std::vector<std::string> folders;
  for (const Json* item : items) {
    if (!item->is_string()) return Status::Invalid(api_error::kBadField, "folders must be a list of paths");
    folders.push_back(item->get<std::string>());
  }
  return folders;
}

void PutWatch(FolderWatcher& watcher, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto folders = ParseFolders(*body);
  if (!folders.ok()) return WriteError(res, folders.status());
  auto set = watcher.SetFolders(*folders);
  if (!set.ok()) return WriteError(res, set.status());
  auto view = WatchView(watcher);
  if (!view.ok()) return WriteError(res, view.status());
  WriteJson(res, 200, *view);
}

}  // namespace

void AddWatchRoutes(httplib::Server& server, FolderWatcher& watcher) {
  server.Get("/api/watch", [&watcher](const Request& req, Response& res) { GetWatch(watcher, req, res); });
  server.Put("/api/watch", [&watcher](const Request& req, Response& res) { PutWatch(watcher, req, res); });
}

}  // namespace charchive::api
