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
#   owner makes that node its hub platform (held for the owner, who accepts); its log
#   says why it refused, the sender is told only that the signature was not verified;
# - `charchive hub` shows the node and refuses bad settings without changing anything.
set -euo pipefail
BIN=${1:?usage: hub_federation_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

start() {  # start NAME: a public archive; sets NAME_BASE and NAME_TOKEN
  archive_start "$BIN" "$WORK/$1" "token-$1" --public
  PIDS+=("$SERVER")
  printf -v "${1}_BASE" '%s' "$BASE"
  printf -v "${1}_TOKEN" '%s' "$TOKEN"
}
on() { local base="${1}_BASE" token="${1}_TOKEN"; BASE=${!base}; TOKEN=${!token}; }
# wait_for SECONDS COMMAND: polls COMMAND (eval) until it succeeds.
wait_for() {
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do eval "$2" && return 0; sleep 0.2; done
  return 1
}
# hub_card NAME B_ID: NAME's card linked to B's card B_ID
hub_card() {
  on "$1"
  api GET /api/federation/platforms/hub/cards |
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
  "curl -s '$B_BASE/.well-known/webfinger?resource=acct:archive@${B_BASE#http://}' | field 'd[\"links\"][0][\"href\"]' | grep -qx '$B_BASE/ap/actor'"
check "WebFinger refuses other resources (404)" \
  "[ \$(curl -s -o /dev/null -w '%{http_code}' '$B_BASE/.well-known/webfinger?resource=acct:nobody@example.org') = 404 ]"
check "NodeInfo 2.1 names the software and ActivityPub" \
  "curl -s \$(curl -s $B_BASE/.well-known/nodeinfo | field 'd[\"links\"][0][\"href\"]') | field 'd[\"software\"][\"name\"] + \" \" + d[\"protocols\"][0]' | grep -qx 'charchive activitypub'"
check "the actor is a Service with an RSA public key" \
  "curl -s -H 'Accept: application/activity+json' $B_BASE/ap/actor | field 'd[\"type\"] + \" \" + str(\"BEGIN PUBLIC KEY\" in d[\"publicKey\"][\"publicKeyPem\"])' | grep -qx 'Service True'"

on A
api POST /api/federation/platforms/hub "{\"base_url\": \"$B_BASE\", \"enabled\": true}" >/dev/null
on B
api POST /api/federation/platforms/hub "{\"base_url\": \"$A_BASE\", \"enabled\": true}" >/dev/null
on A
check "A's connection test reaches B's actor by WebFinger" \
  "api POST /api/federation/platforms/hub/test '' | field 'd[\"data\"][\"actor\"]' | grep -qx '$B_BASE/ap/actor'"
check "A asks to follow B" "api POST /api/hub/follow '' | field 'd[\"state\"]' | grep -qx pending"
check "auto-accept is off by default: A's follow waits for B's owner" \
  "wait_for 10 '[ \$(follower_state B $A_BASE/ap/actor) = pending ]' &&
   [ \"\$(on B; api GET /api/hub | field 'd[\"auto_accept\"]')\" = False ] && [ \$(following_state A) = pending ]"
on B
check "B's owner accepts: A follows B" \
  "api POST /api/hub/followers/accept '{\"actor\": \"$A_BASE/ap/actor\"}' >/dev/null &&
   wait_for 10 '[ \$(following_state A) = accepted ]'"
check "B lists A as a follower" \
  "on B; api GET /api/hub | field 'd[\"followers\"][0][\"actor\"]' | grep -qx '$A_BASE/ap/actor'"

python3 "$SRC/bench/gen_push_cards.py" "$FIXTURES/default_Seraphina.png" "$WORK/cards" 30
"$BIN" import --data "$WORK/B" "$WORK/cards" >/dev/null
on B
api PUT /api/hub '{"publish_all": true}' >/dev/null
check "B's 30 cards reach A (signed Creates) and are imported" \
  "wait_for 30 \"on A; [ \\\$(api GET '/api/cards?source=hub&limit=100' | field 'd[\\\"total\\\"]') = 30 ]\""
on A
check "A stores B's cards with their images, all synced" \
  "[ \$(api GET '/api/federation/platforms/hub/cards' | field 'sum(1 for c in d[\"cards\"] if c[\"status\"] == \"synced\")') = 30 ] &&
   [ \$(api GET '/api/cards?source=hub&limit=100' | field 'sum(1 for c in d[\"items\"] if c[\"format\"] == \"png\")') = 30 ]"
check "B's outbox holds 30 activities, paged newest first" \
  "curl -s $B_BASE/ap/outbox | field 'd[\"totalItems\"]' | grep -qx 30 &&
   curl -s '$B_BASE/ap/outbox?page=1' | field 'len(d[\"orderedItems\"]) == 20 and \"next\" in d and d[\"orderedItems\"][0][\"published\"] >= d[\"orderedItems\"][-1][\"published\"]' | grep -qx True &&
   curl -s '$B_BASE/ap/outbox?page=2' | field 'len(d[\"orderedItems\"]) == 10 and \"next\" not in d' | grep -qx True"
SINCE=$(curl -s "$B_BASE/ap/outbox?page=1" | field 'd["orderedItems"][0]["published"]')

on C
api POST /api/federation/platforms/hub "{\"base_url\": \"$B_BASE\", \"enabled\": true}" >/dev/null
check "C, following nobody, pulls B's outbox: 30 imported" \
  "[ \$(api POST /api/federation/pull/hub '{\"new\": true}' | field 'sum(1 for r in d[\"results\"] if r[\"action\"] == \"imported\")') = 30 ]"
check "a second pull imports nothing" \
  "[ \$(api POST /api/federation/pull/hub '{\"new\": true}' | field 'len(d[\"results\"])') = 0 ]"

# With auto-accept on, followers are accepted without the owner.
on B
api PUT /api/hub '{"auto_accept": true}' >/dev/null
on C
api POST /api/hub/follow '{}' >/dev/null
check "with auto-accept on, C's follow is accepted at once" \
  "wait_for 10 '[ \$(following_state C) = accepted ]' && [ \$(follower_state B $C_BASE/ap/actor) = accepted ]"
on B
api PUT /api/hub '{"auto_accept": false}' >/dev/null
on C
api DELETE /api/hub/follow >/dev/null
check "C unfollows: B forgets C" \
  "wait_for 10 \"on B; [ \\\$(api GET /api/hub | field 'len(d[\\\"followers\\\"])') = 1 ]\""

# An edit on B reaches A as an Update.
A1=$(hub_card A 1)
VERSIONS_BEFORE=$(on A; api GET "/api/cards/$A1/versions" | field 'len(d["versions"])')
on B
api PATCH /api/cards/1 '{"data": {"description": "edited on B"}}' >/dev/null
check "B's edit reaches A as an Update and is pulled" \
  "wait_for 10 \"[ \\\"\\\$(data_field A $A1 description)\\\" = 'edited on B' ]\""
check "A's copy stays synced and its old content is a version" \
  "[ \$(state A $A1) = synced ] && [ \$(on A; api GET /api/cards/$A1/versions | field 'len(d[\"versions\"])') -gt $VERSIONS_BEFORE ]"
check "B's outbox since the last page lists only the edited card, as an Update" \
  "curl -s '$B_BASE/ap/outbox?since=$SINCE&page=1' | field '[i[\"type\"] + \" \" + i[\"object\"][\"id\"] for i in d[\"orderedItems\"]]' | grep -qx \"\\['Update $B_BASE/ap/cards/1'\\]\""

# Edits of one field on both sides: a conflict on A (edits of different fields merge);
# A's merge is only a suggestion to B, who owns the card.
A2=$(hub_card A 2)
on A
api PATCH "/api/cards/$A2" '{"data": {"personality": "edited on A"}}' >/dev/null
on B
api PATCH /api/cards/2 '{"data": {"personality": "edited on B"}}' >/dev/null
check "edits of one field on both sides: A flags a conflict" "wait_for 10 \"[ \\\$(state A $A2) = conflict ]\""
check "nothing was overwritten on either side" \
  "[ \"\$(data_field A $A2 personality)\" = 'edited on A' ] && [ \"\$(data_field B 2 personality)\" = 'edited on B' ]"
on A
check "the diff shows both sides" \
  "api GET /api/federation/cards/$A2/diff/hub | field 'd[\"local\"][\"personality\"] + \"|\" + d[\"remote\"][\"personality\"]' | grep -qx 'edited on A|edited on B'"
B2_VERSIONS=$(on B; api GET /api/cards/2/versions | field 'len(d["versions"])')
on A
check "A's merge, pushed to B as an Update of B's own card, is refused as an edit: B keeps a suggestion" \
  "api POST /api/federation/cards/$A2/resolve/hub '{\"strategy\": \"merge\", \"fields\": {\"personality\": \"local\"}}' | field 'd[\"kind\"]' | grep -qx peer_kept_suggestion &&
   [ \"\$(data_field A $A2 personality)\" = 'edited on A' ] && [ \"\$(data_field B 2 personality)\" = 'edited on B' ]"
on B
check "B's owner sees A's merged content as a suggestion for card 2" \
  "api GET '/api/hub/suggestions?card=2' | field '[(s[\"actor\"], s[\"card\"][\"data\"][\"personality\"]) for s in d[\"suggestions\"]]' |
     grep -qxF \"[('$A_BASE/ap/actor', 'edited on A')]\""
SUGGESTION=$(api GET '/api/hub/suggestions?card=2' | field 'd["suggestions"][0]["id"]')
check "B's owner dismisses it; B's card never changed" \
  "api DELETE /api/hub/suggestions/$SUGGESTION | field 'd[\"dismissed\"]' | grep -qx $SUGGESTION &&
   [ \$(api GET /api/hub/suggestions | field 'len(d[\"suggestions\"])') = 0 ] &&
   [ \$(api GET /api/cards/2/versions | field 'len(d[\"versions\"])') = $B2_VERSIONS ]"

# A Delete on B.
A3=$(hub_card A 3)
on B
api DELETE /api/cards/3 >/dev/null
check "a Delete on B marks A's copy remote_deleted" "wait_for 10 \"[ \\\$(state A $A3) = remote_deleted ]\""
check "A keeps its card" "on A; api GET /api/cards/$A3 | field 'd[\"id\"]' | grep -qx $A3"
check "B's outbox says Delete with a Tombstone, and the object is gone (410)" \
  "curl -s '$B_BASE/ap/outbox?since=$SINCE&page=1' | field '[i[\"object\"][\"type\"] for i in d[\"orderedItems\"] if i[\"type\"] == \"Delete\"]' | grep -qx \"\\['Tombstone'\\]\" &&
   [ \$(curl -s -o /dev/null -w '%{http_code}' $B_BASE/ap/cards/3) = 410 ]"

# A card made on A, pushed to B.
on A
NEW=$(curl -s -H "Authorization: Bearer $TOKEN" -F "file=@$FIXTURES/default_Seraphina.png" \
  "$BASE/api/cards" | field 'd["results"][0]["id"]')
B_TOTAL=$(on B; api GET /api/cards | field 'd["total"]')
on A
check "B does not follow A: A's push (a Create from a mere follower) is refused and B imports nothing" \
  "api POST /api/federation/cards/$NEW/push/hub '{}' | field 'd[\"kind\"]' | grep -qx peer_refused &&
   [ \$(on B; api GET /api/cards | field 'd[\"total\"]') = $B_TOTAL ]"
on B
api POST /api/hub/follow '{}' >/dev/null
on A
check "B follows A once A's owner accepts" \
  "wait_for 10 '[ \$(follower_state A $B_BASE/ap/actor) = pending ]' &&
   api POST /api/hub/followers/accept '{\"actor\": \"$B_BASE/ap/actor\"}' >/dev/null &&
   wait_for 10 '[ \$(following_state B) = accepted ]'"
on A
check "A pushes its own card to B as a signed Create" \
  "api POST /api/federation/cards/$NEW/push/hub '{}' | field 'd[\"platform_id\"]' | grep -q '^$B_BASE/ap/cards/'"
REMOTE=$(api GET "/api/federation/cards/$NEW/sync" | field 'd["syncStates"][0]["platform_id"]')
check "B imported it with the same content, linked to A's card" \
  "on B; [ \"\$(api GET /api/cards/\${REMOTE##*/} | field 'd[\"content_hash\"]')\" = \"\$(on A; api GET /api/cards/$NEW | field 'd[\"content_hash\"]')\" ] &&
   [ \$(on B; api GET /api/federation/cards/\${REMOTE##*/}/sync | field 'd[\"syncStates\"][0][\"platform_id\"]') = '$A_BASE/ap/cards/$NEW' ]"
check "A's copy is synced" "[ \$(state A $NEW) = synced ]"
on A
api PATCH "/api/cards/$NEW" '{"data": {"description": "edited by its author on A"}}' >/dev/null
check "A's edit of its card, pushed as an Update of B's copy (which came from A), is applied on B" \
  "api POST /api/federation/cards/$NEW/push/hub '{}' | field 'd[\"platform_id\"]' | grep -qx '$REMOTE' &&
   [ \"\$(data_field B \${REMOTE##*/} description)\" = 'edited by its author on A' ]"

# C pulls again: only what changed on B since its last pull.
on C
api POST /api/federation/pull/hub '{"new": true}' >"$WORK/c-pull.json"
C1=$(hub_card C 1)
C3=$(hub_card C 3)
check "C's next pull reads the outbox since its last pull: B's edits only, the Delete included" \
  "field 'sorted(set(r[\"platform_id\"].rsplit(\"/\", 1)[1] for r in d[\"results\"]))' <'$WORK/c-pull.json' |
     grep -qx \"\\['1', '2', '3', '\${REMOTE##*/}'\\]\""
check "C pulled B's edit and marked B's deleted card remote_deleted" \
  "[ \"\$(data_field C $C1 description)\" = 'edited on B' ] && [ \$(state C $C3) = remote_deleted ]"

# B delivers to a follower that is down: queued, retried with backoff, delivered later.
A4=$(hub_card A 4)
A_PORT=${A_BASE##*:}
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
on B
api PATCH /api/cards/4 '{"data": {"description": "edited while A was down"}}' >/dev/null
check "B's Update to A, who is down, waits in B's delivery queue" \
  "wait_for 10 \"on B; api GET /api/hub | field 'd[\\\"deliveries\\\"].get(\\\"queued\\\", 0)' | grep -qx 1\""
CHARCHIVE_TOKEN=token-A "$BIN" serve --data "$WORK/A" --port "$A_PORT" --public-url "$A_BASE" >>"$WORK/A.log" 2>&1 &
PIDS+=("$!")
check "after A restarts, the retried delivery brings the edit" \
  "wait_for 20 \"[ \\\"\\\$(data_field A $A4 description 2>/dev/null)\\\" = 'edited while A was down' ]\""

# Address policy (docs/security.md, SSRF): D fetches signers' keys only from public
# addresses, except from the hub platform its owner configured.
archive_start "$BIN" "$WORK/D" token-D --public-strict
PIDS+=("$SERVER"); D_BASE=$BASE; D_TOKEN=$TOKEN
on C
api POST /api/federation/platforms/hub "{\"enabled\": true, \"base_url\": \"$D_BASE\"}" >/dev/null
api POST /api/hub/follow >/dev/null
check "a strict node refuses a Follow signed by a loopback actor it does not know (C's delivery fails for good)" \
  "wait_for 10 \"on C; api GET /api/hub | field 'd[\\\"deliveries\\\"].get(\\\"failed\\\", 0)' | grep -qx 1\" &&
   on D && [ \"\$(api GET /api/hub | field 'len(d[\"followers\"])')\" = 0 ]"
check "D's log says why (the key's address); C is told only that the signature was not verified" \
  "grep -q 'inbox_refused activity=Follow .*non-public address 127\\.0\\.0\\.1' '$WORK/D.log' &&
   python3 -c \"import sqlite3,sys; e=sqlite3.connect(sys.argv[1]).execute(\\\"SELECT last_error FROM hub_deliveries WHERE state = 'failed'\\\").fetchone()[0]; sys.exit(not ('signature not verified' in e and 'non-public' not in e and 'cannot fetch' not in e))\" '$WORK/C/cards.db'"
on D
api POST /api/federation/platforms/hub "{\"enabled\": true, \"base_url\": \"$C_BASE\"}" >/dev/null
on C
api DELETE /api/hub/follow >/dev/null
# Deliveries run in parallel: let the Undo arrive before the new Follow, which it would cancel.
wait_for 10 "[ \$(on C; api GET /api/hub | field 'd[\"deliveries\"].get(\"queued\", 0)') = 0 ]" || true
api POST /api/hub/follow >/dev/null
check "once D's owner makes C its hub platform, C's Follow is verified, held for D's owner, and accepted by them" \
  "wait_for 10 '[ \$(follower_state D $C_BASE/ap/actor) = pending ]' && [ \$(following_state C) = pending ] &&
   on D && api POST /api/hub/followers/accept '{\"actor\": \"$C_BASE/ap/actor\"}' >/dev/null &&
   wait_for 10 '[ \$(following_state C) = accepted ]'"

# The CLI.
check "charchive hub status shows A following B" \
  "'$BIN' hub status --data '$WORK/A' --json | field 'd[\"following\"][0][\"state\"]' | grep -qx accepted"
check "charchive hub set --enable without a public URL fails (exit 2) and changes nothing" \
  "! '$BIN' hub set --data '$WORK/fresh' --enable 2>'$WORK/err' && grep -q public_url '$WORK/err' &&
   '$BIN' hub status --data '$WORK/fresh' --json | field 'd[\"enabled\"]' | grep -qx False"
check "charchive hub publish of a missing card fails with exit 2" \
  "'$BIN' hub publish --data '$WORK/fresh' 999 2>/dev/null; [ \$? = 2 ]"

finish
