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
#   SillyTavern: the sync takes the scenario and the archive keeps its "?" (the peer's own base);
#   the link reports "SillyTavern stored the name as 'Who Test'", before and after the pull;
# - a no-op save in SillyTavern's character editor (the form its UI sends) of a card whose
#   depth_prompt has no role: SillyTavern writes role "system", talkativeness and world; the
#   sync says unchanged and makes no version;
# - the card renamed in SillyTavern (/api/characters/rename: new name, new file): found by its
#   identity marker, still linked, the new name pulled; `pull --new` imports nothing, also when
#   it runs first after a rename;
# - edited on both sides: `charchive sync`, and `push` without --overwrite, exit 4 and overwrite
#   nothing;
# - renamed in SillyTavern, then `push --overwrite` at once: the renamed file is overwritten,
#   no second file appears under the old name.
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
# st_editor_save FILE: what SillyTavern's character editor sends when the user opens the card
# and presses Save without changing anything (public/script.js: the #form_create fields, filled
# from the character, as multipart form data to /api/characters/edit).
st_editor_save() {
  local token form=$WORK/editor-form
  token=$(curl -s -c "$WORK/jar" -b "$WORK/jar" "$ST_URL/csrf-token" | field 'd["token"]')
  rm -rf "$form" && mkdir -p "$form"
  st /api/characters/get "{\"avatar_url\": \"$1\"}" | python3 -c '
import json, os, sys
ch = json.load(sys.stdin)
d = json.loads(ch["json_data"])["data"]
ext = d.get("extensions", {})
depth = ext.get("depth_prompt", {})
fields = {"ch_name": d["name"], "avatar_url": ch["avatar"], "description": d.get("description", ""),
          "personality": d.get("personality", ""), "scenario": d.get("scenario", ""),
          "first_mes": d.get("first_mes", ""), "mes_example": d.get("mes_example", ""),
          "creator_notes": d.get("creator_notes", ""), "system_prompt": d.get("system_prompt", ""),
          "post_history_instructions": d.get("post_history_instructions", ""),
          "tags": ", ".join(d.get("tags", [])), "creator": d.get("creator", ""),
          "character_version": d.get("character_version", ""),
          "talkativeness": str(ext.get("talkativeness", 0.5)), "fav": "false", "world": ext.get("world", ""),
          "depth_prompt_prompt": depth.get("prompt", ""), "depth_prompt_depth": str(depth.get("depth", 4)),
          "depth_prompt_role": depth.get("role", "system"), "chat": ch.get("chat", ""),
          "create_date": ch.get("create_date", ""), "json_data": ch["json_data"]}
# The UI appends one alternate_greetings field per greeting (files NAME.N: one field each).
for n, greeting in enumerate(d.get("alternate_greetings", [])):
    fields[f"alternate_greetings.{n}"] = greeting
for name, value in fields.items():
    open(os.path.join(sys.argv[1], name), "w").write(value)
' "$form"
  local args=() f
  for f in "$form"/*; do
    local name; name=$(basename "$f")
    args+=(-F "${name%%.*}=<$f")
  done
  curl -s -o /dev/null -w '%{http_code}' -b "$WORK/jar" -H "X-CSRF-Token: $token" "${args[@]}" "$ST_URL/api/characters/edit"
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

# A save in SillyTavern's editor that changes nothing: it writes depth_prompt.role "system" (the
# card had none), talkativeness 0.5 and world "", which mean what the card already said.
cat >"$WORK/depth.json" <<'JSON'
{"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Depth Keeper", "description": "Remembers.",
 "personality": "calm", "scenario": "A study.", "first_mes": "Hello.", "mes_example": "", "creator_notes": "",
 "system_prompt": "", "post_history_instructions": "", "alternate_greetings": ["Hi."], "tags": ["quiet"],
 "creator": "tester", "character_version": "1", "extensions": {"depth_prompt": {"prompt": "Speak softly.", "depth": 2}}}}
JSON
DEPTH=$(curl -s -H "Authorization: Bearer $TOKEN" -F "file=@$WORK/depth.json;type=application/json" \
  "$BASE/api/cards" | field 'd["results"][0]["id"]')
DEPTH_FILE=$(api POST "/api/federation/cards/$DEPTH/push/sillytavern" '{}' | field 'd["filename"]')
check_eval "SillyTavern's copy has a depth_prompt without role" \
  "st_card '$DEPTH_FILE' | field '\"role\" in d[\"extensions\"][\"depth_prompt\"]' | grep -qx False"
check_eval "a no-op save in SillyTavern's editor is accepted" "[ \"\$(st_editor_save '$DEPTH_FILE')\" = 200 ]"
check_eval "the save wrote role system, talkativeness and world" \
  "st_card '$DEPTH_FILE' | field 'd[\"extensions\"][\"depth_prompt\"][\"role\"] + \"|\" + str(d[\"extensions\"][\"talkativeness\"]) + \"|\" + repr(d[\"extensions\"][\"world\"])' | grep -qx \"system|0.5|''\""
check_eval "the sync after the no-op save: unchanged" \
  "api POST '/api/federation/cards/$DEPTH/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx unchanged"
check_eval "no new version, still synced" \
  "[ \$(api GET '/api/cards/$DEPTH/versions' | field 'len(d[\"versions\"])') = 1 ] && api GET '/api/federation/cards/$DEPTH/sync' | field 'd[\"syncStates\"][0][\"status\"]' | grep -qx synced"

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
check_eval "SillyTavern keeps the identity marker" \
  "st_card '$WHO_FILE' | field 'd[\"extensions\"][\"charchive\"][\"card_id\"]' | grep -qx '$WHO'"
check_eval "the rewrite alone is no change" \
  "api POST '/api/federation/cards/$WHO/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx unchanged"
check_eval "the link reports SillyTavern's rewrite of the name" \
  "api GET '/api/federation/cards/$WHO/sync' | field '\" | \".join(r[\"text\"] for r in d[\"syncStates\"][0][\"import_rewrites\"])' | grep -qx 'SillyTavern stored the name as .Who Test.'"
st /api/characters/merge-attributes "{\"avatar\": \"$WHO_FILE\", \"data\": {\"scenario\": \"A harder quiz.\"}}" >/dev/null
check_eval "a scenario edit in SillyTavern is pulled" \
  "api POST '/api/federation/cards/$WHO/sync/sillytavern' '{}' | field 'd[\"action\"]' | grep -qx pulled"
check_eval "the archive takes the scenario and keeps 'Who? Test'" \
  "api GET '/api/cards/$WHO' | field 'd[\"data\"][\"name\"]+\"|\"+d[\"data\"][\"scenario\"]' | grep -qx 'Who? Test|A harder quiz.'"
check_eval "after the pull the link still reports the rewrite, and nothing else" \
  "api GET '/api/federation/cards/$WHO/sync' | field '\" | \".join(r[\"item\"] + \"=\" + r[\"stored\"] for r in d[\"syncStates\"][0][\"import_rewrites\"])' | grep -qx 'name=Who Test'"

# Renamed in SillyTavern (a new name and file): found by its marker, still linked; the new
# name is SillyTavern's edit.
st /api/characters/rename "{\"avatar_url\": \"$WHO_FILE\", \"new_name\": \"Who Renamed\"}" >/dev/null
check_eval "SillyTavern renamed the file" "st_card 'Who Renamed.png' | field 'd[\"name\"]' | grep -qx 'Who Renamed'"
check_eval "sync after the rename (CLI): pulled 1" \
  "'$BIN' sync --data '$WORK/data' --platform sillytavern --card $WHO | grep -qx 'pulled 1, 0 failed (1 cards)'"
check_eval "still linked, to the renamed file" \
  "api GET '/api/federation/cards/$WHO/sync' | field 'd[\"syncStates\"][0][\"platform_id\"]+\"|\"+d[\"syncStates\"][0][\"status\"]' | grep -qx 'Who Renamed|synced'"
check_eval "the archive took the new name" "api GET '/api/cards/$WHO' | field 'd[\"data\"][\"name\"]' | grep -qx 'Who Renamed'"
check_eval "the history says it followed the rename" \
  "'$BIN' history --data '$WORK/data' --card $WHO | grep -q 'relink.*from $(basename "$WHO_FILE" .png) to Who Renamed'"
check_eval "pull --new after the rename imports nothing" \
  "'$BIN' pull --data '$WORK/data' --platform sillytavern --new | grep -qx '0 failed (0 cards)'"
st /api/characters/rename '{"avatar_url": "Who Renamed.png", "new_name": "Who Again"}' >/dev/null
check_eval "renamed again, pull --new first: the link follows, nothing imported" \
  "'$BIN' pull --data '$WORK/data' --platform sillytavern --new | grep -qx 'pulled 1, 0 failed (1 cards)'"
check_eval "linked to the new file, one card named so in the archive" \
  "api GET '/api/federation/cards/$WHO/sync' | field 'd[\"syncStates\"][0][\"platform_id\"]' | grep -qx 'Who Again' && [ \$(api GET '/api/cards?q=Again' | field 'len(d[\"items\"])') = 1 ]"

# Edited on both sides: the CLI's sync exits 4 (a conflict remains) and overwrites nothing.
api PATCH "/api/cards/$WHO" '{"data": {"scenario": "The archive'"'"'s quiz."}}' >/dev/null
st /api/characters/merge-attributes '{"avatar": "Who Again.png", "data": {"scenario": "SillyTavern'"'"'s quiz."}}' >/dev/null
set +e
"$BIN" sync --data "$WORK/data" --platform sillytavern --card "$WHO" >"$WORK/conflict.out" 2>"$WORK/conflict.err"
CONFLICT_EXIT=$?
set -e
check_eval "sync of a conflict exits 4" "[ $CONFLICT_EXIT = 4 ] && grep -q 'conflict 1, 0 failed' '$WORK/conflict.out'"
check_eval "and says which card" "grep -q '^conflict: card $WHO' '$WORK/conflict.err'"
check_eval "neither side overwritten" \
  "api GET '/api/cards/$WHO' | field 'd[\"data\"][\"scenario\"]' | grep -qx \"The archive's quiz.\" && st_card 'Who Again.png' | field 'd[\"scenario\"]' | grep -qx \"SillyTavern's quiz.\""
set +e
"$BIN" push --data "$WORK/data" --platform sillytavern --card "$WHO" >/dev/null 2>"$WORK/push.err"
PUSH_EXIT=$?
set -e
check_eval "a push without --overwrite over SillyTavern's edit exits 4 and sends nothing" \
  "[ $PUSH_EXIT = 4 ] && grep -q 'changed on SillyTavern' '$WORK/push.err' && st_card 'Who Again.png' | field 'd[\"scenario\"]' | grep -qx \"SillyTavern's quiz.\""

# Renamed in SillyTavern, then pushed with --overwrite at once: the push follows the marker to
# the renamed file and overwrites it; nothing is written under the old name.
st /api/characters/rename '{"avatar_url": "Who Again.png", "new_name": "Who Finally"}' >/dev/null
check_eval "renamed once more in SillyTavern" "[ -e '$ST_CHARACTERS/Who Finally.png' ] && [ ! -e '$ST_CHARACTERS/Who Again.png' ]"
check_eval "push --overwrite right after the rename succeeds" \
  "'$BIN' push --data '$WORK/data' --platform sillytavern --card $WHO --overwrite >/dev/null"
check_eval "no second file under the old name" "[ ! -e '$ST_CHARACTERS/Who Again.png' ]"
check_eval "the renamed file holds the archive's card" \
  "st_card 'Who Finally.png' | field 'd[\"scenario\"]' | grep -qx \"The archive's quiz.\""
check_eval "one copy of the card on SillyTavern, and the link follows it" \
  "[ \$(ls '$ST_CHARACTERS' | grep -c '^Who') = 1 ] && api GET '/api/federation/cards/$WHO/sync' | field 'd[\"syncStates\"][0][\"platform_id\"]+\"|\"+d[\"syncStates\"][0][\"status\"]' | grep -qx 'Who Finally|synced'"

finish
