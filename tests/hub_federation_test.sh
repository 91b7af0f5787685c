#!/usr/bin/env bash
# Hub federation between two real `charchive serve` instances on loopback, each with
# its own data dir (docs/federation.md "Hub federation"):
# - B answers WebFinger, NodeInfo and its actor; A tests the connection and follows B;
#   the follow waits for B's owner (auto-accept is off by default), who accepts (signed
#   Follow, signed Accept);
# - B publishes 30 cards: they reach A as signed Creates and are imported with images;
#   B's outbox pages them newest first, `since` gives only what changed;
# - a third archive C, which follows nobody, pulls B's outbox (`pull --new`), and later
#   only what changed since (`?since=`: edits and a Delete);
# - with auto-accept on, a follow is accepted at once; an unfollow is an Undo;
# - an edit on B reaches A as an Update and is pulled (the old content stays a version);
# - edits of one field on both sides: A flags a conflict, overwrites nothing; A's merge, pushed to B as
#   an Update of B's own card, is not applied: B keeps it as a suggestion for its owner;
# - a Delete on B marks A's copy `remote_deleted`; A keeps its card;
# - a card made on A is refused by B while B does not follow A (a follower may not write);
#   once B follows A, the push (a signed Create) is imported, and A's later edit (an
#   Update of B's copy, whose origin is A) is applied;
# - while A is down, B's Update waits in its delivery queue and reaches A after A restarts;
# - a strict node (no --allow-private-peers) refuses a Follow whose signer's key is on a
#   loopback address it was not told about (401, nothing stored), and accepts it once its
#   owner makes that node its archive platform (held for the owner, who accepts); its log
#   says why it refused, the sender is told only that the signature was not verified;
# - `charchive hub` shows the node and refuses bad settings without changing anything.
set -euo pipefail
BIN=${1:?usage: hub_federation_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"

suite_begin hub_federation_test

start() {  # start NAME: a public archive; sets NAME_BASE and NAME_TOKEN
  archive_start "$BIN" "$WORK/$1" "token-$1" --public
  PIDS+=("$SERVER")
  printf -v "${1}_BASE" '%s' "$BASE"
  printf -v "${1}_TOKEN" '%s' "$TOKEN"
}
on() { local base="${1}_BASE" token="${1}_TOKEN"; BASE=${!base}; TOKEN=${!token}; }
# on_is NAME PATH EXPR VALUE: whether `field EXPR` of NAME's GET PATH prints VALUE
on_is() { on "$1"; json_is "$2" "$3" "$4"; }
# Deliveries go out on the nodes' own threads: a condition is awaited (up to 60 s, for
# a loaded machine), never assumed after a fixed time.
eventually() { wait_until 60 "$@"; }
# doc_is URL EXPR VALUE: whether `field EXPR` of the public document at URL prints VALUE
doc_is() { [ "$(curl -s "$1" | field "$2")" = "$3" ]; }
# hub_card NAME B_ID: NAME's card linked to B's card B_ID
hub_card() {
  on "$1"
  api GET /api/federation/platforms/archive/cards |
    field "[c['id'] for c in d['cards'] if c['platform_id'] == '$B_BASE/ap/cards/$2'][0]"
}
state() { on "$1"; api GET "/api/federation/cards/$2/sync" | field 'd["syncStates"][0]["status"]'; }
data_field() { on "$1"; api GET "/api/cards/$2" | field "d['data']['$3']"; }
# follower_state NAME ACTOR: ACTOR's state among NAME's followers (none when absent)
follower_state() {
  on "$1"
  api GET /api/hub | field "next((f['state'] for f in d['followers'] if f['actor'] == '$2'), 'none')"
}
# following_state NAME: the state of NAME's follow of its hub (none when it follows nobody)
following_state() { on "$1"; api GET /api/hub | field "d['following'][0]['state'] if d['following'] else 'none'"; }

start A
start B
start C

on B
check "WebFinger finds B's actor" \
  doc_is "$B_BASE/.well-known/webfinger?resource=acct:archive@${B_BASE#http://}" 'd["links"][0]["href"]' "$B_BASE/ap/actor"
check "WebFinger refuses other resources (404)" \
  http_status_is 404 "$B_BASE/.well-known/webfinger?resource=acct:nobody@example.org"
nodeinfo_names_us() {
  doc_is "$(curl -s "$B_BASE/.well-known/nodeinfo" | field 'd["links"][0]["href"]')" \
    'd["software"]["name"] + " " + d["protocols"][0]' 'charchive activitypub'
}
check "NodeInfo 2.1 names the software and ActivityPub" nodeinfo_names_us
actor_is_service() {
  [ "$(curl -s -H 'Accept: application/activity+json' "$B_BASE/ap/actor" |
       field 'd["type"] + " " + str("BEGIN PUBLIC KEY" in d["publicKey"]["publicKeyPem"])')" = 'Service True' ]
}
check "the actor is a Service with an RSA public key" actor_is_service

on A
api POST /api/federation/platforms/archive "{\"base_url\": \"$B_BASE\", \"enabled\": true}" >/dev/null
on B
api POST /api/federation/platforms/archive "{\"base_url\": \"$A_BASE\", \"enabled\": true}" >/dev/null
on A
# posts_to PATH EXPR VALUE: whether `field EXPR` of the answer to POST PATH (no body) prints VALUE
posts_to() { [ "$(api POST "$1" '' | field "$2")" = "$3" ]; }
check "A's connection test reaches B's actor by WebFinger" \
  posts_to /api/federation/platforms/archive/test 'd["data"]["actor"]' "$B_BASE/ap/actor"
check "A asks to follow B" posts_to /api/hub/follow 'd["state"]' pending
# follower_is NAME ACTOR STATE, following_is NAME STATE: follower_state, following_state is STATE
follower_is() { [ "$(follower_state "$1" "$2")" = "$3" ]; }
following_is() { [ "$(following_state "$1")" = "$2" ]; }
follow_waits_for_owner() {
  eventually follower_is B "$A_BASE/ap/actor" pending && on_is B /api/hub 'd["auto_accept"]' False &&
    following_is A pending
}
check "auto-accept is off by default: A's follow waits for B's owner" follow_waits_for_owner
# owner_accepts OWNER FOLLOWER: OWNER's owner accepts FOLLOWER's follow, which turns accepted
owner_accepts() {
  local follower="${2}_BASE"
  on "$1"
  api POST /api/hub/followers/accept "{\"actor\": \"${!follower}/ap/actor\"}" >/dev/null &&
    eventually following_is "$2" accepted
}
check "B's owner accepts: A follows B" owner_accepts B A
check "B lists A as a follower" on_is B /api/hub 'd["followers"][0]["actor"]' "$A_BASE/ap/actor"

python3 "$SRC/bench/gen_push_cards.py" "$FIXTURES/default_Seraphina.png" "$WORK/cards" 30
"$BIN" import --data "$WORK/B" "$WORK/cards" >/dev/null
on B
api PUT /api/hub '{"publish_all": true}' >/dev/null
check "B's 30 cards reach A (signed Creates) and are imported" \
  eventually on_is A '/api/cards?source=archive&limit=100' 'd["total"]' 30
on A
stored_with_images() {
  json_is /api/federation/platforms/archive/cards 'sum(1 for c in d["cards"] if c["status"] == "synced")' 30 &&
    json_is '/api/cards?source=archive&limit=100' 'sum(1 for c in d["items"] if c["format"] == "png")' 30
}
check "A stores B's cards with their images, all synced" stored_with_images
outbox_paged() {
  doc_is "$B_BASE/ap/outbox" 'd["totalItems"]' 30 &&
    doc_is "$B_BASE/ap/outbox?page=1" \
      'len(d["orderedItems"]) == 20 and "next" in d and d["orderedItems"][0]["published"] >= d["orderedItems"][-1]["published"]' \
      True &&
    doc_is "$B_BASE/ap/outbox?page=2" 'len(d["orderedItems"]) == 10 and "next" not in d' True
}
check "B's outbox holds 30 activities, paged newest first" outbox_paged
SINCE=$(curl -s "$B_BASE/ap/outbox?page=1" | field 'd["orderedItems"][0]["published"]')

on C
api POST /api/federation/platforms/archive "{\"base_url\": \"$B_BASE\", \"enabled\": true}" >/dev/null
# pull_new_is EXPR VALUE: whether `field EXPR` of a pull of new cards from the hub prints VALUE
pull_new_is() { [ "$(api POST /api/federation/pull/archive '{"new": true}' | field "$1")" = "$2" ]; }
check "C, following nobody, pulls B's outbox: 30 imported" \
  pull_new_is 'sum(1 for r in d["results"] if r["action"] == "imported")' 30
check "a second pull imports nothing" pull_new_is 'len(d["results"])' 0

# With auto-accept on, followers are accepted without the owner.
on B
api PUT /api/hub '{"auto_accept": true}' >/dev/null
on C
api POST /api/hub/follow '{}' >/dev/null
accepted_at_once() { eventually following_is C accepted && follower_is B "$C_BASE/ap/actor" accepted; }
check "with auto-accept on, C's follow is accepted at once" accepted_at_once
on B
api PUT /api/hub '{"auto_accept": false}' >/dev/null
on C
api DELETE /api/hub/follow >/dev/null
check "C unfollows: B forgets C" eventually on_is B /api/hub 'len(d["followers"])' 1

# An edit on B reaches A as an Update.
A1=$(hub_card A 1)
VERSIONS_BEFORE=$(on A; api GET "/api/cards/$A1/versions" | field 'len(d["versions"])')
on B
api PATCH /api/cards/1 '{"data": {"description": "edited on B"}}' >/dev/null
# data_is NAME ID FIELD VALUE: whether NAME's card ID has VALUE in its data FIELD
data_is() { [ "$(data_field "$1" "$2" "$3" 2>/dev/null)" = "$4" ]; }
# state_is NAME ID STATE: whether NAME's card ID has sync state STATE on the hub
state_is() { [ "$(state "$1" "$2")" = "$3" ]; }
check "B's edit reaches A as an Update and is pulled" eventually data_is A "$A1" description 'edited on B'
old_content_kept() {
  state_is A "$A1" synced &&
    [ "$(on A; api GET "/api/cards/$A1/versions" | field 'len(d["versions"])')" -gt "$VERSIONS_BEFORE" ]
}
check "A's copy stays synced and its old content is a version" old_content_kept
check "B's outbox since the last page lists only the edited card, as an Update" \
  doc_is "$B_BASE/ap/outbox?since=$SINCE&page=1" '[i["type"] + " " + i["object"]["id"] for i in d["orderedItems"]]' \
    "['Update $B_BASE/ap/cards/1']"

# Edits of one field on both sides: a conflict on A (edits of different fields merge);
# A's merge is only a suggestion to B, who owns the card.
A2=$(hub_card A 2)
on A
api PATCH "/api/cards/$A2" '{"data": {"personality": "edited on A"}}' >/dev/null
on B
api PATCH /api/cards/2 '{"data": {"personality": "edited on B"}}' >/dev/null
check "edits of one field on both sides: A flags a conflict" eventually state_is A "$A2" conflict
nothing_overwritten() { data_is A "$A2" personality 'edited on A' && data_is B 2 personality 'edited on B'; }
check "nothing was overwritten on either side" nothing_overwritten
on A
check "the diff shows both sides" \
  json_is "/api/federation/cards/$A2/diff/archive" 'd["local"]["personality"] + "|" + d["remote"]["personality"]' 'edited on A|edited on B'
B2_VERSIONS=$(on B; api GET /api/cards/2/versions | field 'len(d["versions"])')
on A
merge_kept_as_suggestion() {
  [ "$(api POST "/api/federation/cards/$A2/resolve/archive" '{"strategy": "merge", "fields": {"personality": "local"}}' |
    field 'd["kind"]')" = peer_kept_suggestion ] &&
    data_is A "$A2" personality 'edited on A' && data_is B 2 personality 'edited on B'
}
check "A's merge, pushed to B as an Update of B's own card, is refused as an edit: B keeps a suggestion" \
  merge_kept_as_suggestion
on B
check "B's owner sees A's merged content as a suggestion for card 2" \
  json_is '/api/hub/suggestions?card=2' '[(s["actor"], s["card"]["data"]["personality"]) for s in d["suggestions"]]' \
    "[('$A_BASE/ap/actor', 'edited on A')]"
SUGGESTION=$(api GET '/api/hub/suggestions?card=2' | field 'd["suggestions"][0]["id"]')
suggestion_dismissed() {
  [ "$(api DELETE "/api/hub/suggestions/$SUGGESTION" | field 'd["dismissed"]')" = "$SUGGESTION" ] &&
    json_is /api/hub/suggestions 'len(d["suggestions"])' 0 &&
    json_is /api/cards/2/versions 'len(d["versions"])' "$B2_VERSIONS"
}
check "B's owner dismisses it; B's card never changed" suggestion_dismissed

# A Delete on B.
A3=$(hub_card A 3)
on B
api DELETE /api/cards/3 >/dev/null
api DELETE /api/trash >/dev/null
check "a Delete on B marks A's copy remote_deleted" eventually state_is A "$A3" remote_deleted
check "A keeps its card" on_is A "/api/cards/$A3" 'd["id"]' "$A3"
tombstoned() {
  doc_is "$B_BASE/ap/outbox?since=$SINCE&page=1" \
    '[i["object"]["type"] for i in d["orderedItems"] if i["type"] == "Delete"]' "['Tombstone']" &&
    http_status_is 410 "$B_BASE/ap/cards/3"
}
check "B's outbox says Delete with a Tombstone, and the object is gone (410)" tombstoned

# A card made on A, pushed to B.
on A
NEW=$(curl -s -H "Authorization: Bearer $TOKEN" -F "file=@$FIXTURES/default_Seraphina.png" \
  "$BASE/api/cards" | field 'd["results"][0]["id"]')
B_TOTAL=$(on B; api GET /api/cards | field 'd["total"]')
on A
push_refused() {
  [ "$(api POST "/api/federation/cards/$NEW/push/archive" '{}' | field 'd["kind"]')" = peer_refused ] &&
    [ "$(on B; api GET /api/cards | field 'd["total"]')" = "$B_TOTAL" ]
}
check "B does not follow A: A's push (a Create from a mere follower) is refused and B imports nothing" push_refused
on B
api POST /api/hub/follow '{}' >/dev/null
b_follows_a() { eventually follower_is A "$B_BASE/ap/actor" pending && owner_accepts A B; }
check "B follows A once A's owner accepts" b_follows_a
on A
pushed_to_b() {
  api POST "/api/federation/cards/$NEW/push/archive" '{}' | field 'd["platform_id"]' | grep -q "^$B_BASE/ap/cards/"
}
check "A pushes its own card to B as a signed Create" pushed_to_b
REMOTE=$(api GET "/api/federation/cards/$NEW/sync" | field 'd["syncStates"][0]["platform_id"]')
same_on_b() {
  local hash_a
  hash_a=$(on A; api GET "/api/cards/$NEW" | field 'd["content_hash"]')
  on_is B "/api/cards/${REMOTE##*/}" 'd["content_hash"]' "$hash_a" &&
    on_is B "/api/federation/cards/${REMOTE##*/}/sync" 'd["syncStates"][0]["platform_id"]' "$A_BASE/ap/cards/$NEW"
}
check "B imported it with the same content, linked to A's card" same_on_b
check "A's copy is synced" state_is A "$NEW" synced
on A
api PATCH "/api/cards/$NEW" '{"data": {"description": "edited by its author on A"}}' >/dev/null
update_applied() {
  [ "$(api POST "/api/federation/cards/$NEW/push/archive" '{}' | field 'd["platform_id"]')" = "$REMOTE" ] &&
    data_is B "${REMOTE##*/}" description 'edited by its author on A'
}
check "A's edit of its card, pushed as an Update of B's copy (which came from A), is applied on B" update_applied

# C pulls again: only what changed on B since its last pull.
on C
api POST /api/federation/pull/archive '{"new": true}' >"$WORK/c-pull.json"
C1=$(hub_card C 1)
C3=$(hub_card C 3)
pulled_only_changes() {
  [ "$(field 'sorted(set(r["platform_id"].rsplit("/", 1)[1] for r in d["results"]))' <"$WORK/c-pull.json")" = \
    "['1', '2', '3', '${REMOTE##*/}']" ]
}
check "C's next pull reads the outbox since its last pull: B's edits only, the Delete included" pulled_only_changes
c_caught_up() { data_is C "$C1" description 'edited on B' && state_is C "$C3" remote_deleted; }
check "C pulled B's edit and marked B's deleted card remote_deleted" c_caught_up

# B delivers to a follower that is down: queued, retried with backoff, delivered later.
A4=$(hub_card A 4)
A_PORT=${A_BASE##*:}
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
on B
api PATCH /api/cards/4 '{"data": {"description": "edited while A was down"}}' >/dev/null
check "B's Update to A, who is down, waits in B's delivery queue" \
  eventually on_is B /api/hub 'd["deliveries"].get("queued", 0)' 1
# A comes back on the port B knows it by.
CHARCHIVE_TOKEN=token-A serve_on "$A_PORT" "$BIN" "$WORK/A" --public-url "$A_BASE"
PIDS+=("$SERVER")
check "after A restarts, the retried delivery brings the edit" \
  eventually data_is A "$A4" description 'edited while A was down'

# Address policy (docs/security.md, SSRF): D fetches signers' keys only from public
# addresses, except from the archive platform its owner configured.
archive_start "$BIN" "$WORK/D" token-D --public-strict
PIDS+=("$SERVER"); D_BASE=$BASE; D_TOKEN=$TOKEN
on C
api POST /api/federation/platforms/archive "{\"enabled\": true, \"base_url\": \"$D_BASE\"}" >/dev/null
api POST /api/hub/follow >/dev/null
strict_refusal() {
  eventually on_is C /api/hub 'd["deliveries"].get("failed", 0)' 1 &&
    on_is D /api/hub 'len(d["followers"])' 0
}
check "a strict node refuses a Follow signed by a loopback actor it does not know (C's delivery fails for good)" \
  strict_refusal
sender_told_little() {
  grep -q 'inbox_refused activity=Follow .*non-public address 127\.0\.0\.1' "$WORK/D.log" &&
    python3 -c "import sqlite3,sys; e=sqlite3.connect(sys.argv[1]).execute(\"SELECT last_error FROM hub_deliveries WHERE state = 'failed'\").fetchone()[0]; sys.exit(not ('signature not verified' in e and 'non-public' not in e and 'cannot fetch' not in e))" "$WORK/C/cards.db"
}
check "D's log says why (the key's address); C is told only that the signature was not verified" sender_told_little
on D
api POST /api/federation/platforms/archive "{\"enabled\": true, \"base_url\": \"$C_BASE\"}" >/dev/null
on C
api DELETE /api/hub/follow >/dev/null
# Deliveries run in parallel: let the Undo arrive before the new Follow, which it would cancel.
eventually on_is C /api/hub 'd["deliveries"].get("queued", 0)' 0 || true
api POST /api/hub/follow >/dev/null
held_then_accepted() {
  eventually follower_is D "$C_BASE/ap/actor" pending && following_is C pending && owner_accepts D C
}
check "once D's owner makes C its hub platform, C's Follow is verified, held for D's owner, and accepted by them" \
  held_then_accepted

# The CLI.
# hub_status_is DATA EXPR VALUE: whether `field EXPR` of `charchive hub status --json` prints VALUE
hub_status_is() { [ "$("$BIN" hub status --data "$1" --json | field "$2")" = "$3" ]; }
check "charchive hub status shows A following B" hub_status_is "$WORK/A" 'd["following"][0]["state"]' accepted
enable_refused() {
  ! "$BIN" hub set --data "$WORK/fresh" --enable 2>"$WORK/err" && grep -q public_url "$WORK/err" &&
    hub_status_is "$WORK/fresh" 'd["enabled"]' False
}
check "charchive hub set --enable without a public URL fails (exit 2) and changes nothing" enable_refused
publish_missing_exits_2() {
  local rc=0
  "$BIN" hub publish --data "$WORK/fresh" 999 2>/dev/null || rc=$?
  [ "$rc" = 2 ]
}
check "charchive hub publish of a missing card fails with exit 2" publish_missing_exits_2

finish
