#include "store/text_fingerprints.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "card/card.h"
#include "card/text_fingerprint.h"
#include "util/log.h"

namespace charchive::text_fingerprints {
namespace {

// A band key shared by more cards than this is boilerplate (a template's
// text), not a re-upload; its cards are compared with the first ones only.
constexpr size_t kMaxBucket = 64;

struct Fingerprinted {
  CardId id = 0;
  TextFingerprint fingerprint;
  std::string content_hash;
};

Result<std::optional<TextFingerprint>> Stored(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT minhash FROM card_text_minhash WHERE card_id = ?"));
  CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Bind(1, id).Step());
  if (!row) return std::optional<TextFingerprint>();
  return FingerprintFromText(s.Text(0));
}

// Union-find over positions.
size_t Root(std::vector<size_t>& parent, size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

}  // namespace

Status Write(Database& db, CardId id, const CardRow& row) {
  CHARCHIVE_ASSIGN_OR_RETURN(Statement bands, db.Prepare("DELETE FROM card_text_bands WHERE card_id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(bands.Bind(1, id).Run());
  CHARCHIVE_ASSIGN_OR_RETURN(Statement minhash, db.Prepare("DELETE FROM card_text_minhash WHERE card_id = ?"));
  CHARCHIVE_RETURN_IF_ERROR(minhash.Bind(1, id).Run());
  const std::optional<TextFingerprint>& f = row.text_fingerprint;
  if (!f) return Status::Ok();
  CHARCHIVE_ASSIGN_OR_RETURN(Statement put,
                             db.Prepare("INSERT INTO card_text_minhash(card_id, minhash) VALUES (?, ?)"));
  CHARCHIVE_RETURN_IF_ERROR(put.Bind(1, id).Bind(2, MinHashText(*f)).Run());
  CHARCHIVE_ASSIGN_OR_RETURN(Statement band,
                             db.Prepare("INSERT OR IGNORE INTO card_text_bands(band, card_id) VALUES (?, ?)"));
  for (int64_t key : f->bands) {
    CHARCHIVE_RETURN_IF_ERROR(band.Bind(1, key).Bind(2, id).Run());
    band.Reset();
  }
  return Status::Ok();
}

Status CreateAndFill(Database& db) {
  CHARCHIVE_RETURN_IF_ERROR(db.Exec(R"sql(
CREATE TABLE card_text_minhash (
  card_id INTEGER PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
  minhash TEXT NOT NULL
);
CREATE TABLE card_text_bands (
  band    INTEGER NOT NULL,
  card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  PRIMARY KEY (band, card_id)
) WITHOUT ROWID;
CREATE INDEX card_text_bands_by_card ON card_text_bands(card_id);
)sql"));
  CHARCHIVE_ASSIGN_OR_RETURN(Statement s,
                             db.Prepare("SELECT c.id, j.raw_json FROM cards c JOIN card_json j ON j.card_id = c.id"));
  int64_t cards = 0;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    auto card = Card::FromJson(s.Text(1));
    if (!card.ok()) continue;  // a row the archive could not read has no prose to compare
    CHARCHIVE_RETURN_IF_ERROR(Write(db, s.Int(0), DeriveCardRow(*card)));
    ++cards;
  }
  log::Info("text_fingerprints_made", {{"cards", cards}});
  return Status::Ok();
}

Result<std::vector<CardId>> NearIdentical(Database& db, CardId id) {
  CHARCHIVE_ASSIGN_OR_RETURN(auto mine, Stored(db, id));
  std::vector<CardId> out;
  if (!mine) return out;
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s, db.Prepare("SELECT DISTINCT b.card_id, m.minhash FROM card_text_bands b "
                              "JOIN card_text_minhash m ON m.card_id = b.card_id JOIN cards c ON c.id = b.card_id "
                              "WHERE b.band IN (SELECT band FROM card_text_bands WHERE card_id = ?1) "
                              "AND b.card_id != ?1 AND c.trashed_at IS NULL ORDER BY b.card_id"));
  s.Bind(1, id);
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    auto theirs = FingerprintFromText(s.Text(1));
    if (theirs && Similarity(*mine, *theirs) >= kNearIdenticalSimilarity) out.push_back(s.Int(0));
  }
  return out;
}

Result<std::vector<std::vector<CardId>>> NearIdenticalGroups(Database& db, int64_t limit) {
  // Every card of every key two or more cards share, key by key.
  CHARCHIVE_ASSIGN_OR_RETURN(
      Statement s,
      db.Prepare("WITH shared AS (SELECT band FROM card_text_bands GROUP BY band HAVING count(*) > 1) "
                 "SELECT b.band, b.card_id, m.minhash, c.content_hash FROM shared JOIN card_text_bands b "
                 "ON b.band = shared.band JOIN card_text_minhash m ON m.card_id = b.card_id "
                 "JOIN cards c ON c.id = b.card_id WHERE c.trashed_at IS NULL ORDER BY b.band, b.card_id"));
  std::vector<Fingerprinted> cards;
  std::map<CardId, size_t> position;
  std::vector<size_t> parent;
  std::vector<size_t> bucket;
  auto join_bucket = [&] {
    for (size_t i = 1; i < bucket.size(); ++i) {
      for (size_t j = 0; j < i && j < kMaxBucket; ++j) {
        const Fingerprinted& a = cards[bucket[i]];
        const Fingerprinted& b = cards[bucket[j]];
        if (Similarity(a.fingerprint, b.fingerprint) >= kNearIdenticalSimilarity) {
          parent[Root(parent, bucket[i])] = Root(parent, bucket[j]);
        }
      }
    }
    bucket.clear();
  };
  std::optional<int64_t> band;
  while (true) {
    CHARCHIVE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    if (band != s.Int(0)) join_bucket();
    band = s.Int(0);
    CardId id = s.Int(1);
    auto [at, added] = position.emplace(id, cards.size());
    if (added) {
      auto f = FingerprintFromText(s.Text(2));
      if (!f) {
        position.erase(at);
        continue;
      }
      cards.push_back(Fingerprinted{id, *f, s.Text(3)});
      parent.push_back(parent.size());
    }
    bucket.push_back(at->second);
  }
  join_bucket();

  std::map<size_t, std::vector<size_t>> components;
  for (size_t i = 0; i < cards.size(); ++i) components[Root(parent, i)].push_back(i);
  std::vector<std::vector<CardId>> groups;
  for (auto& [root, members] : components) {
    if (members.size() < 2) continue;
    std::set<std::string> hashes;
    for (size_t m : members) hashes.insert(cards[m].content_hash);
    if (hashes.size() < 2) continue;
    std::vector<CardId> ids;
    for (size_t m : members) ids.push_back(cards[m].id);
    std::sort(ids.begin(), ids.end());
    groups.push_back(std::move(ids));
  }
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  if (groups.size() > static_cast<size_t>(limit)) groups.resize(static_cast<size_t>(limit));
  return groups;
}

}  // namespace charchive::text_fingerprints
