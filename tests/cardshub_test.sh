#!/usr/bin/env bash
# CardsHub end to end (docs/federation.md "CardsHub"): a real `charchive serve` and the CLI
# against the fake CardsHub (tests/fakes/fake_cardshub.cc, run by build/fake_hubs) on loopback:
# - a wrong password: the test says the login was refused, a push exits 3, nothing on the hub;
# - the connection test says who we are; the password is never returned nor stored in clear;
# - a push uploads one card; pushing it again unchanged sends nothing; after an edit the push
#   is refused with CardsHub's message (409 peer_cannot_update; CLI exit 3), and
#   `push --publish-as-new` makes a second card and names the first in the history;
# - `pull --new` imports a card another user uploaded on the hub, downloading it once;
# - a card deleted on the hub: the sync exits 3, the link is remote_deleted, the card stays;
# - visibility and unpublish (which wants --yes / {"confirm": true}).
set -euo pipefail
BIN=${1:?usage: cardshub_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"

suite_begin cardshub_test

fake_hub_start cardshub HUB
control() { curl -sf -X POST -H 'Content-Type: application/json' -d "$2" "$HUB/_control/$1"; }
hub_cards() { curl -sf "$HUB/_control/cards"; }
control users '{"username": "archivist", "password": "pw-archivist-4711"}' >/dev/null
control users '{"username": "other", "password": "pw-other"}' >/dev/null

DATA=$WORK/data
archive_start "$BIN" "$DATA" cardshub-token
PIDS+=("$SERVER")
card() {  # card NAME: imports a small V2 card through the API; prints its id
  python3 - "$1" >"$WORK/card.json" <<'PY'
import json, sys
print(json.dumps({"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": sys.argv[1],
  "description": "Made in the archive.", "personality": "", "scenario": "", "first_mes": "Hello.",
  "mes_example": "", "tags": ["test"]}}))
PY
  curl -sf -H "Authorization: Bearer $TOKEN" -F "file=@$WORK/card.json;filename=$1.json" "$BASE/api/cards" |
    field 'd["results"][0]["id"]'
}
settings() {
  api POST /api/federation/platforms/hub "{\"base_url\": \"$HUB\", \"enabled\": true, \"username\": \"archivist\",
    \"api_key\": \"$1\", \"options\": {\"pull_public\": true, \"visibility\": \"unlisted\"}}" >/dev/null
}

check "the hub platform is CardsHub with auth kind login; the ActivityPub node is 'archive'" json_is \
  /api/federation/platforms '" ".join(p["platform"] + ":" + p["auth_kind"] for p in d["platforms"][2:])' \
  'hub:login archive:none'
ALICE=$(card Alice)

settings wrong-password
wrong_password_refused() {
  [ "$(api POST /api/federation/platforms/hub/test | field 'd["connected"]')" = False ] &&
    api POST /api/federation/platforms/hub/test | field 'd["error"]' | grep -q "CardsHub refused the login of archivist"
}
check "a wrong password: the connection test says the login was refused" wrong_password_refused
check "a wrong password: the push exits 3" exits 3 "$BIN" push --data "$DATA" --platform hub --card "$ALICE"
check "a wrong password: nothing reached the hub" [ "$(hub_cards | field 'len(d)')" = 0 ]

settings pw-archivist-4711
test_says_who() {
  api POST /api/federation/platforms/hub/test | field 'd["data"]["message"]' | grep -q "logged in to CardsHub as archivist"
}
check "the connection test logs in and says who we are" test_says_who
check "the password is never returned" json_is /api/federation/platforms \
  '[p["api_key"] for p in d["platforms"] if p["platform"] == "hub"][0]' '***configured***'
password_not_in_clear() { ! grep -qa pw-archivist-4711 "$DATA"/cards.db*; }
check "the password is not in the database in clear" password_not_in_clear

SLUG=$(api POST "/api/federation/cards/$ALICE/push/hub" '{}' | field 'd["slug"]')
check "a first push uploads the card as unlisted, under a slug" \
  [ "$(hub_cards | field "' '.join(c['slug'] + ':' + c['visibility'] for c in d)")" = "$SLUG:unlisted" ]
check "an unchanged card pushed again sends nothing" exits 0 "$BIN" push --data "$DATA" --platform hub --card "$ALICE"
check "still one card on the hub" [ "$(hub_cards | field 'len(d)')" = 1 ]
api PATCH "/api/cards/$ALICE" '{"data": {"description": "Edited in the archive."}}' >/dev/null
refused_with_message() {
  api POST "/api/federation/cards/$ALICE/push/hub" '{}' >"$WORK/refused.json"
  [ "$(field 'd["kind"]' <"$WORK/refused.json")" = peer_cannot_update ] &&
    [ "$(field 'd["error"]' <"$WORK/refused.json")" = \
      "CardsHub cannot update a published card; publish as a new card, or keep the archive version local" ]
}
check "a push after an edit is refused with CardsHub's message" refused_with_message
check "the refused push exits 3 in the CLI" exits 3 "$BIN" push --data "$DATA" --platform hub --card "$ALICE"
check "publish as new: exit 0" exits 0 "$BIN" push --data "$DATA" --platform hub --card "$ALICE" --publish-as-new
NEW_SLUG=$(api GET "/api/federation/cards/$ALICE/sync" | field '[s["platform_id"] for s in d["syncStates"] if s["platform"] == "hub"][0]')
moved_to_a_new_card() { [ "$(hub_cards | field 'len(d)')" = 2 ] && [ "$NEW_SLUG" != "$SLUG" ]; }
check "publish as new made a second card and moved the link" moved_to_a_new_card
history_names_old() { "$BIN" history --data "$DATA" --card "$ALICE" --platform hub | grep -q "$SLUG"; }
check "the history names the previous copy" history_names_old

THEIRS=$(control cards '{"uploader": "other", "name": "Brigid", "description": "Uploaded by another user."}' | field 'd["slug"]')
check "pull --new imports the card another user uploaded" exits 0 "$BIN" pull --data "$DATA" --platform hub --new
check "the imported card has the hub as its source and its slug as source id" json_is \
  '/api/cards?source=hub&limit=10' '" ".join(c["name"] for c in d["items"])' Brigid
check "it was downloaded once" [ "$(hub_cards | field "[c['downloadsCount'] for c in d if c['slug'] == '$THEIRS'][0]")" = 1 ]
check "a second pull --new downloads nothing" exits 0 "$BIN" pull --data "$DATA" --platform hub --new
check "still one download" [ "$(hub_cards | field "[c['downloadsCount'] for c in d if c['slug'] == '$THEIRS'][0]")" = 1 ]

check "visibility: set to public" exits 0 "$BIN" visibility --data "$DATA" --platform hub --card "$ALICE" public
check "the hub shows it public" [ "$(hub_cards | field "[c['visibility'] for c in d if c['slug'] == '$NEW_SLUG'][0]")" = public ]
check "unpublish without --yes exits 2 and deletes nothing" exits 2 "$BIN" unpublish --data "$DATA" --platform hub --card "$ALICE"
check "unpublish over the API wants confirm" http_status_is 400 -d '{}' "$BASE/api/federation/cards/$ALICE/unpublish/hub"
check "unpublish --yes deletes the copy on the hub" exits 0 "$BIN" unpublish --data "$DATA" --platform hub --card "$ALICE" --yes
check "the archive keeps the card" http_status_is 200 "$BASE/api/cards/$ALICE"

BRIGID=$(api GET '/api/cards?source=hub&limit=10' | field 'd["items"][0]["id"]')
control delete "{\"slug\": \"$THEIRS\"}" >/dev/null
check "a card deleted on the hub: the sync exits 3" exits 3 "$BIN" sync --data "$DATA" --platform hub --card "$BRIGID"
check "its link is remote_deleted and the card stays" json_is "/api/federation/cards/$BRIGID/sync" \
  '[s["status"] for s in d["syncStates"] if s["platform"] == "hub"][0]' remote_deleted
finish
