#include "store/content_rehash.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "card/content_hash.h"
#include "util/log.h"

namespace charchive {
namespace {

// Per card, each content's hash as stored -> as computed now.
using HashMaps = std::unordered_map<int64_t, std::map<std::string, std::string>>;

struct Rehashed {
  int64_t row;
  std::string hash;
};

std::optional<std::string> HashOfJson(const std::string& raw_json) {
  auto card = Card::FromJson(raw_json);
  if (!card.ok()) return std::nullopt;
  return ContentHash(*card);
}

// Hashes each row's JSON (columns: row id, card id, stored hash, JSON) and
// records old -> new in `maps`; returns the rows whose hash changed.
Result<std::vector<Rehashed>> HashRows(Database& db, const char* select, HashMaps& maps) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(select));
  std::vector<Rehashed> changed;
  for (;;) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    std::string old_hash = q.Text(2);
    std::optional<std::string> hash = HashOfJson(q.Text(3));
    if (!hash) continue;
    maps[q.Int(1)].emplace(old_hash, *hash);
    if (*hash != old_hash) changed.push_back({q.Int(0), std::move(*hash)});
  }
  return changed;
}

Status UpdateRows(Database& db, const char* update, const std::vector<Rehashed>& rows) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement u, db.Prepare(update));
  for (const Rehashed& r : rows) {
    u.Reset();
    CHARCHIVE_RETURN_IF_ERROR(u.Bind(1, r.hash).Bind(2, r.row).Run());
  }
  return Status::Ok();
}

std::optional<std::string> Mapped(const HashMaps& maps, int64_t card_id, const std::optional<std::string>& hash) {
  if (!hash) return std::nullopt;
  auto card = maps.find(card_id);
  if (card == maps.end()) return std::nullopt;
  auto it = card->second.find(*hash);
  if (it == card->second.end() || it->second == *hash) return std::nullopt;
  return it->second;
}

// For each row (columns: card id, `keys` key columns, `hashes` hash columns),
// maps the hashes and writes the row back when one changed. The update binds
// the new hashes first, then the keys.
Status MapLinkHashes(Database& db, const HashMaps& maps, const char* select, const char* update, int keys, int hashes) {
  struct Link {
    std::vector<std::string> keys;
    std::vector<std::optional<std::string>> hashes;
  };
  std::vector<Link> links;
  {
    CHARCHIVE_ASSIGN_OR_RETURN(Statement q, db.Prepare(select));
    for (;;) {
      CHARCHIVE_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      Link link;
      for (int k = 0; k < keys; ++k) link.keys.push_back(q.Text(1 + k));
      bool changed = false;
      for (int h = 0; h < hashes; ++h) {
        std::optional<std::string> stored = q.OptionalText(1 + keys + h);
        std::optional<std::string> mapped = Mapped(maps, q.Int(0), stored);
        changed = changed || mapped.has_value();
        link.hashes.push_back(mapped ? mapped : stored);
      }
      if (changed) links.push_back(std::move(link));
    }
  }
  CHARCHIVE_ASSIGN_OR_RETURN(Statement u, db.Prepare(update));
  for (const Link& link : links) {
    u.Reset();
    for (int h = 0; h < hashes; ++h) u.BindOptional(1 + h, link.hashes[h]);
    for (int k = 0; k < keys; ++k) u.Bind(1 + hashes + k, link.keys[k]);
    CHARCHIVE_RETURN_IF_ERROR(u.Run());
  }
  return Status::Ok();
}

}  // namespace

Status RehashContent(Database& db) {
  HashMaps maps;
  CHARCHIVE_ASSIGN_OR_RETURN(auto cards, HashRows(db,
                                                  "SELECT c.id, c.id, c.content_hash, j.raw_json FROM cards c "
                                                  "JOIN card_json j ON j.card_id = c.id",
                                                  maps));
  CHARCHIVE_RETURN_IF_ERROR(UpdateRows(db, "UPDATE cards SET content_hash = ?1 WHERE id = ?2", cards));
  // A version without JSON is the card's current content, kept in card_json.
  CHARCHIVE_ASSIGN_OR_RETURN(auto versions,
                             HashRows(db,
                                      "SELECT v.id, v.card_id, v.content_hash, coalesce(v.raw_json, j.raw_json) "
                                      "FROM card_versions v JOIN card_json j ON j.card_id = v.card_id",
                                      maps));
  CHARCHIVE_RETURN_IF_ERROR(UpdateRows(db, "UPDATE card_versions SET content_hash = ?1 WHERE id = ?2", versions));

  CHARCHIVE_RETURN_IF_ERROR(MapLinkHashes(db, maps, "SELECT card_id, id, local_hash, remote_hash FROM federation_sync",
                                          "UPDATE federation_sync SET local_hash = ?1, remote_hash = ?2 WHERE id = ?3",
                                          1, 2));
  CHARCHIVE_RETURN_IF_ERROR(MapLinkHashes(
      db, maps, "SELECT card_id, source, source_id, content_hash, local_hash FROM source_cards",
      "UPDATE source_cards SET content_hash = ?1, local_hash = ?2 WHERE source = ?3 AND source_id = ?4", 2, 2));
  CHARCHIVE_RETURN_IF_ERROR(MapLinkHashes(db, maps, "SELECT card_id, card_id, content_hash FROM hub_publications",
                                          "UPDATE hub_publications SET content_hash = ?1 WHERE card_id = ?2", 1, 1));
  log::Info("content_rehash", {{"cards", cards.size()}, {"versions", versions.size()}});
  return Status::Ok();
}

}  // namespace charchive
