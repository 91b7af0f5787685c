// The specific error kinds the card module reports (Status::kind()). Each is a
// stable, machine-readable word; tests and API clients match on them.
#pragma once

namespace charchive::card_error {

inline constexpr char kNotPng[] = "not_png";            // no PNG signature
inline constexpr char kTruncated[] = "truncated";       // a chunk runs past the end
inline constexpr char kCrcMismatch[] = "crc_mismatch";  // stored CRC != computed CRC
inline constexpr char kNoCard[] = "no_card";            // no chara/ccv3 text chunk
inline constexpr char kBadBase64[] = "bad_base64";
inline constexpr char kBadJson[] = "bad_json";
inline constexpr char kJsonTooDeep[] = "json_too_deep";       // arrays/objects nest past limits::kMaxJsonDepth
inline constexpr char kJsonTooLarge[] = "json_too_large";     // the text is longer than its limit
inline constexpr char kWrongSpec[] = "wrong_spec";            // JSON is not a V1/V2/V3 card
inline constexpr char kBadCompression[] = "bad_compression";  // zTXt/iTXt inflate failed
inline constexpr char kTooLarge[] = "too_large";
inline constexpr char kBadZip[] = "bad_zip";
inline constexpr char kUnsafePath[] = "unsafe_path";  // ../, absolute or backslash zip path
inline constexpr char kTooManyEntries[] = "too_many_entries";
inline constexpr char kUnknownFormat[] = "unknown_format";
inline constexpr char kBadField[] = "bad_field";  // a content field has the wrong type
inline constexpr char kPeerBadResponse[] =
    "peer_bad_response";  // a peer's answer has a field of the wrong type (JsonOrigin::Peer)

}  // namespace charchive::card_error
