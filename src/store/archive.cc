#include "store/archive.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iterator>
#include <thread>

#include "card/card_convert.h"
#include "card/card_patch.h"
#include "card/charx.h"
#include "card/errors.h"
#include "card/image_hash.h"
#include "card/limits.h"
#include "store/card_repository.h"
#include "store/errors.h"
#include "store/migrations.h"
#include "store/thumbnail.h"
#include "util/file_io.h"

namespace charchive {
namespace {

namespace repo = card_repository;

constexpr char kDatabaseFile[] = "cards.db";

std::string SafeFileName(const std::string& name, const std::string& ext) {
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x20 || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' ||
        c == '|') {
      out.push_back('_');
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  if (out.empty()) out = "card";
  if (out.size() > 120) out.resize(120);
  return out + "." + ext;
}

const char* ContentType(CardFormat format) {
  switch (format) {
    case CardFormat::kPng:
      return "image/png";
    case CardFormat::kJson:
      return "application/json";
    case CardFormat::kCharx:
      return "application/zip";
  }
  return "application/octet-stream";
}

}  // namespace

Result<std::unique_ptr<Archive>> Archive::Open(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IoError(store_error::kIoError, "cannot create data dir " + data_dir + ": " + ec.message());
  CHARCHIVE_ASSIGN_OR_RETURN(FileStore files, FileStore::Open(data_dir));
  std::unique_ptr<Archive> archive(new Archive(std::move(files), data_dir + "/" + kDatabaseFile));
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, archive->pool_.Acquire());
  CHARCHIVE_RETURN_IF_ERROR(ApplyMigrations(*db));
  Status lookup;
  auto recovered = archive->files_.Recover([&](const std::string& name) {
    auto referenced = repo::FileReferenced(*db, name);
    if (!referenced.ok()) lookup = referenced.status();
    // When unsure, keep the file: roll forward rather than lose bytes.
    return !referenced.ok() || *referenced;
  });
  CHARCHIVE_RETURN_IF_ERROR(lookup);
  if (!recovered.ok()) return recovered.status();
  archive->recovery_ = *recovered;
  return archive;
}

PreparedImport Archive::PrepareImport(std::string bytes, std::string original_name) const {
  PreparedImport p;
  p.original_name = std::move(original_name);
  p.file_size = static_cast<int64_t>(bytes.size());
  auto loaded = LoadCardBytes(bytes);
  if (!loaded.ok()) {
    p.status = loaded.status();
    return p;
  }
  p.format = CardFormatName(loaded->format);
  p.row = DeriveCardRow(loaded->card);
  if (!loaded->png.empty()) {
    auto image_hash = PngImageHash(loaded->png);
    if (image_hash.ok()) p.image_hash = *image_hash;
  }
  p.file_name = FileStore::NewName(p.format);
  p.status = files_.Stage(p.file_name, bytes);
  return p;
}

Status Archive::SyncStaged(std::vector<PreparedImport>& batch) const {
  std::vector<std::string> names;
  for (const PreparedImport& p : batch) {
    if (p.status.ok() && !p.durable) names.push_back(p.file_name);
  }
  CHARCHIVE_RETURN_IF_ERROR(files_.SyncStaged(names));
  for (PreparedImport& p : batch) p.durable = p.durable || p.status.ok();
  return Status::Ok();
}

std::vector<ImportResult> Archive::CommitImports(std::vector<PreparedImport> batch) {
  std::vector<ImportResult> results(batch.size());
  std::vector<bool> inserted(batch.size(), false);
  for (size_t i = 0; i < batch.size(); ++i) {
    results[i].file = batch[i].original_name;
    results[i].status = batch[i].status;
  }
  auto fail_all = [&](const Status& s) {
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].status.ok()) {
        files_.Unstage(batch[i].file_name);
        results[i].status = s;
        results[i].id.reset();
      }
    }
    return results;
  };
  Status synced = SyncStaged(batch);
  if (!synced.ok()) return fail_all(synced);
  auto db = pool_.Acquire();
  if (!db.ok()) return fail_all(db.status());
  auto tx = Transaction::Begin(**db);
  if (!tx.ok()) return fail_all(tx.status());
  for (size_t i = 0; i < batch.size(); ++i) {
    PreparedImport& p = batch[i];
    if (!p.status.ok()) continue;
    auto dup = repo::FindDuplicate(**db, p.row.content_hash, p.image_hash);
    if (!dup.ok()) return fail_all(dup.status());
    if (*dup) {
      results[i].duplicate_of = **dup;
      continue;
    }
    NewCard card{std::move(p.row), p.format,    p.source,    p.source_id,
                 p.image_hash,     p.file_name, p.file_size, p.original_name};
    auto id = repo::Insert(**db, card);
    if (!id.ok()) return fail_all(id.status());
    results[i].id = *id;
    inserted[i] = true;
  }
  Status committed = (*tx)->Commit();
  if (!committed.ok()) return fail_all(committed);
  std::vector<std::string> published;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].status.ok()) continue;
    if (inserted[i]) {
      published.push_back(batch[i].file_name);
    } else {
      files_.Unstage(batch[i].file_name);
    }
  }
  // The rows are committed; a failed rename is settled by recovery at the next open.
  (void)files_.Publish(published);
  return results;
}

ImportResult Archive::ImportBytes(std::string bytes, std::string original_name) {
  std::vector<PreparedImport> batch;
  batch.push_back(PrepareImport(std::move(bytes), std::move(original_name)));
  return std::move(CommitImports(std::move(batch)).front());
}

Archive::Archive(FileStore files, std::string db_path)
    : files_(std::move(files)),
      pool_(std::move(db_path), 8),
      list_slots_(std::max<int64_t>(2, std::thread::hardware_concurrency())) {}

Result<ListPage> Archive::List(const ListQuery& query) {
  // A list or a search is CPU work over one connection's page cache. More at
  // once than there are cores only slice the cores finer and spread the work
  // over more connections, each cold for the pages the query reads: at a
  // million cards on 2 cores, 8 clients' one-word searches had a p99 of
  // 58-76 ms run 8 at once, 34-45 ms run 2 at once. In turn, so none waits
  // behind later ones.
  auto slot = list_slots_.Enter(ConnectionPool::kDefaultAcquireTimeout);
  if (!slot) {
    return Status::Internal("db_pool_exhausted", "no list or search finished in " +
                                                     std::to_string(ConnectionPool::kDefaultAcquireTimeout.count()) +
                                                     " s to make room for this one");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  return repo::List(*db, query);
}

Result<CardRecord> Archive::Get(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  return repo::Get(*db, id);
}

Result<CardRecord> Archive::WriteContent(CardId id, const Card& card, const std::string& reason) {
  CardRow row = DeriveCardRow(card);
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
  CHARCHIVE_RETURN_IF_ERROR(repo::UpdateContent(*db, id, row, reason));
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return repo::Get(*db, id);
}

Result<CardRecord> Archive::ReplaceContent(CardId id, const Card& card, const std::string& reason) {
  if (reason != "pull" && reason != "merge") {
    return Status::Internal(store_error::kBadReason,
                            "content is replaced only by a pull or a merge, not '" + reason + "'");
  }
  return WriteContent(id, card, reason);
}

Result<CardRecord> Archive::UpdateData(CardId id, const Json& data_patch) {
  // Read, patch and write in one (IMMEDIATE) transaction: two edits of a card
  // at once are applied one after the other, neither loses the other's fields.
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, repo::Get(*db, id));
  CHARCHIVE_ASSIGN_OR_RETURN(Card current, Card::FromJson(record.raw_json));
  CHARCHIVE_ASSIGN_OR_RETURN(Card edited, ApplyDataPatch(current, data_patch));
  CHARCHIVE_RETURN_IF_ERROR(repo::UpdateContent(*db, id, DeriveCardRow(edited), "edit"));
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return repo::Get(*db, id);
}

Result<CardRecord> Archive::CommitNew(PreparedImport p) {
  CHARCHIVE_RETURN_IF_ERROR(p.status);
  CardId id = 0;
  Status committed = [&]() -> Status {
    CHARCHIVE_RETURN_IF_ERROR(files_.SyncStaged({p.file_name}));
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
    NewCard card{std::move(p.row), p.format,    p.source,    p.source_id,
                 p.image_hash,     p.file_name, p.file_size, p.original_name};
    CHARCHIVE_ASSIGN_OR_RETURN(id, repo::Insert(*db, card));
    return tx->Commit();
  }();
  if (!committed.ok()) {
    files_.Unstage(p.file_name);
    return committed;
  }
  // The row is committed; a failed rename is settled by recovery at the next open.
  (void)files_.Publish({p.file_name});
  return Get(id);
}

Result<CardRecord> Archive::Create(const Json& data) {
  if (!data.is_object() || !data.contains("name")) {
    return Status::Invalid(card_error::kBadField, "data.name is required");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Card blank, Card::FromDocument(ToV3Document(Card())));
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, ApplyDataPatch(blank, data));
  return CommitNew(PrepareImport(DumpJson(card.document()), card.name() + ".json"));
}

Result<CardRecord> Archive::Clone(CardId id, const std::string& name) {
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, Get(id));
  CHARCHIVE_ASSIGN_OR_RETURN(LoadedCard loaded, LoadStored(record));
  std::string copy_name = name.find_first_not_of(" \t\r\n") == std::string::npos ? record.name + " (copy)" : name;
  CHARCHIVE_ASSIGN_OR_RETURN(loaded.card, ApplyDataPatch(loaded.card, Json{{"name", copy_name}}));
  CardFormat format = loaded.format;
  CardSpec spec = loaded.card.spec() == CardSpec::kV3 ? CardSpec::kV3 : CardSpec::kV2;
  CHARCHIVE_ASSIGN_OR_RETURN(std::string bytes, SaveCardBytes(loaded, format, spec));
  return CommitNew(PrepareImport(std::move(bytes), SafeFileName(copy_name, CardFormatName(format))));
}

Result<CardRecord> Archive::ReplaceImage(CardId id, std::string png) {
  auto image_hash = PngImageHash(png);
  if (!image_hash.ok()) {
    return Status::Invalid(store_error::kBadImage, "the new image is not a PNG: " + image_hash.status().message());
  }
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, Get(id));
  CHARCHIVE_ASSIGN_OR_RETURN(LoadedCard loaded, LoadStored(record));
  // A CharX card keeps its assets, the main icon's file replaced; any other becomes a PNG card.
  CardFormat format = loaded.format == CardFormat::kCharx ? CardFormat::kCharx : CardFormat::kPng;
  if (format == CardFormat::kCharx) {
    std::string icon = MainIconPath(DumpJson(loaded.card.document()));
    if (icon.empty() || !loaded.assets.count(icon)) {
      return Status::Invalid(store_error::kNoImage, "this CharX card names no main icon file to replace");
    }
    loaded.assets[icon] = png;
  }
  loaded.png = std::move(png);
  CardSpec spec = loaded.card.spec() == CardSpec::kV3 ? CardSpec::kV3 : CardSpec::kV2;
  CHARCHIVE_ASSIGN_OR_RETURN(std::string bytes, SaveCardBytes(loaded, format, spec));
  std::string file_name = FileStore::NewName(CardFormatName(format));
  CHARCHIVE_RETURN_IF_ERROR(files_.Stage(file_name, bytes));
  Status committed = [&]() -> Status {
    CHARCHIVE_RETURN_IF_ERROR(files_.SyncStaged({file_name}));
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
    // The content as it is now (an edit may have landed since it was read above).
    CHARCHIVE_ASSIGN_OR_RETURN(CardRecord current, repo::Get(*db, id));
    CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromJson(current.raw_json));
    CHARCHIVE_RETURN_IF_ERROR(
        repo::ReplaceFile(*db, id, CardFormatName(format), *image_hash, file_name, static_cast<int64_t>(bytes.size())));
    CHARCHIVE_RETURN_IF_ERROR(repo::UpdateContent(*db, id, DeriveCardRow(card), "edit"));
    return tx->Commit();
  }();
  if (!committed.ok()) {
    files_.Unstage(file_name);
    return committed;
  }
  (void)files_.Publish({file_name});
  // The old file is no row's now; should removing it fail, `doctor` lists it as an orphan.
  (void)files_.Remove(record.file_name);
  return Get(id);
}

Status Archive::Delete(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string file, repo::Delete(*db, id));
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return files_.Remove(file);
}

Status Archive::Trash(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
  CHARCHIVE_RETURN_IF_ERROR(repo::Trash(*db, id));
  return tx->Commit();
}

Result<CardRecord> Archive::RestoreFromTrash(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, repo::Get(*db, id));
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromJson(record.raw_json));
  CHARCHIVE_RETURN_IF_ERROR(repo::Restore(*db, id, DeriveCardRow(card)));
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return repo::Get(*db, id);
}

Result<TrashPage> Archive::ListTrash(int64_t limit) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  return repo::ListTrash(*db, limit);
}

Result<int64_t> Archive::EmptyTrash() {
  std::vector<CardId> ids;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
    CHARCHIVE_ASSIGN_OR_RETURN(ids, repo::TrashedIds(*db));
  }
  int64_t deleted = 0;
  for (CardId id : ids) {
    Status gone = Delete(id);
    if (gone.code() == StatusCode::kNotFound) continue;  // restored or deleted meanwhile
    CHARCHIVE_RETURN_IF_ERROR(gone);
    ++deleted;
  }
  return deleted;
}

Result<CardRecord> Archive::SetFavorite(CardId id, std::optional<bool> favorite) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, repo::Get(*db, id));
  CHARCHIVE_RETURN_IF_ERROR(repo::SetFavorite(*db, id, favorite.value_or(!record.favorite)));
  CHARCHIVE_RETURN_IF_ERROR(tx->Commit());
  return repo::Get(*db, id);
}

Result<std::vector<VersionRecord>> Archive::Versions(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  return repo::Versions(*db, id);
}

Result<std::optional<int64_t>> Archive::LatestVersionId(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  return repo::LatestVersionId(*db, id);
}

Result<std::vector<CardId>> Archive::CardIds() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  return repo::CardIds(*db);
}

Result<VersionRecord> Archive::Version(CardId id, int64_t version_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  return repo::Version(*db, id, version_id);
}

Result<CardRecord> Archive::RestoreVersion(CardId id, int64_t version_id) {
  CHARCHIVE_ASSIGN_OR_RETURN(VersionRecord version, Version(id, version_id));
  CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromJson(version.raw_json));
  return WriteContent(id, card, "restore");
}

Result<std::vector<TagCount>> Archive::Tags() {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  return repo::Tags(*db);
}

Result<LoadedCard> Archive::LoadStored(const CardRecord& record) {
  CHARCHIVE_ASSIGN_OR_RETURN(std::string bytes, ReadFile(files_.PathOf(record.file_name), limits::kMaxCardFile));
  CHARCHIVE_ASSIGN_OR_RETURN(LoadedCard loaded, LoadOwnedCardBytes(std::move(bytes)));
  CHARCHIVE_ASSIGN_OR_RETURN(loaded.card, Card::FromJson(record.raw_json));
  return loaded;
}

Result<Download> Archive::StreamExport(CardId id, CardFormat format) {
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, Get(id));
  std::string file_name = SafeFileName(record.name, CardFormatName(format));
  if (format == CardFormat::kPng && record.format == CardFormatName(CardFormat::kPng)) {
    CHARCHIVE_ASSIGN_OR_RETURN(Card card, Card::FromJson(record.raw_json));
    return PngFileWith(record, card, std::move(file_name));
  }
  LoadedCard loaded;
  if (format == CardFormat::kJson) {
    // The JSON is the row's: the file has nothing to add.
    CHARCHIVE_ASSIGN_OR_RETURN(loaded.card, Card::FromJson(record.raw_json));
  } else {
    CHARCHIVE_ASSIGN_OR_RETURN(loaded, LoadStored(record));
  }
  CardSpec spec = loaded.card.spec() == CardSpec::kV3 ? CardSpec::kV3 : CardSpec::kV2;
  CHARCHIVE_ASSIGN_OR_RETURN(std::string bytes, SaveCardBytes(loaded, format, spec));
  return Download::FromBytes(std::move(bytes), std::move(file_name), ContentType(format));
}

Result<CardSnapshot> Archive::Snapshot(CardId id) {
  CardSnapshot snap;
  CHARCHIVE_ASSIGN_OR_RETURN(snap.record, Get(id));
  if (snap.record.trashed_at) {
    return Status::Conflict(store_error::kTrashed, "card " + std::to_string(id) + " is in the trash");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(LoadedCard loaded, LoadStored(snap.record));
  CardSpec spec = loaded.card.spec() == CardSpec::kV3 ? CardSpec::kV3 : CardSpec::kV2;
  CHARCHIVE_ASSIGN_OR_RETURN(snap.png, SaveCardBytes(loaded, CardFormat::kPng, spec));
  snap.card = std::move(loaded.card);
  CHARCHIVE_ASSIGN_OR_RETURN(auto version, LatestVersionId(id));
  snap.version_id = version.value_or(0);
  return snap;
}

Result<std::string> Archive::StoredImage(const CardRecord& record) {
  if (!record.has_image) {
    return Status::NotFound(store_error::kNoImage, "card " + std::to_string(record.id) + " has no image");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(LoadedCard loaded, LoadStored(record));
  return std::move(loaded.png);
}

Result<std::string> Archive::Image(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, Get(id));
  return StoredImage(record);
}

Result<Download> Archive::PngFileWith(const CardRecord& record, const Card& card, std::string file_name) {
  auto plan = [&card](uint64_t size, const ByteReader& file) { return PlanPngCardBytes(card, size, file); };
  return Download::FromFile(files_.PathOf(record.file_name), plan, std::move(file_name), ContentType(CardFormat::kPng));
}

Result<std::string> Archive::PngWith(const CardRecord& record, const Card& card) {
  if (record.has_image && record.format == CardFormatName(CardFormat::kPng)) {
    CHARCHIVE_ASSIGN_OR_RETURN(Download png, PngFileWith(record, card, ""));
    return png.ReadAll();
  }
  LoadedCard loaded{.format = CardFormat::kPng, .card = card};
  if (record.has_image) {
    CHARCHIVE_ASSIGN_OR_RETURN(loaded.png, StoredImage(record));
  }
  return SaveCardBytes(loaded, CardFormat::kPng, card.spec());
}

Result<Download> Archive::StreamImage(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, Get(id));
  std::string file_name = SafeFileName(record.name, CardFormatName(CardFormat::kPng));
  if (record.has_image && record.format == CardFormatName(CardFormat::kPng)) {
    // A PNG card's image is its file, card chunks and all.
    return Download::FromFile(files_.PathOf(record.file_name), nullptr, std::move(file_name), "image/png");
  }
  CHARCHIVE_ASSIGN_OR_RETURN(std::string png, StoredImage(record));
  return Download::FromBytes(std::move(png), std::move(file_name), "image/png");
}

Result<std::string> Archive::ThumbnailPath(CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(CardRecord record, Get(id));
  std::string path = files_.ThumbnailPathOf(record.file_name);
  if (::access(path.c_str(), R_OK) == 0) return path;
  CHARCHIVE_ASSIGN_OR_RETURN(std::string png, Image(id));
  CHARCHIVE_ASSIGN_OR_RETURN(std::string jpeg, MakeThumbnailJpeg(png));
  CHARCHIVE_RETURN_IF_ERROR(WriteFileAtomic(path, jpeg));
  return path;
}

Result<DoctorReport> Archive::Doctor() {
  DoctorReport report;
  report.recovered_published = recovery_.published;
  report.recovered_deleted = recovery_.deleted;
  // The file comparison runs on a connection and thread of its own while the
  // integrity check (most of a doctor's time) runs here. It reads the files
  // after the rows: a file published in between is then referenced by a row
  // it has seen.
  Result<std::vector<std::string>> referenced = std::vector<std::string>();
  Result<std::vector<std::string>> present = std::vector<std::string>();
  std::thread files_thread([&] {
    auto db = pool_.Acquire();
    if (!db.ok()) {
      referenced = db.status();
      return;
    }
    referenced = repo::FileNames(**db);
    if (referenced.ok()) present = files_.ListFiles();
  });
  // The check visits the database's pages in b-tree order; from a cold page
  // cache that is a random read of the whole file. Read it sequentially
  // beside it (a million cards: 141 s cold, 47 s with this).
  std::atomic<bool> checked_all{false};
  std::thread warm_thread([&] { ReadThrough(files_.data_dir() + "/" + kDatabaseFile, checked_all); });
  Status checked = CheckIntegrity(report);
  checked_all = true;
  warm_thread.join();
  files_thread.join();
  CHARCHIVE_RETURN_IF_ERROR(checked);
  CHARCHIVE_RETURN_IF_ERROR(referenced.status());
  CHARCHIVE_RETURN_IF_ERROR(present.status());
  std::sort(present->begin(), present->end());
  std::set_difference(present->begin(), present->end(), referenced->begin(), referenced->end(),
                      std::back_inserter(report.orphan_files));
  std::set_difference(referenced->begin(), referenced->end(), present->begin(), present->end(),
                      std::back_inserter(report.missing_files));
  return report;
}

Status Archive::CheckIntegrity(DoctorReport& report) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto db, pool_.Acquire());
  CHARCHIVE_ASSIGN_OR_RETURN(Statement check, db->Prepare("PRAGMA integrity_check"));
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, check.Step());
    if (!row) break;
    report.integrity_message += (report.integrity_message.empty() ? "" : "; ") + check.Text(0);
  }
  report.integrity_ok = report.integrity_message == "ok";
  CHARCHIVE_ASSIGN_OR_RETURN(Statement count, db->Prepare("SELECT count(*) FROM cards"));
  CHARCHIVE_RETURN_IF_ERROR(count.Step().status());
  report.cards = count.Int(0);
  return Status::Ok();
}

}  // namespace charchive
