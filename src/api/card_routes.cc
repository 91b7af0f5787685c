#include "api/card_routes.h"

#include <set>

#include "api/card_json.h"
#include "api/errors.h"
#include "api/json_response.h"
#include "api/list_query_parser.h"
#include "api/request_params.h"
#include "api/upload_parts.h"
#include "card/json_fields.h"
#include "card/zip_writer.h"
#include "util/file_io.h"
#include "util/log.h"

namespace charchive::api {
namespace {

using httplib::Request;
using httplib::Response;

constexpr size_t kMaxExportCards = 500;

// RFC 6266: an ASCII fallback plus the UTF-8 name, percent-encoded.
std::string ContentDisposition(const std::string& name) {
  std::string ascii, encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    ascii.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? static_cast<char>(c) : '_');
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

void ListCards(Archive& archive, const Request& req, Response& res) {
  auto query = ParseListQuery(req);
  if (!query.ok()) return WriteError(res, query.status());
  auto page = archive.List(*query);
  if (!page.ok()) return WriteError(res, page.status());
  WriteJson(res, 200,
            SummaryPageJson(page->items, Json{{"total", page->total},
                                              {"total_capped", page->total_capped},
                                              {"page", query->page},
                                              {"limit", query->limit}}));
}

void UploadCards(Archive& archive, const Request& req, Response& res) {
  auto files = CardUploadFiles(req);
  if (!files.ok()) return WriteError(res, 400, files.status().message());
  std::vector<PreparedImport> batch;
  for (const UploadedFile& f : *files) {
    batch.push_back(archive.PrepareImport(std::string(f.content), std::string(f.file_name)));
  }
  Json results = Json::array();
  size_t imported = 0, duplicates = 0, failed = 0;
  Status server_fault;  // a failure that is the archive's, not the file's (a full disk)
  for (const ImportResult& r : archive.CommitImports(std::move(batch))) {
    Json item{{"file", r.file}};
    if (r.id) item["id"] = *r.id, ++imported;
    if (r.duplicate_of) item["duplicateOf"] = *r.duplicate_of, ++duplicates;
    if (!r.status.ok()) item["error"] = r.status.message(), item["kind"] = r.status.kind(), ++failed;
    if (r.status.code() == StatusCode::kIoError || r.status.code() == StatusCode::kInternal) server_fault = r.status;
    results.push_back(std::move(item));
  }
  Json body{{"results", results}, {"imported", imported}, {"duplicates", duplicates}, {"failed", failed}};
  if (imported + duplicates == 0) {
    body["error"] = server_fault.ok() ? "no card could be imported" : server_fault.message();
    if (!server_fault.ok()) body["kind"] = server_fault.kind();
  }
  int status = server_fault.ok() ? 400 : HttpStatusFor(server_fault);
  WriteJson(res, imported > 0 ? 201 : (duplicates > 0 ? 200 : status), body);
}

void GetCard(Archive& archive, const Request& req, Response& res) {
  auto card = archive.Get(IdParam(req));
  if (!card.ok()) return WriteError(res, card.status());
  WriteJson(res, 200, CardJson(*card));
}

// The `data` object of a `{"data": {...}}` body, or a 400 written.
const Json* DataObject(const Result<Json>& body, Response& res) {
  if (!body.ok()) {
    WriteError(res, body.status());
    return nullptr;
  }
  if (!body->contains("data") || !(*body)["data"].is_object()) {
    WriteError(res, Status::Invalid(api_error::kBadField, "body must be {\"data\": {...fields...}}"));
    return nullptr;
  }
  return &(*body)["data"];
}

void PatchCard(Archive& archive, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  const Json* data = DataObject(body, res);
  if (!data) return;
  auto card = archive.UpdateData(IdParam(req), *data);
  if (!card.ok()) return WriteError(res, card.status());
  WriteJson(res, 200, CardJson(*card));
}

void CreateCard(Archive& archive, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  const Json* data = DataObject(body, res);
  if (!data) return;
  auto card = archive.Create(*data);
  if (!card.ok()) return WriteError(res, card.status());
  WriteJson(res, 201, CardJson(*card));
}

void CloneCard(Archive& archive, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  auto name = fields.ok() ? fields->OptionalString("name") : fields.status();
  if (!name.ok()) return WriteError(res, name.status());
  auto card = archive.Clone(IdParam(req), name->value_or(""));
  if (!card.ok()) return WriteError(res, card.status());
  WriteJson(res, 201, CardJson(*card));
}

void ReplaceImage(Archive& archive, const Request& req, Response& res) {
  auto files = CardUploadFiles(req);
  if (!files.ok()) return WriteError(res, files.status());
  if (files->size() != 1) {
    return WriteError(res, Status::Invalid(api_error::kBadUpload, "send exactly one `file`: the new PNG image"));
  }
  auto card = archive.ReplaceImage(IdParam(req), std::string(files->front().content));
  if (!card.ok()) return WriteError(res, card.status());
  WriteJson(res, 200, CardJson(*card));
}

void ListVersions(Archive& archive, const Request& req, Response& res) {
  auto versions = archive.Versions(IdParam(req));
  if (!versions.ok()) return WriteError(res, versions.status());
  Json items = Json::array();
  for (const auto& v : *versions) items.push_back(VersionJson(v, false));
  WriteJson(res, 200, Json{{"versions", std::move(items)}});
}

void GetVersion(Archive& archive, const Request& req, Response& res) {
  auto version = archive.Version(IdParam(req), IdParam(req, 2));
  if (!version.ok()) return WriteError(res, version.status());
  WriteJson(res, 200, VersionJson(*version, true));
}

void RestoreVersion(Archive& archive, const Request& req, Response& res) {
  auto card = archive.RestoreVersion(IdParam(req), IdParam(req, 2));
  if (!card.ok()) return WriteError(res, card.status());
  WriteJson(res, 200, CardJson(*card));
}

// httplib asks for the body (or each range of it) while it writes the answer,
// so a download read from a card file is never whole in memory.
void SendDownload(Response& res, Download download) {
  auto shared = std::make_shared<const Download>(std::move(download));
  res.set_content_provider(
      shared->size(), shared->content_type(), [shared](size_t offset, size_t length, httplib::DataSink& sink) {
        Status sent = shared->WriteTo(
            offset, length, [&sink](std::string_view bytes) { return sink.write(bytes.data(), bytes.size()); });
        if (!sent.ok() && sent.kind() != "cancelled") {
          log::Error("download_failed", {{"file", shared->file_name()}, {"error", sent.ToString()}});
        }
        return sent.ok();
      });
}

void DownloadCard(Archive& archive, const Request& req, Response& res) {
  std::string name = req.has_param("format") ? req.get_param_value("format") : "png";
  auto format = ParseCardFormat(name);
  if (!format.ok()) return WriteError(res, 400, "query parameter 'format' must be png, json or charx");
  auto download = archive.StreamExport(IdParam(req), *format);
  if (!download.ok()) return WriteError(res, download.status());
  res.set_header("Content-Disposition", ContentDisposition(download->file_name()));
  SendDownload(res, std::move(download).value());
}

// Many cards in one zip, each as its download would be; a name met twice gets
// " (2)", " (3)"… before its extension. Built in memory, so the count is capped.
void ExportCards(Archive& archive, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto ids = CardIds(*body);
  if (!ids.ok()) return WriteError(res, ids.status());
  if (ids->size() > kMaxExportCards) {
    return WriteError(
        res, Status::Invalid(api_error::kBadField, "at most " + std::to_string(kMaxExportCards) + " cards per export"));
  }
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  auto name = fields.ok() ? fields->StringOr("format", "png") : fields.status();
  if (!name.ok()) return WriteError(res, name.status());
  auto format = ParseCardFormat(*name);
  if (!format.ok()) return WriteError(res, 400, "format must be png, json or charx");
  std::vector<std::string> files;  // the bytes, which the entries point into
  std::vector<ZipEntry> entries;
  std::set<std::string> taken;
  files.reserve(ids->size());
  for (CardId id : *ids) {
    auto download = archive.StreamExport(id, *format);
    if (!download.ok()) return WriteError(res, download.status());
    std::string bytes;
    Status read = download->WriteTo(0, download->size(), [&bytes](std::string_view piece) {
      bytes.append(piece);
      return true;
    });
    if (!read.ok()) return WriteError(res, read);
    std::string file = download->file_name();
    const size_t dot = file.rfind('.');
    for (int n = 2; !taken.insert(file).second; ++n) {
      file = download->file_name().substr(0, dot) + " (" + std::to_string(n) + ")" + download->file_name().substr(dot);
    }
    files.push_back(std::move(bytes));
    entries.push_back(ZipEntry{file, files.back(), *format == CardFormat::kJson});
  }
  auto zip = WriteZip(entries);
  if (!zip.ok()) return WriteError(res, zip.status());
  res.set_header("Content-Disposition", ContentDisposition("cards.zip"));
  res.set_content(std::move(zip).value(), "application/zip");
}

void Image(Archive& archive, const Request& req, Response& res) {
  auto png = archive.StreamImage(IdParam(req));
  if (!png.ok()) return WriteError(res, png.status());
  res.set_header("Cache-Control", "private, max-age=60");
  SendDownload(res, std::move(png).value());
}

void Thumbnail(Archive& archive, const Request& req, Response& res) {
  auto path = archive.ThumbnailPath(IdParam(req));
  if (!path.ok()) return WriteError(res, path.status());
  // Thumbnail files are immutable: their name is the card file's.
  std::string etag = "\"" + path->substr(path->rfind('/') + 1) + "\"";
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "private, max-age=86400");
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  auto jpeg = ReadFile(*path, 16u << 20);
  if (!jpeg.ok()) return WriteError(res, jpeg.status());
  res.set_content(std::move(jpeg).value(), "image/jpeg");
}

void Favorite(Archive& archive, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  auto favorite = fields.ok() ? fields->OptionalBool("favorite") : fields.status();
  if (!favorite.ok()) return WriteError(res, favorite.status());
  auto card = archive.SetFavorite(IdParam(req), *favorite);
  if (!card.ok()) return WriteError(res, card.status());
  WriteJson(res, 200, Json{{"id", card->id}, {"favorite", card->favorite}});
}

// Every card named is checked first, so a missing one changes none.
void BulkFavorite(Archive& archive, const Request& req, Response& res) {
  auto body = ObjectBody(req);
  if (!body.ok()) return WriteError(res, body.status());
  auto ids = CardIds(*body);
  if (!ids.ok()) return WriteError(res, ids.status());
  auto fields = JsonFields::Of(*body, JsonOrigin::Request());
  auto favorite = fields.ok() ? fields->OptionalBool("favorite") : fields.status();
  if (!favorite.ok()) return WriteError(res, favorite.status());
  if (!*favorite) return WriteError(res, Status::Invalid(api_error::kBadField, "favorite must be true or false"));
  for (CardId id : *ids) {
    if (auto card = archive.Get(id); !card.ok()) return WriteError(res, card.status());
  }
  for (CardId id : *ids) {
    if (auto card = archive.SetFavorite(id, **favorite); !card.ok()) return WriteError(res, card.status());
  }
  WriteJson(res, 200, Json{{"changed", ids->size()}, {"favorite", **favorite}});
}

void Tags(Archive& archive, const Request&, Response& res) {
  auto tags = archive.Tags();
  if (!tags.ok()) return WriteError(res, tags.status());
  WriteJson(res, 200, Json{{"tags", TagsJson(*tags)}});
}

}  // namespace

void AddCardRoutes(httplib::Server& server, Archive& archive) {
  auto bind = [&archive](void (*handler)(Archive&, const Request&, Response&)) {
    return [&archive, handler](const Request& req, Response& res) { handler(archive, req, res); };
  };
  const std::string card = kCardRoute;
  server.Get("/api/cards", bind(ListCards));
  server.Post("/api/cards", bind(UploadCards));
  server.Post("/api/cards/new", bind(CreateCard));
  server.Get(card, bind(GetCard));
  server.Patch(card, bind(PatchCard));
  server.Post(card + "/clone", bind(CloneCard));
  server.Put(card + "/image", bind(ReplaceImage));
  server.Get(card + "/versions", bind(ListVersions));
  server.Get(card + R"(/versions/(\d{1,18}))", bind(GetVersion));
  server.Post(card + R"(/versions/(\d{1,18})/restore)", bind(RestoreVersion));
  server.Get(card + "/download", bind(DownloadCard));
  server.Get(card + "/image", bind(Image));
  server.Get(card + "/thumbnail", bind(Thumbnail));
  server.Post(card + "/favorite", bind(Favorite));
  server.Post("/api/cards/bulk/favorite", bind(BulkFavorite));
  server.Post("/api/cards/export", bind(ExportCards));
  server.Get("/api/tags", bind(Tags));
}

}  // namespace charchive::api
