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

# sync_action_is CARD ACTION: whether a sync of CARD with SillyTavern answers ACTION.
sync_action_is() { answers 'd["action"]' "$2" api POST "/api/federation/cards/$1/sync/sillytavern" '{}'; }

st_start
archive_start "$BIN" "$WORK/data" st-sync-token
ID=$(curl -s -H "Authorization: Bearer $TOKEN" -F "file=@$FIXTURES/default_Seraphina.png" \
  "$BASE/api/cards" | field 'd["results"][0]["id"]')
api POST /api/federation/platforms/sillytavern "{\"base_url\": \"$ST_URL\", \"enabled\": true}" >/dev/null
api POST "/api/federation/cards/$ID/push/sillytavern" '{}' >/dev/null

for i in 1 2 3; do
  check "sync $i of an untouched card: unchanged" sync_action_is "$ID" unchanged
done
check "still synced" json_is "/api/federation/cards/$ID/sync" 'd["syncStates"][0]["status"]' synced
check "one version" json_is "/api/cards/$ID/versions" 'len(d["versions"])' 1

# Edited in SillyTavern only.
st /api/characters/merge-attributes '{"avatar": "Seraphina.png", "data": {"scenario": "Edited in SillyTavern."}}' >/dev/null
check "the edit is in SillyTavern" answers 'd["scenario"]' 'Edited in SillyTavern.' st_card Seraphina.png
check "pull (CLI): pulled 1" prints 'pulled 1' "$BIN" pull --data "$WORK/data" --platform sillytavern --card "$ID"
check "the archive has the edit" json_is "/api/cards/$ID" 'd["data"]["scenario"]' 'Edited in SillyTavern.'
check "the old content is a version" json_is "/api/cards/$ID/versions" \
  '"%d|%s" % (len(d["versions"]), d["versions"][0]["reason"])' '2|pull'
check "synced after the pull" sync_action_is "$ID" unchanged

# Edited on both sides, differently.
api PATCH "/api/cards/$ID" '{"data": {"scenario": "Edited in the archive."}}' >/dev/null
st /api/characters/merge-attributes '{"avatar": "Seraphina.png", "data": {"scenario": "Edited in SillyTavern again.", "personality": "Edited personality."}}' >/dev/null
check "both edited: conflict" sync_action_is "$ID" conflict
check "the archive's side not overwritten" json_is "/api/cards/$ID" 'd["data"]["scenario"]' 'Edited in the archive.'
check "SillyTavern's side not overwritten" answers 'd["scenario"]' 'Edited in SillyTavern again.' st_card Seraphina.png
api GET "/api/federation/cards/$ID/diff/sillytavern" >"$WORK/diff.json"
diff_shows_both_sides() {
  python3 - "$WORK/diff.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = {x['field']: x for x in d['fields']}
s = f['scenario']
ok = s['conflict'] and s['local'] == 'Edited in the archive.' and s['remote'] == 'Edited in SillyTavern again.'
ok = ok and f['personality']['remote_changed'] and not f['personality']['local_changed'] and d['status'] == 'conflict'
sys.exit(0 if ok else 1)
PY
}
check "the diff shows both sides of the scenario" diff_shows_both_sides
check "a merge without a choice for the scenario is refused" \
  prints merge_conflict api POST "/api/federation/cards/$ID/resolve/sillytavern" '{"strategy": "merge"}'
check "merge resolves" answers 'd["action"]' pushed \
  api POST "/api/federation/cards/$ID/resolve/sillytavern" '{"strategy": "merge", "fields": {"scenario": "local"}}'
check "SillyTavern holds the merge" \
  answers 'd["scenario"]+"|"+d["personality"]' 'Edited in the archive.|Edited personality.' st_card Seraphina.png
check "the archive holds the merge" json_is "/api/cards/$ID" 'd["data"]["personality"]' 'Edited personality.'
check "synced after the merge" sync_action_is "$ID" unchanged
check "and stays so" json_is "/api/federation/cards/$ID/sync" 'd["syncStates"][0]["status"]' synced
history_actions() { "$BIN" history --data "$WORK/data" --card "$1" | awk '{print $3}' | sort -u | tr '\n' ' '; }
check "history has the push, pull, conflict and resolution" prints 'conflict pull push resolve' history_actions "$ID"

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
check "SillyTavern's copy has a depth_prompt without role" \
  answers '"role" in d["extensions"]["depth_prompt"]' False st_card "$DEPTH_FILE"
check "a no-op save in SillyTavern's editor is accepted" [ "$(st_editor_save "$DEPTH_FILE")" = 200 ]
check "the save wrote role system, talkativeness and world" answers \
  'd["extensions"]["depth_prompt"]["role"] + "|" + str(d["extensions"]["talkativeness"]) + "|" + repr(d["extensions"]["world"])' \
  "system|0.5|''" st_card "$DEPTH_FILE"
check "the sync after the no-op save: unchanged" sync_action_is "$DEPTH" unchanged
check "no new version" json_is "/api/cards/$DEPTH/versions" 'len(d["versions"])' 1
check "still synced" json_is "/api/federation/cards/$DEPTH/sync" 'd["syncStates"][0]["status"]' synced

# A character made in SillyTavern only.
st /api/characters/create '{"ch_name": "Made In Tavern", "description": "Only here.", "first_mes": "Hi!"}' >/dev/null
check "pull --new imports it" prints 'imported 1' "$BIN" pull --data "$WORK/data" --platform sillytavern --new
check "it is in the archive with its source" prints "('Made In Tavern', 'sillytavern')" \
  get_field '/api/cards?q=Tavern' '[(c["name"], c["source"]) for c in d["items"]]'
check "a second pull --new imports nothing" prints '^0 failed (0 cards)' "$BIN" pull --data "$WORK/data" --platform sillytavern --new

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
check "SillyTavern stored the name without its ?" answers 'd["name"]' 'Who Test' st_card "$WHO_FILE"
check "SillyTavern keeps the identity marker" answers 'd["extensions"]["charchive"]["card_id"]' "$WHO" st_card "$WHO_FILE"
check "the rewrite alone is no change" sync_action_is "$WHO" unchanged
check "the link reports SillyTavern's rewrite of the name" json_is "/api/federation/cards/$WHO/sync" \
  '" | ".join(r["text"] for r in d["syncStates"][0]["import_rewrites"])' "SillyTavern stored the name as 'Who Test'"
st /api/characters/merge-attributes "{\"avatar\": \"$WHO_FILE\", \"data\": {\"scenario\": \"A harder quiz.\"}}" >/dev/null
check "a scenario edit in SillyTavern is pulled" sync_action_is "$WHO" pulled
check "the archive takes the scenario and keeps 'Who? Test'" \
  json_is "/api/cards/$WHO" 'd["data"]["name"]+"|"+d["data"]["scenario"]' 'Who? Test|A harder quiz.'
check "after the pull the link still reports the rewrite, and nothing else" json_is "/api/federation/cards/$WHO/sync" \
  '" | ".join(r["item"] + "=" + r["stored"] for r in d["syncStates"][0]["import_rewrites"])' 'name=Who Test'

# Renamed in SillyTavern (a new name and file): found by its marker, still linked; the new
# name is SillyTavern's edit.
st /api/characters/rename "{\"avatar_url\": \"$WHO_FILE\", \"new_name\": \"Who Renamed\"}" >/dev/null
check "SillyTavern renamed the file" answers 'd["name"]' 'Who Renamed' st_card 'Who Renamed.png'
check "sync after the rename (CLI): pulled 1" \
  prints_line 'pulled 1, 0 failed (1 cards)' "$BIN" sync --data "$WORK/data" --platform sillytavern --card "$WHO"
check "still linked, to the renamed file" json_is "/api/federation/cards/$WHO/sync" \
  'd["syncStates"][0]["platform_id"]+"|"+d["syncStates"][0]["status"]' 'Who Renamed|synced'
check "the archive took the new name" json_is "/api/cards/$WHO" 'd["data"]["name"]' 'Who Renamed'
check "the history says it followed the rename" \
  prints "relink.*from $(basename "$WHO_FILE" .png) to Who Renamed" "$BIN" history --data "$WORK/data" --card "$WHO"
check "pull --new after the rename imports nothing" \
  prints_line '0 failed (0 cards)' "$BIN" pull --data "$WORK/data" --platform sillytavern --new
st /api/characters/rename '{"avatar_url": "Who Renamed.png", "new_name": "Who Again"}' >/dev/null
check "renamed again, pull --new first: the link follows, nothing imported" \
  prints_line 'pulled 1, 0 failed (1 cards)' "$BIN" pull --data "$WORK/data" --platform sillytavern --new
check "linked to the new file" json_is "/api/federation/cards/$WHO/sync" 'd["syncStates"][0]["platform_id"]' 'Who Again'
check "one card named so in the archive" json_is '/api/cards?q=Again' 'len(d["items"])' 1

# Edited on both sides: the CLI's sync exits 4 (a conflict remains) and overwrites nothing.
api PATCH "/api/cards/$WHO" '{"data": {"scenario": "The archive'"'"'s quiz."}}' >/dev/null
st /api/characters/merge-attributes '{"avatar": "Who Again.png", "data": {"scenario": "SillyTavern'"'"'s quiz."}}' >/dev/null
set +e
"$BIN" sync --data "$WORK/data" --platform sillytavern --card "$WHO" >"$WORK/conflict.out" 2>"$WORK/conflict.err"
CONFLICT_EXIT=$?
set -e
check "sync of a conflict exits 4" [ "$CONFLICT_EXIT" = 4 ]
check "and counts it" grep -q 'conflict 1, 0 failed' "$WORK/conflict.out"
check "and says which card" grep -q "^conflict: card $WHO" "$WORK/conflict.err"
check "the archive's side not overwritten" json_is "/api/cards/$WHO" 'd["data"]["scenario"]' "The archive's quiz."
check "SillyTavern's side not overwritten" answers 'd["scenario"]' "SillyTavern's quiz." st_card 'Who Again.png'
set +e
"$BIN" push --data "$WORK/data" --platform sillytavern --card "$WHO" >/dev/null 2>"$WORK/push.err"
PUSH_EXIT=$?
set -e
check "a push without --overwrite over SillyTavern's edit exits 4" [ "$PUSH_EXIT" = 4 ]
check "and says it changed on SillyTavern" grep -q 'changed on SillyTavern' "$WORK/push.err"
check "and sends nothing" answers 'd["scenario"]' "SillyTavern's quiz." st_card 'Who Again.png'

# Renamed in SillyTavern, then pushed with --overwrite at once: the push follows the marker to
# the renamed file and overwrites it; nothing is written under the old name.
st /api/characters/rename '{"avatar_url": "Who Again.png", "new_name": "Who Finally"}' >/dev/null
check "renamed once more in SillyTavern" test -e "$ST_CHARACTERS/Who Finally.png" -a ! -e "$ST_CHARACTERS/Who Again.png"
check "push --overwrite right after the rename succeeds" \
  exits 0 "$BIN" push --data "$WORK/data" --platform sillytavern --card "$WHO" --overwrite
check "no second file under the old name" test ! -e "$ST_CHARACTERS/Who Again.png"
check "the renamed file holds the archive's card" answers 'd["scenario"]' "The archive's quiz." st_card 'Who Finally.png'
check "one copy of the card on SillyTavern" [ "$(ls "$ST_CHARACTERS" | grep -c '^Who')" = 1 ]
check "and the link follows it" json_is "/api/federation/cards/$WHO/sync" \
  'd["syncStates"][0]["platform_id"]+"|"+d["syncStates"][0]["status"]' 'Who Finally|synced'

finish
