#!/usr/bin/env bash
# Pushes to a real SillyTavern 1.19.0 (from the npm registry, started on
# loopback by tests/e2e/sillytavern.sh) through a running `charchive serve`,
# by SillyTavern's own API (ST_PUSH_MODE=native, the default) or through the
# CForge plugin (ST_PUSH_MODE=plugin; tests/sillytavern_push_plugin_test.sh):
# - 50 cards: the Seraphina fixture, a V3 card with a unicode name, a lorebook
#   and alternate greetings, two names that collide once sanitized ("Who?",
#   "Who"), and generated cards; /api/characters/all lists each once, and the
#   JSON SillyTavern stores hashes to the archive's content hash; pulling them
#   all back finds nothing changed, and a fresh archive pulling them in gets
#   the same 50 content hashes;
# - an edit pushed again overwrites the same file (no "Name1.png"), the state
#   stays synced and remote_hash follows the edit;
# - CSRF off works; Basic auth with a wrong password leaves the card in
#   `error` with a readable message, the right one pushes; a stopped
#   SillyTavern is an error, never a changed card.
set -euo pipefail
BIN=${1:?usage: sillytavern_push_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
MODE=${ST_PUSH_MODE:-native}
N=50
if [ "$MODE" = plugin ]; then
  ST_ARGS=(--plugin)
  OPTIONS='{"use_cforge": true}'
else
  ST_ARGS=()
  OPTIONS='{"use_cforge": false}'
fi
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
json() { field "$@"; }

mkdir -p "$WORK/cards"
cp "$FIXTURES/default_Seraphina.png" "$WORK/cards/"
python3 - "$WORK/cards" <<'PY'
import json, sys
out = sys.argv[1]
for i in range(46):
    doc = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {
        "name": f"Generated {i:02d}", "description": f"Card number {i}, made for the push test.",
        "personality": "steady", "scenario": "a test", "first_mes": f"Hello from {i}.", "mes_example": "",
        "creator_notes": "", "system_prompt": "", "post_history_instructions": "", "alternate_greetings": [],
        "tags": ["generated", f"n{i % 3}"], "creator": "push-test", "character_version": "1", "extensions": {}}}
    json.dump(doc, open(f"{out}/gen{i:02d}.json", "w"))
v3 = {"spec": "chara_card_v3", "spec_version": "3.0", "data": {
    "name": "Lorekeeper Ünïcødé", "description": "Keeps the lore.", "personality": "", "scenario": "",
    "first_mes": "Welcome.", "mes_example": "", "creator_notes": "V3 card", "system_prompt": "",
    "post_history_instructions": "", "alternate_greetings": ["Hi again.", "Back so soon?"],
    "group_only_greetings": ["Hello, all."], "tags": ["lore"], "creator": "push-test", "character_version": "3",
    "nickname": "Keeper", "extensions": {"custom/key": {"kept": True}},
    "character_book": {"name": "Old Lore", "extensions": {}, "entries": [
        {"keys": ["river"], "content": "The river runs north.", "extensions": {}, "enabled": True,
         "insertion_order": 0, "use_regex": False, "id": 1},
        {"keys": ["tower", "spire"], "content": "The tower is old.", "extensions": {}, "enabled": True,
         "insertion_order": 1, "use_regex": False, "id": 2}]}}}
json.dump(v3, open(f"{out}/lorekeeper.json", "w"), ensure_ascii=False)
for i, name in enumerate(("Who?", "Who")):
    doc = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": name, "description": f"Collides {i}.",
           "first_mes": "Who is there?", "extensions": {}}}
    json.dump(doc, open(f"{out}/who{i}.json", "w"))
PY
"$BIN" import --data "$WORK/data" "$WORK/cards" >/dev/null
archive_start "$BIN" "$WORK/data" st-push-token
IDS=$(api GET "/api/cards?limit=100" | json '",".join(str(c["id"]) for c in d["items"])')
COUNT=$(echo "$IDS" | tr ',' '\n' | wc -l)
check_eval "the archive holds $N cards" "[ $COUNT = $N ]"

# Every card SillyTavern lists: its stored JSON's content hash, by file name.
st_hashes() {
  curl -s "${ST_AUTH[@]}" -b "$WORK/jar" -H "X-CSRF-Token: $(curl -s "${ST_AUTH[@]}" -c "$WORK/jar" "$ST_URL/csrf-token" | json 'd["token"]')" \
    -H 'Content-Type: application/json' -d '{}' "$ST_URL/api/characters/all" >"$WORK/all.json"
  python3 - "$WORK/all.json" "$WORK/json" "$BIN" <<'PY'
import json, os, subprocess, sys
chars = json.load(open(sys.argv[1]))
os.makedirs(sys.argv[2], exist_ok=True)
for c in chars:
    path = os.path.join(sys.argv[2], c["avatar"] + ".json")
    open(path, "w").write(c["json_data"])
    h = subprocess.run([sys.argv[3], "hash", path], capture_output=True, text=True).stdout.strip()
    print(c["avatar"], h, sep="\t")
PY
}
# card id -> "platform_id local_hash remote_hash status" from the archive.
tracked() {
  api GET /api/federation/platforms/sillytavern/cards | python3 -c '
import json, sys
for c in json.load(sys.stdin)["cards"]:
    print(c["id"], c["platform_id"], c["content_hash"], c["remote_hash"], c["status"], sep="\t")'
}

# --- CSRF on (SillyTavern's default) -------------------------------------
ST_AUTH=()
st_start "${ST_ARGS[@]}"
api POST /api/federation/platforms/sillytavern "{\"base_url\": \"$ST_URL\", \"enabled\": true, \"options\": $OPTIONS}" >/dev/null
TEST=$(api POST /api/federation/platforms/sillytavern/test)
check_eval "test connection reports SillyTavern 1.19.0 with CSRF on, path $MODE" \
  "echo '$TEST' | json 'd[\"connected\"] and d[\"data\"][\"version\"]==\"1.19.0\" and d[\"data\"][\"csrf\"] and d[\"data\"][\"path\"]==(\"cforge\" if \"$MODE\"==\"plugin\" else \"native\")' | grep -q True"
BULK=$(api POST /api/federation/bulk-push/sillytavern "{\"cardIds\": [$IDS]}")
check_eval "bulk push: $N succeeded, 0 failed" "echo '$BULK' | json 'd[\"succeeded\"]==$N and d[\"failed\"]==0' | grep -q True"
st_hashes >"$WORK/st1.txt"
tracked >"$WORK/tracked1.txt"
check_eval "SillyTavern lists each card once ($N files)" "[ \$(wc -l <'$WORK/st1.txt') = $N ] && [ \$(ls '$ST_CHARACTERS' | grep -c '\.png$') = $N ]"
check_eval "names that collide once sanitized get two files" "[ -e '$ST_CHARACTERS/Who.png' ] && [ -e '$ST_CHARACTERS/Who_2.png' ]"
check_eval "the unicode name is kept" "[ -e '$ST_CHARACTERS/Lorekeeper Ünïcødé.png' ]"
# SillyTavern's own import sanitizes data.name ("Who?" -> "Who"): a real change it makes, so
# that one card's copy differs on the native path (recorded as such, still synced).
ALLOWED=$([ "$MODE" = native ] && echo 1 || echo 0)
check_eval "every stored card hashes to the recorded remote hash, and to the archive's (but $ALLOWED)" "python3 - '$WORK/st1.txt' '$WORK/tracked1.txt' $ALLOWED <<'PY'
import sys
st = dict(l.rstrip('\\n').split('\\t') for l in open(sys.argv[1]) if l.strip())
ok, differ = True, 0
for line in open(sys.argv[2]):
    cid, pid, local, remote, status = line.rstrip('\\n').split('\\t')
    if st.get(pid + '.png') != remote or status != 'synced':
        print('mismatch', line.strip(), st.get(pid + '.png')); ok = False
    differ += remote != local
sys.exit(0 if ok and differ <= int(sys.argv[3]) and len(st) == 50 else 1)
PY"
SERA=$(api GET "/api/cards?q=Seraphina" | json 'd["items"][0]["id"]')
check_eval "Seraphina is Seraphina.png on SillyTavern" "grep -qP '^$SERA\tSeraphina\t' '$WORK/tracked1.txt'"

# Edit and push again: same file, updated hash.
api PATCH "/api/cards/$SERA" '{"data": {"description": "Edited by the push test."}}' >/dev/null
PUSH=$(api POST "/api/federation/cards/$SERA/push/sillytavern" '{}')
check_eval "push after an edit answers {success, filename: Seraphina.png}" \
  "echo '$PUSH' | json 'd[\"success\"] and d[\"filename\"]==\"Seraphina.png\"' | grep -q True"
check_eval "no duplicate file (no Seraphina1.png), still $N" "[ ! -e '$ST_CHARACTERS/Seraphina1.png' ] && [ \$(ls '$ST_CHARACTERS' | grep -c '\.png$') = $N ]"
st_hashes >"$WORK/st2.txt"
tracked >"$WORK/tracked2.txt"
NEW_LOCAL=$(grep -P "^$SERA\t" "$WORK/tracked2.txt" | cut -f3)
check_eval "the overwritten file holds the edit" "grep -qP \"^Seraphina.png\t$NEW_LOCAL\$\" '$WORK/st2.txt'"
check_eval "state synced, remote_hash updated to the edit" \
  "grep -qP \"^$SERA\tSeraphina\t$NEW_LOCAL\t$NEW_LOCAL\tsynced\" '$WORK/tracked2.txt' && ! grep -qP \"^$SERA\tSeraphina\t$NEW_LOCAL\" '$WORK/tracked1.txt'"
check_eval "the CLI pushes too (every card, in place)" "'$BIN' push --data '$WORK/data' --platform sillytavern --all >/dev/null && [ \$(ls '$ST_CHARACTERS' | grep -c '\.png$') = $N ]"
check_eval "pulling every card back finds nothing changed" "'$BIN' pull --data '$WORK/data' --platform sillytavern --all | grep -q '^unchanged $N, 0 failed'"
"$BIN" platform set sillytavern --data "$WORK/fresh" --base-url "$ST_URL" --enable >/dev/null
[ "$MODE" = plugin ] && "$BIN" platform set sillytavern --data "$WORK/fresh" --cforge on >/dev/null
check_eval "a fresh archive pulls all $N in" "'$BIN' pull --data '$WORK/fresh' --platform sillytavern --new | grep -q '^imported $N, 0 failed'"
check_eval "with the content hashes of the $N cards SillyTavern holds" "python3 - <<PY
import json, subprocess
def hashes(data, key):
    out = subprocess.run(['$BIN', 'status', '--data', data, '--platform', 'sillytavern', '--json'], capture_output=True, text=True).stdout
    return sorted(c[key] for c in json.loads(out)[0]['cards'])
a, b = hashes('$WORK/data', 'remote_hash'), hashes('$WORK/fresh', 'local_hash')
raise SystemExit(0 if a == b and len(a) == $N else 1)
PY"
st_stop

# --- a stopped SillyTavern --------------------------------------------------
DOWN=$(api POST "/api/federation/cards/$SERA/push/sillytavern" '{}')
check_eval "peer down: 502 with 'cannot connect'" "echo '$DOWN' | grep -q 'cannot connect'"
check_eval "peer down: state error, card unchanged" \
  "api GET '/api/federation/cards/$SERA/sync' | json 'd[\"syncStates\"][0][\"status\"]' | grep -q error && api GET '/api/cards/$SERA' | json 'd[\"content_hash\"]' | grep -q '$NEW_LOCAL'"

# --- CSRF off --------------------------------------------------------------
st_start --no-csrf "${ST_ARGS[@]}"
api POST /api/federation/platforms/sillytavern "{\"base_url\": \"$ST_URL\"}" >/dev/null
TEST=$(api POST /api/federation/platforms/sillytavern/test)
check_eval "CSRF off: test connection says so" "echo '$TEST' | json 'd[\"connected\"] and not d[\"data\"][\"csrf\"]' | grep -q True"
PUSH=$(api POST "/api/federation/cards/$SERA/push/sillytavern" '{"overwrite": true}')
check_eval "CSRF off: push succeeds" "echo '$PUSH' | json 'd[\"success\"]' | grep -q True && [ -e '$ST_CHARACTERS/Seraphina.png' ]"
st_stop

# --- Basic auth -------------------------------------------------------------
st_start --basic-auth tester:right-password "${ST_ARGS[@]}"
ST_AUTH=(-u tester:right-password)
api POST /api/federation/platforms/sillytavern \
  "{\"base_url\": \"$ST_URL\", \"auth_kind\": \"basic\", \"username\": \"tester\", \"api_key\": \"wrong-password\"}" >/dev/null
WRONG=$(api POST "/api/federation/cards/$SERA/push/sillytavern" '{"overwrite": true}')
check_eval "wrong password: a readable 401 message" "echo '$WRONG' | grep -q 'HTTP 401' && echo '$WRONG' | grep -q 'authentication failed'"
check_eval "wrong password: state error with that message" \
  "api GET '/api/federation/cards/$SERA/sync' | json 'd[\"syncStates\"][0][\"status\"]+\" \"+d[\"syncStates\"][0][\"error_message\"]' | grep -q '^error HTTP 401'"
check_eval "wrong password: nothing written on SillyTavern" "[ \$(ls '$ST_CHARACTERS' 2>/dev/null | grep -c '\.png$') = 0 ]"
api POST /api/federation/platforms/sillytavern '{"api_key": "right-password"}' >/dev/null
RIGHT=$(api POST "/api/federation/cards/$SERA/push/sillytavern" '{"overwrite": true}')
check_eval "right password: pushed" "echo '$RIGHT' | json 'd[\"success\"]' | grep -q True && [ -e '$ST_CHARACTERS/Seraphina.png' ]"
check_eval "the password is never returned" "! api GET /api/federation/platforms | grep -q 'right-password'"
st_stop

finish
