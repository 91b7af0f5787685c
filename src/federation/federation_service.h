// FederationService: the archive's side of federation (docs/federation.md):
// platform settings with their secrets sealed at rest, pushes of cards to a
// platform with the sync state and history they leave, bulk pushes with
// bounded concurrency, and the sync-state queries the API and the CLI show.
// The API's routes and `charchive push|status` call this one service.
//
// A push sends the card's current content; the peer is read back and both
// content hashes are recorded, so later syncs tell a local edit from a remote
// one (docs/federation.md). A card pushed before is overwritten in place
// (same platform id), never duplicated. Without `overwrite`, a card changed on
// the peer since the last sync is not overwritten: the state becomes
// `conflict`. A failed push changes no card: the state becomes `error` with
// the message, and the event is recorded.
//
// Every request to a peer goes through one RetryPolicy (util/retry_policy.h):
// the service's own, or the one a caller passes (a job's, which stops when the
// job does). Reads (a read-back after a push, a sync's fetch, a listing) are
// retried on every transient failure; a push in place too, since sending it
// again changes nothing; a first push the peer assigns an id to is retried
// when it was refused (429) or never reached the peer, and after a timeout or
// a 5xx only once the peer's cards show it did not land (no second copy).
// Only the final outcome of each step is recorded.
//
// Thread safety: all methods may be called concurrently; pushes of the same
// card to the same platform are serialized.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "federation/card_merge.h"
#include "federation/platform_adapter.h"
#include "federation/session_cookies.h"
#include "store/archive.h"
#include "store/federation_records.h"
#include "sync/import_rewrites.h"
#include "util/retry_policy.h"
#include "util/secret_box.h"

namespace charchive::federation {

// A settings change; absent fields keep their value.
struct PlatformSettings {
  std::optional<std::string> display_name;
  std::optional<std::string> base_url;
  // Absent or empty: keep the stored key; present and null: clear it.
  std::optional<std::optional<std::string>> api_key;
  std::optional<std::string> auth_kind;
  std::optional<std::string> username;
  std::optional<Json> options;  // {use_cforge: bool, timeout_seconds: 1..300}
  std::optional<bool> enabled;
};

struct ConnectionTest {
  bool connected = false;
  Json data;          // what the peer said about itself
  std::string error;  // why not, when not connected
  std::string kind;   // the error's kind (errors.h), when not connected
};

struct PushOptions {
  bool overwrite = false;
  // For peers that cannot update a card (CardsHub): publish the card as a new
  // one on the peer; the link moves to it and the old copy stays there, named
  // in the history. Refused for peers that update in place.
  bool publish_as_new = false;
  std::string trigger = "api";         // recorded in the history: api | cli | job
  const RetryPolicy* retry = nullptr;  // null: the service's own
};

struct PushResult {
  CardId card_id = 0;
  Status status;            // ok, or why this card was not pushed
  std::string platform_id;  // the peer's id for the card (SillyTavern: file name without .png)
};

struct BulkPushOptions : PushOptions {
  int concurrency = 4;
  // Called after each card (from worker threads, one call at a time).
  std::function<void(const PushResult&, size_t done, size_t total)> progress;
};

struct BulkPushReport {
  size_t total = 0;
  size_t succeeded = 0;
  size_t failed = 0;
  std::vector<PushResult> results;  // in the order of the ids asked for
};

// What a sync of one card did (docs/federation.md "Two-way sync").
enum class SyncAction {
  kUnchanged,  // neither side changed since the last sync
  kPushed,     // only the archive changed: pushed
  kPending,    // only the archive changed, and pushing was not asked for
  kPulled,     // only the peer changed: its content is now the archive's (the old one stays a version)
  kConverged,  // both changed, to the same content
  kConflict,   // both changed differently: nothing overwritten
  kImported,   // a card that existed only on the peer, imported and linked
  kLinked,     // a card on the peer with the same content as an archive card, or its identity marker, linked to it
  kDuplicate,  // another copy on the peer of a card already linked to one: reported, neither imported nor linked
};
const char* SyncActionName(SyncAction action);

struct SyncOptions {
  bool push_local_changes = true;  // false: local-only changes stay `pending` (a pull)
  std::string trigger = "api";
  const RetryPolicy* retry = nullptr;  // null: the service's own
  // The peer's copy as it arrived (a signed inbox activity carries it): synced
  // against instead of reading it back. Null: read from the peer.
  const RemoteCard* arrived = nullptr;
  // The peer's copy as its listing showed it (SyncAll): when it hashes as the
  // peer's copy of the last sync and the archive's card has not changed
  // either, the sync ends `unchanged` without reading the card; otherwise the
  // card is read from the peer before anything is decided.
  const RemoteCard* listed = nullptr;
};

struct SyncResult {
  CardId card_id = 0;
  Status status;  // ok, or why the card could not be synced
  SyncAction action = SyncAction::kUnchanged;
  std::string platform_id;
};

// How a conflict is settled: keep the archive's content, the peer's, or a
// merge with per-field choices ({field: "local" | "remote" | value}).
struct Resolution {
  std::string strategy;  // local | remote | merge
  Json fields;           // null or an object: per-field choices (MergeContents)
  // null or an object: per-item choices (MergeItems: a lorebook entry, an
  // entry's field, a greeting); takes the place of `fields` when given.
  Json items;
};

struct CardDiff {
  Json base;  // V3 data at the last sync; null when unknown
  Json local;
  Json remote;
  Json fields;  // DiffContents
  Json items;   // DiffItems: the same one item at a time, as the sync core decides them
  SyncState status = SyncState::kSynced;
};

class FederationService {
 public:
  // The secret key lives in <data dir>/secret.key (0600), made on first use.
  // `retry` is how requests to peers are retried unless a caller says otherwise.
  static Result<std::unique_ptr<FederationService>> Open(Archive& archive, RetryPolicy retry = RetryPolicy());

  // The archive's id (archive_identity.h), which every push writes into the
  // card's identity marker with the card's id (card/archive_marker.h).
  const std::string& archive_id() const { return archive_id_; }

  Result<std::vector<PlatformRecord>> Platforms();
  // kNotFound "unknown_platform".
  Result<PlatformRecord> Platform(const std::string& platform);
  // Validates and applies; kInvalidInput names the bad field.
  Result<PlatformRecord> UpdatePlatform(const std::string& platform, const PlatformSettings& settings);
  // Reaches the peer with the stored settings; success sets last_connected_at.
  // Only settings problems fail; an unreachable peer is {connected: false}.
  Result<ConnectionTest> TestPlatform(const std::string& platform, const std::string& trigger = "api");
  // The same with `typed` over the stored settings (as UpdatePlatform would
  // apply them: validated, a blank key keeps the stored one), saving nothing;
  // last_connected_at moves only when the typed settings are the stored ones.
  Result<ConnectionTest> TestSettings(const std::string& platform, const PlatformSettings& typed,
                                      const std::string& trigger = "api");

  Result<std::vector<SyncRecord>> CardSyncs(CardId card_id);
  // What the peer changed in the card as it stored it (sync/import_rewrites.h):
  // the link's local base (the content both sides agreed on) against its
  // remote base (the peer's copy as read back then). Empty while either is
  // unknown (an unverified link, a link never read back).
  Result<std::vector<sync::Rewrite>> ImportRewrites(const SyncRecord& state);
  Result<PushResult> Push(CardId card_id, const std::string& platform, const PushOptions& options);
  // Never stops at one card's failure; fails only when the platform cannot be
  // used at all (unknown, disabled, unconfigured).
  Result<BulkPushReport> BulkPush(const std::string& platform, const std::vector<CardId>& card_ids,
                                  const BulkPushOptions& options);
  Result<std::vector<PlatformCard>> PlatformCards(const std::string& platform, const std::optional<SyncState>& status);
  // Forgets sync states (the peer's copies stay); platform empty: all.
  Result<int> Unlink(CardId card_id, const std::string& platform);
  Result<std::vector<BulkSyncStatus>> BulkStatus(const std::vector<CardId>& card_ids);
  Result<std::vector<std::pair<std::string, int64_t>>> StatusCounts(const std::string& platform);
  Result<std::vector<EventRecord>> Events(const EventFilter& filter);

  // Three-way sync of one linked card: compares both sides with the hashes of
  // the last sync and pushes, pulls, converges or flags a conflict.
  Result<SyncResult> Sync(CardId card_id, const std::string& platform, const SyncOptions& options);
  // Syncs every card linked to the platform; one card's failure never stops
  // the rest. Progress as BulkPush. From a peer that lists its cards' content
  // (PlatformAdapter::ListsContent), with at least kListingFrom cards linked,
  // the listing is read once: a card it shows unchanged on both sides is not
  // read again; the others (changed on either side, not listed) are read one
  // by one as ever (SyncOptions::listed).
  static constexpr size_t kListingFrom = 8;
  Result<std::vector<SyncResult>> SyncAll(const std::string& platform, const SyncOptions& options,
                                          const std::function<void(const SyncResult&, size_t, size_t)>& progress = {});
  // Imports the peer's cards that no archive card is linked to (or links one
  // with the same content), recording the platform as their source. A copy
  // that is an archive card by its identity marker is linked to it (or, when
  // the card's linked copy is gone from the peer, the link follows it: a
  // rename); a copy of a card already linked to another copy, by marker or by
  // content, is reported `duplicate` and left alone, so the link never moves
  // between two copies.
  // Peers with a change feed (a hub) are read from the newest change already
  // recorded on: new cards imported, linked ones synced without pushing,
  // deleted ones marked `remote_deleted`.
  Result<std::vector<SyncResult>> PullNew(const std::string& platform, const std::string& trigger = "api");
  // One card the peer announced (a hub's Create or Update): synced against the
  // copy as announced when an archive card is linked to it (without pushing),
  // imported otherwise; one announcement of a copy at a time, so a Create sent
  // again (the sender crashed before it heard our answer) finds its card.
  Result<SyncResult> PullCard(const std::string& platform, const RemoteCard& remote, const std::string& trigger);
  // The archive card linked to the peer's id, if any.
  Result<std::optional<CardId>> CardLinkedTo(const std::string& platform, const std::string& platform_id);
  // The peer deleted its copy: the state becomes `remote_deleted`; the card stays.
  Status MarkRemoteDeleted(CardId card_id, const std::string& platform, const std::string& message,
                           const std::string& trigger);
  // A peer changed the archive's own card (a hub's Update of a card this
  // archive publishes): the content is replaced, the old one stays a version.
  Result<CardRecord> ApplyRemoteEdit(CardId card_id, const std::string& platform, const Card& content,
                                     const std::string& message, const std::string& trigger);
  Result<CardDiff> Diff(CardId card_id, const std::string& platform);
  // Settles a card's state on a platform; both sides' previous contents stay
  // versions of the card. Ends `synced`.
  Result<SyncResult> Resolve(CardId card_id, const std::string& platform, const Resolution& resolution,
                             const std::string& trigger = "api");

  // For background jobs, which share one adapter (one peer session) across
  // many cards: the platform's adapter (kConflict when it cannot be used),
  // and push/sync through it.
  Result<std::unique_ptr<PlatformAdapter>> UsableAdapter(const std::string& platform);
  Result<PushResult> PushThrough(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                                 const PushOptions& options);
  Result<SyncResult> SyncThrough(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                                 const SyncOptions& options);
  // A push that may have reached the peer without being recorded (a crash or
  // a timeout mid-push): if the card was never linked and the peer holds its
  // copy (LandedCopy), links to that copy instead of pushing another.
  Result<bool> AdoptRemoteCopy(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                               const RetryPolicy* retry = nullptr);
  // Linked cards changed in the archive since their last sync with the platform.
  Result<std::vector<CardId>> LocallyChanged(const std::string& platform);

  // Who may see the card's copy on the peer (CardsHub: public, private,
  // nsfw_only, unlisted); kConflict "platform_unsupported" for other peers.
  Status SetRemoteVisibility(CardId card_id, const std::string& platform, const std::string& visibility,
                             const std::string& trigger = "api");
  // What the peer shows of the card's copy (CardsHub: slug, visibility,
  // downloads, favorites), read from the peer now, without a download;
  // kConflict "not_linked" for a card not published there.
  Result<RemoteCardStats> RemoteStats(CardId card_id, const std::string& platform);
  // Deletes the card's copy on the peer, an explicit user action, and forgets
  // the link (the history keeps it); the archive's card stays.
  Status Unpublish(CardId card_id, const std::string& platform, const std::string& trigger = "api");

 private:
  FederationService(Archive& archive, SecretBox secrets, RetryPolicy retry, std::string archive_id)
      : archive_(archive), secrets_(std::move(secrets)), retry_(std::move(retry)), archive_id_(std::move(archive_id)) {}

  const RetryPolicy& RetryFor(const RetryPolicy* asked) const { return asked ? *asked : retry_; }
  // The card as a push sends it: its current content with this archive's
  // identity marker, in the JSON and embedded once in the card's stored image
  // (a placeholder image for a card without one); with the record and the
  // version that content is. kNotFound "card_not_found".
  struct Departure {
    CardRecord record;
    int64_t version_id = 0;
    OutgoingCard card;
  };
  Result<Departure> Outgoing(CardId card_id);
  // The archive card a peer's copy is, by its identity marker: nullopt for a
  // copy without one, or with another archive's.
  std::optional<CardId> MarkedFor(const RemoteCard& remote) const;
  // The peer's copy of the card, by its identity marker, that no other archive
  // card is linked to: a push that landed without being recorded, or a copy
  // the peer moved to another id (a SillyTavern rename).
  Result<std::optional<RemoteCard>> MarkedCopy(CardId card_id, const std::string& platform,
                                               const std::vector<RemoteCard>& remote);
  // The linked copy is gone from `from`: the peer's cards are listed and the
  // copy with the card's marker, if any, becomes the link's (an event
  // `relink`). nullopt when there is none (the copy was deleted).
  Result<std::optional<RemoteCard>> FollowMovedCopy(PlatformAdapter& adapter, CardId card_id,
                                                    const PlatformRecord& record, const std::string& from,
                                                    const RetryPolicy& retry, const std::string& trigger);
  // PullNew's look at one unlinked peer copy that may be a card the archive
  // already knows (module comment of PullNew); nullopt when it is not.
  Result<std::optional<SyncResult>> KnownCopy(PlatformAdapter& adapter, const PlatformRecord& record,
                                              const RemoteCard& remote, const std::set<std::string>& listed,
                                              const std::map<std::string, CardId>& linked_content,
                                              const std::string& trigger);
  // The peer's ids that an archive card is linked to.
  Result<std::set<std::string>> LinkedIds(const std::string& platform);
  // The id of a first push of `card` that landed on the peer unanswered and
  // no archive card is linked to: the peer's copies of exactly these bytes
  // when it can tell (PlatformAdapter::CopiesOf), else the copy carrying the
  // card's identity marker (MarkedCopy).
  Result<std::optional<std::string>> LandedCopy(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                                                const OutgoingCard& card);

  Result<PlatformConfig> ConfigFor(const PlatformRecord& record) const;
  // `settings` checked against `current` and turned into the update that
  // saving them would write (the API key sealed).
  Result<PlatformUpdate> ValidatedUpdate(const PlatformRecord& current, const PlatformSettings& settings) const;
  // The caller holds the pair's PairLock.
  Result<PushResult> PushWith(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                              const PushOptions& options);
  void RecordEvent(EventRecord event);
  // The caller holds the pair's PairLock.
  Result<SyncResult> SyncWith(PlatformAdapter& adapter, CardId card_id, const std::string& platform,
                              const SyncOptions& options);
  Result<std::vector<SyncResult>> PullChanges(PlatformAdapter& adapter, const PlatformRecord& record,
                                              const std::vector<RemoteCard>& changes, const std::string& trigger);
  Result<SyncResult> ImportRemote(PlatformAdapter& adapter, const PlatformRecord& record, const RemoteCard& remote,
                                  const std::string& trigger);
  // The linked state, or kConflict "not_linked".
  Result<SyncRecord> LinkedState(CardId card_id, const std::string& platform, const std::string& display_name);
  // Writes the peer's content as the card's (reason "pull"), in the card's own spec.
  Result<CardRecord> TakeRemote(CardId card_id, const Card& local, const Card& remote);
  // The peer's copy of a linked card: `stored_base` (its remote base) when
  // the peer says its change clock has not moved since, without downloading
  // it; otherwise read from the peer.
  Result<RemoteCard> ReadRemote(PlatformAdapter& adapter, const SyncRecord& state,
                                const std::optional<std::string>& stored_base, const RetryPolicy& retry);
  Result<std::optional<std::string>> StoredRemoteBase(CardId card_id, const std::string& platform);
  // The content both sides held at the last sync, when known.
  Result<std::optional<Card>> BaseContent(CardId card_id, const SyncRecord& state);
  // For an unverified link (SyncRecord::unverified): the items, as a list for
  // a message, that the peer's copy holds differently from what was pushed
  // (its base unknown, taken to be the pushed content) and a push of the
  // archive's card would overwrite; nullopt when there are none.
  Result<std::optional<std::string>> PeerEditsSincePush(CardId card_id, const SyncRecord& state, const Card& remote);

  // The peer's id of a card, for a PairLock on a copy no card is linked to yet.
  struct RemoteId {
    const std::string& platform_id;
  };

  // Held by whoever works on one (card, platform) pair, or on one peer's copy
  // not linked yet (an import from the inbox, where a copy re-sent while the
  // first is still being imported must find the card the first made): work on
  // a pair is serialized. PushWith and SyncWith expect their caller to hold it.
  class PairLock {
   public:
    PairLock(FederationService& service, CardId card_id, const std::string& platform)
        : PairLock(service, {"card " + std::to_string(card_id), platform}) {}
    PairLock(FederationService& service, RemoteId remote, const std::string& platform)
        : PairLock(service, {"remote " + remote.platform_id, platform}) {}
    PairLock(FederationService& service, std::pair<std::string, std::string> key)
        : service_(service), key_(std::move(key)) {
      std::unique_lock lock(service_.busy_mu_);
      service_.busy_cv_.wait(lock, [&] { return !service_.busy_.count(key_); });
      service_.busy_.insert(key_);
    }
    ~PairLock() {
      {
        std::lock_guard lock(service_.busy_mu_);
        service_.busy_.erase(key_);
      }
      service_.busy_cv_.notify_all();
    }

   private:
    FederationService& service_;
    std::pair<std::string, std::string> key_;
  };

  Archive& archive_;
  SecretBox secrets_;
  RetryPolicy retry_;
  const std::string archive_id_;
  std::shared_ptr<SessionCookies> session_cookies_ = std::make_shared<SessionCookies>();
  std::mutex reserve_mu_;  // first-push ids are chosen one at a time
  std::mutex busy_mu_;
  std::condition_variable busy_cv_;
  std::set<std::pair<std::string, std::string>> busy_;
};

}  // namespace charchive::federation
