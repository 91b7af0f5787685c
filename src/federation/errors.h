// The error kinds the federation module reports (Status::kind()): stable,
// machine-readable words that API clients, tests and the CLI match on. Why a
// failure may pass on a retry is not a kind but Status::transient().
#pragma once

namespace charchive::federation_error {

inline constexpr char kBadActivity[] = "bad_activity";
inline constexpr char kBadArchiveId[] = "bad_archive_id";
inline constexpr char kBadBaseUrl[] = "bad_base_url";
inline constexpr char kBadDate[] = "bad_date";
inline constexpr char kBadField[] = "bad_field";
inline constexpr char kBadInbox[] = "bad_inbox";
inline constexpr char kBadKey[] = "bad_key";
inline constexpr char kBadPublicKey[] = "bad_public_key";
inline constexpr char kBadSignature[] = "bad_signature";
inline constexpr char kBlockedAddress[] = "blocked_address";
inline constexpr char kCardNotFound[] = "card_not_found";
inline constexpr char kCryptoFailed[] = "crypto_failed";
inline constexpr char kDigestMismatch[] = "digest_mismatch";
inline constexpr char kFederationDisabled[] = "federation_disabled";
inline constexpr char kGone[] = "gone";
inline constexpr char kMergeConflict[] = "merge_conflict";
inline constexpr char kNoFreeName[] = "no_free_name";
inline constexpr char kNoPublicUrl[] = "no_public_url";
inline constexpr char kNotAHub[] = "not_a_hub";
inline constexpr char kNotAPeer[] = "not_a_peer";
inline constexpr char kNotFollowed[] = "not_followed";
inline constexpr char kNotFollowing[] = "not_following";
inline constexpr char kNotLinked[] = "not_linked";
inline constexpr char kNotOwner[] = "not_owner";
inline constexpr char kPeerBadCard[] = "peer_bad_card";
inline constexpr char kPeerBadResponse[] = "peer_bad_response";
inline constexpr char kPeerCannotUpdate[] = "peer_cannot_update";
inline constexpr char kPeerDns[] = "peer_dns";
inline constexpr char kPeerError[] = "peer_error";
inline constexpr char kPeerKeptSuggestion[] = "peer_kept_suggestion";
inline constexpr char kPeerRefused[] = "peer_refused";
inline constexpr char kPeerRejected[] = "peer_rejected";
inline constexpr char kPeerResponseTooLarge[] = "peer_response_too_large";
inline constexpr char kPeerTimeout[] = "peer_timeout";
inline constexpr char kPeerTls[] = "peer_tls";
inline constexpr char kPeerUnreachable[] = "peer_unreachable";
inline constexpr char kPlatformDisabled[] = "platform_disabled";
inline constexpr char kPlatformUnconfigured[] = "platform_unconfigured";
inline constexpr char kPlatformUnsupported[] = "platform_unsupported";
inline constexpr char kPluginUnavailable[] = "plugin_unavailable";
inline constexpr char kRemoteChanged[] = "remote_changed";
inline constexpr char kRemoteDeleted[] = "remote_deleted";
inline constexpr char kRemoteMissing[] = "remote_missing";
inline constexpr char kReplayed[] = "replayed";
inline constexpr char kStaleDate[] = "stale_date";
inline constexpr char kUnknownFollower[] = "unknown_follower";
inline constexpr char kUnknownKey[] = "unknown_key";
inline constexpr char kUnknownResource[] = "unknown_resource";
inline constexpr char kUnknownSuggestion[] = "unknown_suggestion";
inline constexpr char kUnsigned[] = "unsigned";
inline constexpr char kWrongHost[] = "wrong_host";

}  // namespace charchive::federation_error
