#include "api/trash_routes.h"

#include "api/card_json.h"
#include "api/json_response.h"
#include "api/request_params.h"
#include "store/errors.h"
#include "util/log.h"

namespace charchive::api {
namespace {

using httplib::Request;
using httplib::Response;

constexpr int64_t kDefaultTrashPage = 200;

void TrashCard(Archive& archive, const Request& req, Response& res) {
  Status trashed = archive.Trash(IdParam(req));
  if (!trashed.ok()) return WriteError(res, trashed);
  WriteJson(res, 200, Json{{"success", true}, {"trashed", true}});
}

// The cards of a bulk body, each checked first (it exists, and is in the
// trash or not as `in_trash` asks), so a body naming a wrong one changes none.
Result<std::vector<CardId>> CheckedIds(Archive& archive, const Request& req, bool in_trash) {
  CHARCHIVE_ASSIGN_OR_RETURN(Json body, ObjectBody(req));
  CHARCHIVE_ASSIGN_OR_RETURN(std::vector<CardId> ids, CardIds(body));
  for (CardId id : ids) {
    CHARCHIVE_ASSIGN_OR_RETURN(CardRecord card, archive.Get(id));
    if (card.trashed_at.has_value() != in_trash) {
      return Status::Conflict(in_trash ? store_error::kNotTrashed : store_error::kTrashed,
                              "card " + std::to_string(id) + (in_trash ? " is not in the trash" : " is in the trash"));
    }
  }
  return ids;
}

void BulkTrash(Archive& archive, const Request& req, Response& res) {
  auto ids = CheckedIds(archive, req, false);
  if (!ids.ok()) return WriteError(res, ids.status());
  for (CardId id : *ids) {
    if (Status trashed = archive.Trash(id); !trashed.ok()) return WriteError(res, trashed);
  }
  WriteJson(res, 200, Json{{"trashed", ids->size()}});
}

void RestoreCard(Archive& archive, const Request& req, Response& res) {
  auto card = archive.RestoreFromTrash(IdParam(req));
  if (!card.ok()) return WriteError(res, card.status());
  WriteJson(res, 200, CardJson(*card));
}

void BulkRestore(Archive& archive, const Request& req, Response& res) {
  auto ids = CheckedIds(archive, req, true);
  if (!ids.ok()) return WriteError(res, ids.status());
  for (CardId id : *ids) {
    if (auto card = archive.RestoreFromTrash(id); !card.ok()) return WriteError(res, card.status());
  }
  WriteJson(res, 200, Json{{"restored", ids->size()}});
}

void ListTrash(Archive& archive, const Request& req, Response& res) {
  int64_t limit = kDefaultTrashPage;
  if (req.has_param("limit")) {
    auto asked = IntParam(req, "limit", 1, 1000);
    if (!asked.ok()) return WriteError(res, asked.status());
    limit = *asked;
  }
  auto page = archive.ListTrash(limit);
  if (!page.ok()) return WriteError(res, page.status());
  WriteJson(res, 200, SummaryPageJson(page->items, Json{{"total", page->total}}));
}

void EmptyTrash(Archive& archive, const Request&, Response& res) {
  auto deleted = archive.EmptyTrash();
  if (!deleted.ok()) return WriteError(res, deleted.status());
  log::Info("trash_emptied", {{"cards", *deleted}});
  WriteJson(res, 200, Json{{"deleted", *deleted}});
}

}  // namespace

void AddTrashRoutes(httplib::Server& server, Archive& archive) {
  auto bind = [&archive](void (*handler)(Archive&, const Request&, Response&)) {
    return [&archive, handler](const Request& req, Response& res) { handler(archive, req, res); };
  };
  const std::string card = kCardRoute;
  server.Delete(card, bind(TrashCard));
  server.Post(card + "/restore", bind(RestoreCard));
  server.Post("/api/cards/bulk/trash", bind(BulkTrash));
  server.Post("/api/trash/restore", bind(BulkRestore));
  server.Get("/api/trash", bind(ListTrash));
  server.Delete("/api/trash", bind(EmptyTrash));
}

}  // namespace charchive::api
