#!/usr/bin/env bash
# Two-way sync with a real SillyTavern 1.19.0 (tests/e2e/sillytavern.sh), through a
# running `charchive serve` and the CLI:
# - pushed, nothing edited: `synced` after 3 syncs (SillyTavern's own additions are noise);
# - edited in SillyTavern (/api/characters/merge-attributes): a pull brings the change and
#   the old content stays a version;
# - edited on both sides differently: `conflict`, neither side overwritten, the diff shows
#   both; a merge resolves it, both sides end equal and `synced`;
# - a character made in SillyTavern only: `pull --new` imports it once;
# - "Who? Test" pushed natively (SillyTavern stores "Who Test"), its scenario edited in
#   SillyTavern: the sync takes the scenario and the archive keeps its "?" (the peer's own base).
set -euo pipefail
BIN=${1:?usage: sillytavern_sync_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
export CHARCHIVE_BUILD_DIR=${CHARCHIVE_BUILD_DIR:-$SRC/build}
# shellcheck source=e2e/sillytavern.sh
source "$SRC/tests/e2e/sillytavern.sh"
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
bash "$SRC/scripts/install-sillytavern.sh" "$CHARCHIVE_BUILD_DIR" >/dev/null

WORK=$(mktemp -d)
SERVER=
cleanup() { st_stop; [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
# st POST-PATH JSON: a JSON POST to SillyTavern with its CSRF token and cookies.
st() {
  local token; token=$(curl -s -c "$WORK/jar" -b "$WORK/jar" "$ST_URL/csrf-token" | field 'd["token"]')
  curl -s -b "$WORK/jar" -H "X-CSRF-Token: $token" -H 'Content-Type: application/json' -d "$2" "$ST_URL$1"
}
st_card() {  # st_card FILE -> the card's data as SillyTavern stores it
  st /api/characters/get "{\"avatar_url\": \"$1\"}" | field 'json.dumps(json.loads(d["json_data"])["data"])'
}

st_start
archive_start "$BIN" "$WORK/data" st-sync-token
ID=$(curl -s -H "Authorization: Bearer $TOKEN" -F "file=@$FIXTURES/default_Seraphina.png" \
  "$BASE/api/cards" | field 'd["results"][0]["id"]')
api POST /api/federation/platforms/sillytavern "{\"base_url\": \"$ST_URL\", \"enabled\": true}" >/dev/null
api POST "/api/federation/cards/$ID/push/sillytavern" '{}' >/dev/null

for i in 1 2 3; do
  check_eval "sync $i of an untouched card: unchanged" \
    "api POST '/api/federation/cards/$ID/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx unchanged"
done
check_eval "still synced, one version" \
  "api GET '/api/federation/cards/$ID/sync' | field 'd[\"syncStates\"][0][\"status\"]' | grep -qx synced && [ \$(api GET '/api/cards/$ID/versions' | field 'len(d[\"versions\"])') = 1 ]"

# Edited in SillyTavern only.
st /api/characters/merge-attributes '{"avatar": "Seraphina.png", "data": {"scenario": "Edited in SillyTavern."}}' >/dev/null
check_eval "the edit is in SillyTavern" "st_card Seraphina.png | field 'd[\"scenario\"]' | grep -qx 'Edited in SillyTavern.'"
check_eval "pull (CLI): pulled 1" "'$BIN' pull --data '$WORK/data' --platform sillytavern --card $ID | grep -q 'pulled 1'"
check_eval "the archive has the edit" "api GET '/api/cards/$ID' | field 'd[\"data\"][\"scenario\"]' | grep -qx 'Edited in SillyTavern.'"
check_eval "the old content is a version" \
  "[ \$(api GET '/api/cards/$ID/versions' | field 'len(d[\"versions\"])') = 2 ] && api GET '/api/cards/$ID/versions' | field 'd[\"versions\"][0][\"reason\"]' | grep -qx pull"
check_eval "synced after the pull" \
  "api POST '/api/federation/cards/$ID/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx unchanged"

# Edited on both sides, differently.
api PATCH "/api/cards/$ID" '{"data": {"scenario": "Edited in the archive."}}' >/dev/null
st /api/characters/merge-attributes '{"avatar": "Seraphina.png", "data": {"scenario": "Edited in SillyTavern again.", "personality": "Edited personality."}}' >/dev/null
check_eval "both edited: conflict" \
  "api POST '/api/federation/cards/$ID/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx conflict"
check_eval "neither side overwritten" \
  "api GET '/api/cards/$ID' | field 'd[\"data\"][\"scenario\"]' | grep -qx 'Edited in the archive.' && st_card Seraphina.png | field 'd[\"scenario\"]' | grep -qx 'Edited in SillyTavern again.'"
api GET "/api/federation/cards/$ID/diff/sillytavern" >"$WORK/diff.json"
check_eval "the diff shows both sides of the scenario" "python3 - '$WORK/diff.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = {x['field']: x for x in d['fields']}
s = f['scenario']
ok = s['conflict'] and s['local'] == 'Edited in the archive.' and s['remote'] == 'Edited in SillyTavern again.'
ok = ok and f['personality']['remote_changed'] and not f['personality']['local_changed'] and d['status'] == 'conflict'
sys.exit(0 if ok else 1)
PY"
check_eval "a merge without a choice for the scenario is refused" \
  "api POST '/api/federation/cards/$ID/resolve/sillytavern' '{\"strategy\": \"merge\"}' | grep -q merge_conflict"
RESOLVED=$(api POST "/api/federation/cards/$ID/resolve/sillytavern" '{"strategy": "merge", "fields": {"scenario": "local"}}')
check_eval "merge resolves" "echo '$RESOLVED' | field 'd[\"action\"]' | grep -qx pushed"
check_eval "both sides hold the merge" \
  "st_card Seraphina.png | field 'd[\"scenario\"]+\"|\"+d[\"personality\"]' | grep -qx 'Edited in the archive.|Edited personality.' && api GET '/api/cards/$ID' | field 'd[\"data\"][\"personality\"]' | grep -qx 'Edited personality.'"
check_eval "synced after the merge, and stays so" \
  "api POST '/api/federation/cards/$ID/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx unchanged && api GET '/api/federation/cards/$ID/sync' | field 'd[\"syncStates\"][0][\"status\"]' | grep -qx synced"
check_eval "history has the push, pull, conflict and resolution" \
  "'$BIN' history --data '$WORK/data' --card $ID | awk '{print \$3}' | sort -u | tr '\n' ' ' | grep -q 'conflict pull push resolve'"

# A character made in SillyTavern only.
st /api/characters/create '{"ch_name": "Made In Tavern", "description": "Only here.", "first_mes": "Hi!"}' >/dev/null
check_eval "pull --new imports it" "'$BIN' pull --data '$WORK/data' --platform sillytavern --new | grep -q 'imported 1'"
check_eval "it is in the archive with its source" \
  "api GET '/api/cards?q=Tavern' | field '[(c[\"name\"], c[\"source\"]) for c in d[\"items\"]]' | grep -q \"('Made In Tavern', 'sillytavern')\""
check_eval "a second pull --new imports nothing" "'$BIN' pull --data '$WORK/data' --platform sillytavern --new | grep -q '^0 failed (0 cards)'"

# The peer's rewrite on import stays the peer's: SillyTavern's native import strips the "?".
cat >"$WORK/who.json" <<'JSON'
{"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Who? Test", "description": "Asks.",
 "personality": "", "scenario": "A quiz.", "first_mes": "Who?", "mes_example": "", "creator_notes": "",
 "system_prompt": "", "post_history_instructions": "", "alternate_greetings": [], "tags": [],
 "creator": "", "character_version": "", "extensions": {}}}
JSON
WHO=$(curl -s -H "Authorization: Bearer $TOKEN" -F "file=@$WORK/who.json;type=application/json" \
  "$BASE/api/cards" | field 'd["results"][0]["id"]')
WHO_FILE=$(api POST "/api/federation/cards/$WHO/push/sillytavern" '{}' | field 'd["filename"]')
check_eval "SillyTavern stored the name without its ?" "st_card '$WHO_FILE' | field 'd[\"name\"]' | grep -qx 'Who Test'"
check_eval "the rewrite alone is no change" \
  "api POST '/api/federation/cards/$WHO/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx unchanged"
st /api/characters/merge-attributes "{\"avatar\": \"$WHO_FILE\", \"data\": {\"scenario\": \"A harder quiz.\"}}" >/dev/null
check_eval "a scenario edit in SillyTavern is pulled" \
  "api POST '/api/federation/cards/$WHO/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx pulled"
check_eval "the archive takes the scenario and keeps 'Who? Test'" \
  "api GET '/api/cards/$WHO' | field 'd[\"data\"][\"name\"]+\"|\"+d[\"data\"][\"scenario\"]' | grep -qx 'Who? Test|A harder quiz.'"

finish
