#!/usr/bin/env bash
# Card sources end to end (docs/sources.md): `charchive source` and /api/sources
# against the fake hubs (tests/fakes/fake_chub.cc, fake_character_tavern.cc, run by
# build/fake_hubs) on loopback, with a real `charchive serve` on the same data dir:
# - settings: the API key is sealed (never returned, not in the database in clear),
#   bad settings are refused with 400 / exit 2;
# - the first Chub run imports every card; a second run downloads no definition or
#   image and stops at the first page older than the last run;
# - a change on the source becomes a new version; a local edit plus a source change
#   becomes a conflict that overwrites nothing, resolved from the CLI;
# - politeness: with the default interval, requests to the hub are >= 1 s apart (the
#   fake's timestamps); a 429 with Retry-After: 2 is waited out and the run succeeds;
# - a card in the trash is left alone by runs; once the trash is emptied it is blocked
#   (not re-imported), then unblocked and re-imported;
# - a run queued through the API runs in the server and reports its progress;
# - Character Tavern: detail + sub-resources imported once, nothing downloaded again;
# - an unreachable base URL exits 3.
set -euo pipefail
BIN=${1:?usage: sources_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

start_fake() { fake_hub_start "$1" "$2" --page-cap 2; }  # start_fake KIND VAR: pages of 2 cards
control() { curl -sf -X POST -H 'Content-Type: application/json' -d "$3" "$1/_control/$2" >/dev/null; }
hub_log() { curl -sf "$1/_control/log"; }
clear_log() { control "$1" log/clear '{}'; }
# count_requests HUB SUBSTRING: requests whose path contains SUBSTRING
count_requests() { hub_log "$1" | field "sum(1 for r in d if '$2' in r['path'])"; }
chub_card() {  # chub_card SLUG TEXT: add or update alice/SLUG
  control "$CHUB" cards "{\"fullPath\": \"alice/$1\", \"topics\": [\"ROOT\", \"Fantasy\"], \"nTokens\": 300,
    \"definition\": {\"name\": \"$1\", \"personality\": \"$2\", \"first_message\": \"Hello from $1\"}}"
}
DATA=$WORK/data
src() { "$BIN" source "$@" --data "$DATA"; }
card_id() { api GET '/api/cards?source=chub&limit=100' | field "[c['id'] for c in d['items'] if c['name'] == '$1'][0]"; }
description() { api GET "/api/cards/$1" | field "d['data']['description']"; }

start_fake chub CHUB
start_fake ct CT
archive_start "$BIN" "$DATA" sources-token
PIDS+=("$SERVER")

# --- settings
check "the sources are listed (chub, ct), without a key" \
  json_is /api/sources '" ".join(s["source"] + ":" + str(s["api_key"]) for s in d["sources"])' 'chub:None ct:None'
key_is_masked() {
  [ "$(api PUT /api/sources/chub '{"api_key": "sekrit-chub-key", "request_interval_ms": 100}' |
       field 'd["source"]["api_key"]')" = '***configured***' ]
}
check "PUT keeps the API key sealed and shows it masked" key_is_masked
key_not_in_clear() { ! grep -qa sekrit-chub-key "$DATA"/cards.db*; }
check "the key is not in the database in clear" key_not_in_clear
bad_interval_refused() {
  http_status_is 400 -X PUT -d '{"request_interval_ms": -5}' "$BASE/api/sources/chub" &&
    json_is /api/sources/chub 'd["request_interval_ms"]' 100
}
check "a bad interval is refused with 400 and changes nothing" bad_interval_refused
check "an unknown source is 404" http_status_is 404 "$BASE/api/sources/nosuch"
check "the CLI refuses a bad filter with exit 2" exits 2 src set chub --min-tokens -3

# --- first and second run
for i in 1 2 3 4 5; do chub_card "card$i" "Version one of card$i"; done
src sync chub --base-url "$CHUB" >"$WORK/run1.out" 2>"$WORK/run1.err"
check "the first run imports the 5 cards" grep -q 'done.*new 5, updated 0, unchanged 0' "$WORK/run1.out"
check "the CLI printed progress" grep -q 'new alice/card' "$WORK/run1.err"
# chub_total N: whether the archive holds N Chub cards
chub_total() { json_is '/api/cards?source=chub' 'd["total"]' "$1"; }
# description_is ID TEXT
description_is() { [ "$(description "$1")" = "$2" ]; }
five_cards_imported() { chub_total 5 && description_is "$(card_id card2)" 'Version one of card2'; }
check "the archive has the 5 Chub cards with their definitions" five_cards_imported
clear_log "$CHUB"
src sync chub --base-url "$CHUB" >"$WORK/run2.out"
check "a second run finds nothing new" grep -q 'new 0, updated 0' "$WORK/run2.out"
# requests_are HUB SUBSTRING N: whether N requests to HUB had SUBSTRING in their path
requests_are() { [ "$(count_requests "$1" "$2")" = "$3" ]; }
nothing_downloaded() { requests_are "$1" "$2" 0 && requests_are "$1" .png 0; }
check "a second run downloads no definition and no image" nothing_downloaded "$CHUB" /api/characters/
check "a second run stops at the first page older than the last run" requests_are "$CHUB" /search 1

# --- an update on the source becomes a version
ID3=$(card_id card3)
chub_card card3 "Version two of card3"
src sync chub --base-url "$CHUB" >"$WORK/run3.out"
update_pulled() { grep -q 'updated 1' "$WORK/run3.out" && description_is "$ID3" 'Version two of card3'; }
check "a source-side update is pulled" update_pulled
check "the previous content stays a version" json_is "/api/cards/$ID3/versions" 'len(d["versions"])' 2

# --- politeness at the default interval: >= 1 s between requests to the hub
api PUT /api/sources/chub '{"request_interval_ms": 1000}' >/dev/null
chub_card card2 "Version two of card2"
clear_log "$CHUB"
src sync chub --base-url "$CHUB" >"$WORK/run4.out"
fetched_the_change() { grep -q 'updated 1' "$WORK/run4.out" && [ "$(hub_log "$CHUB" | field 'len(d)')" -ge 3 ]; }
check "the default-interval run fetched the change (3 requests or more)" fetched_the_change
spaced_a_second_apart() {
  local gap
  gap=$(hub_log "$CHUB" | field 'min(b["t_ms"] - a["t_ms"] for a, b in zip(d, d[1:]))')
  echo "smallest gap: $gap ms"
  python3 -c "import sys; sys.exit(0 if float('$gap') >= 950 else 1)"
}
check "requests are at least ~1 s apart (the fake's timestamps)" spaced_a_second_apart
api PUT /api/sources/chub '{"request_interval_ms": 100}' >/dev/null

# --- 429 with Retry-After
chub_card card1 "Version two of card1"
clear_log "$CHUB"
control "$CHUB" fail '{"status": 429, "retry_after": 2}'
src sync chub --base-url "$CHUB" >"$WORK/run5.out"
check "after a 429 the run still succeeds" grep -q 'done.*updated 1' "$WORK/run5.out"
retry_after_honored() {
  [ "$(hub_log "$CHUB" | field 'd[0]["status"] == 429 and d[1]["t_ms"] - d[0]["t_ms"] >= 1950')" = True ]
}
check "the Retry-After of 2 s was honored" retry_after_honored

# --- local edit + source update: conflict, nothing overwritten
ID4=$(card_id card4)
api PATCH "/api/cards/$ID4" '{"data": {"description": "Edited in the archive"}}' >/dev/null
chub_card card4 "Version two of card4"
src sync chub --base-url "$CHUB" >"$WORK/run6.out"
check "a local edit plus a source update is a conflict" grep -q 'conflicts 1' "$WORK/run6.out"
check "the local edit was not overwritten" description_is "$ID4" 'Edited in the archive'
check "the card's source state is conflict, with the source's content pending" \
  json_is "/api/sources/cards/$ID4" 'd["status"] + " " + d["pending"]["data"]["description"]' 'conflict Version two of card4'
check "the conflict is in the sync history" \
  json_is "/api/federation/events?platform=chub&card=$ID4" 'd["events"][0]["action"]' conflict
resolved_from_source() { src resolve "$ID4" --keep source >/dev/null && description_is "$ID4" 'Version two of card4'; }
check "resolving keeps the source's content as a new version" resolved_from_source

# --- delete, block, unblock
ID5=$(card_id card5)
api DELETE "/api/cards/$ID5" >/dev/null
blocked() { src blocked chub | grep -q "$1"; }
src sync chub --full --base-url "$CHUB" >"$WORK/run6b.out"
trashed_left_alone() { ! blocked alice/card5 && grep -q 'new 0.*blocked 1' "$WORK/run6b.out" && chub_total 4; }
check "a trashed card is left alone by a full run (counted blocked), and not on the block list" trashed_left_alone
api DELETE /api/trash >/dev/null
check "the deleted card is on the block list" blocked alice/card5
src sync chub --full --base-url "$CHUB" >"$WORK/run7.out"
stays_blocked() { grep -q 'new 0.*blocked 1' "$WORK/run7.out" && chub_total 4; }
check "a full run does not import the deleted card again" stays_blocked
unblocked() { src unblock alice/card5 | grep -q unblocked && ! blocked alice/card5; }
check "unblock" unblocked
src sync chub --full --base-url "$CHUB" >"$WORK/run8.out"
imported_again() { grep -q 'new 1' "$WORK/run8.out" && chub_total 5; }
check "an unblocked card is imported again" imported_again

# --- a run through the API, executed by the server
api PUT /api/sources/chub "{\"base_url\": \"$CHUB\", \"image_base_url\": \"$CHUB\"}" >/dev/null
chub_card card6 "A new card"
RUN=$(api POST /api/sources/chub/sync '{}' | field 'd["run"]["id"]')
run_ended() { [[ "$(api GET "/api/sources/chub/runs/$RUN" | field 'd["status"]')" =~ ^(done|failed|cancelled)$ ]]; }
run_done() { wait_until 60 run_ended && json_is "/api/sources/chub/runs/$RUN" 'd["status"]' done; }
check "a run queued through the API runs in the server" run_done
check "its report counts the new card" json_is "/api/sources/chub/runs/$RUN" 'd["new"]' 1
check "the runs are listed, newest first" json_is '/api/sources/chub/runs?limit=3' 'd["runs"][0]["id"]' "$RUN"
runs_listed() { src runs chub | grep -q done; }
check "the CLI lists the runs" runs_listed

# --- Character Tavern
control "$CT" cards '{"path": "Zed/Sky Pirate", "tags": ["Adventure"], "greetings": ["Ahoy!"], "lorebook": {"name": "Ship", "description": "", "scanDepth": 3, "entries": [{"name": "Gull", "content": "The ship", "enabled": true, "insertionOrder": 1, "constant": false, "keys": ["ship"]}]}}'
control "$CT" cards '{"path": "Zed/Baker"}'
control "$CT" cards '{"path": "Yan/Smith"}'
api PUT /api/sources/ct '{"request_interval_ms": 50}' >/dev/null
src sync ct --base-url "$CT" >"$WORK/ct1.out"
check "Character Tavern: the first run imports 3 cards" grep -q 'new 3' "$WORK/ct1.out"
pirate_complete() {
  local id
  id=$(api GET '/api/cards?source=ct&limit=10' | field '[c["id"] for c in d["items"] if c["name"] == "Sky Pirate"][0]')
  json_is "/api/cards/$id" 'd["data"]["character_book"]["entries"][0]["content"] + "|" + d["data"]["alternate_greetings"][0]' \
    'The ship|Ahoy!'
}
check "Character Tavern: the lorebook and greetings came along" pirate_complete
clear_log "$CT"
src sync ct --base-url "$CT" >"$WORK/ct2.out"
ct_second_run_quiet() { grep -q 'new 0, updated 0, unchanged 3' "$WORK/ct2.out" && nothing_downloaded "$CT" /api/character/; }
check "Character Tavern: a second run downloads nothing" ct_second_run_quiet

# --- unreachable
# Port 1 (tcpmux) on loopback: nothing listens there.
unreachable_exits_3() {
  local rc=0
  src sync chub --base-url http://127.0.0.1:1 >/dev/null 2>"$WORK/unreach.err" || rc=$?
  [ "$rc" = 3 ] && grep -q 'cannot connect' "$WORK/unreach.err"
}
check "an unreachable base URL exits 3" unreachable_exits_3
last_run_failed() { src runs chub | head -1 | grep -q failed; }
check "the failed run is recorded" last_run_failed

finish
