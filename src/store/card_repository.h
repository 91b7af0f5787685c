// SQL for cards, their tags, full-text rows and versions. Every function runs
// on the connection it is given; callers that change several tables wrap the
// call in a Transaction so the row, its tags, its FTS row and its version
// appear together or not at all.
//
// Thread safety: stateless; the Database's rules apply.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/card_record.h"
#include "store/card_row.h"
#include "store/sqlite.h"

namespace charchive {

struct NewCard {
  CardRow row;
  std::string format;
  std::string source = "import";
  std::optional<std::string> source_id;
  std::optional<std::string> image_hash;
  std::string file_name;
  int64_t file_size = 0;
  std::string original_name;
};

namespace card_repository {

// A filtered list counts its matches up to kCountCap, a search up to
// kSearchCountCap (ListPage::total_capped). A search's count walks the
// doclist of each of its words to their common rows: at a million cards two
// words, one of them in most cards, took 10.5 ms to count 2,713 matches and
// 4.1 ms to stop at 1,001, where their page took 2.2 ms.
constexpr int64_t kCountCap = 10000;
constexpr int64_t kSearchCountCap = 1000;

Result<std::optional<CardId>> FindDuplicate(Database& db, const std::string& content_hash,
                                            const std::optional<std::string>& image_hash);
// Inserts the card, its tags, FTS row, text fingerprint and its first version
// (reason "import").
Result<CardId> Insert(Database& db, const NewCard& card);
// kNotFound when there is no such card.
Result<CardRecord> Get(Database& db, CardId id);
// Replaces the content, tags, FTS row and text fingerprint, and records a
// version with `reason`;
// "trashed" for a card in the trash.
Status UpdateContent(Database& db, CardId id, const CardRow& row, const std::string& reason);
// Points the card at another stored file (a new image): format, image hash,
// file name and size.
Status ReplaceFile(Database& db, CardId id, const std::string& format, const std::string& image_hash,
                   const std::string& file_name, int64_t file_size);
// Returns the deleted card's file name.
Result<std::string> Delete(Database& db, CardId id);
// Moves the card to the trash: it keeps its row, versions and file, loses its
// tag and full-text rows. "trashed" when it is there already.
Status Trash(Database& db, CardId id);
// Takes the card out of the trash, its tag and full-text rows written from
// `row` (its current content). "not_trashed" when it is not in the trash.
Status Restore(Database& db, CardId id, const CardRow& row);
Result<TrashPage> ListTrash(Database& db, int64_t limit);
// Every trashed card's id, oldest trashed first.
Result<std::vector<CardId>> TrashedIds(Database& db);
// A trashed card's content, file, favorite and tags change no more ("trashed").
Status SetFavorite(Database& db, CardId id, bool favorite);
Result<ListPage> List(Database& db, const ListQuery& query);
Result<std::vector<VersionRecord>> Versions(Database& db, CardId id);
// The newest version's id: the current content's; nullopt for a card without versions.
Result<std::optional<int64_t>> LatestVersionId(Database& db, CardId id);
// The id of every card outside the trash, ascending.
Result<std::vector<CardId>> CardIds(Database& db);
Result<VersionRecord> Version(Database& db, CardId id, int64_t version_id);
Result<std::vector<TagCount>> Tags(Database& db);
Result<bool> FileReferenced(Database& db, const std::string& file_name);
// The file names rows refer to, each once, in byte order.
Result<std::vector<std::string>> FileNames(Database& db);
// The cards.tags_json column as a list; malformed text gives an empty list.
std::vector<std::string> ParseTagsJson(const std::string& text);

}  // namespace card_repository
}  // namespace charchive
