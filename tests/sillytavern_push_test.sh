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
IDS=$(api GET "/api/cards?limit=100" | field '",".join(str(c["id"]) for c in d["items"])')
COUNT=$(echo "$IDS" | tr ',' '\n' | wc -l)
check "the archive holds $N cards" [ "$COUNT" = "$N" ]

# Every card SillyTavern lists: its stored JSON's content hash, by file name.
st_hashes() {
  curl -s "${ST_AUTH[@]}" -b "$WORK/jar" -H "X-CSRF-Token: $(curl -s "${ST_AUTH[@]}" -c "$WORK/jar" "$ST_URL/csrf-token" | field 'd["token"]')" \
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
PATH_KIND=$([ "$MODE" = plugin ] && echo cforge || echo native)
check "test connection reports SillyTavern 1.19.0 with CSRF on, path $MODE" \
  answers '"|".join(str(x) for x in (d["connected"], d["data"]["version"], d["data"]["csrf"], d["data"]["path"]))' \
  "True|1.19.0|True|$PATH_KIND" api POST /api/federation/platforms/sillytavern/test
BULK=$(api POST /api/federation/bulk-push/sillytavern "{\"cardIds\": [$IDS]}")
check "bulk push: $N succeeded, 0 failed" answers '"%d|%d" % (d["succeeded"], d["failed"])' "$N|0" echo "$BULK"
st_hashes >"$WORK/st1.txt"
tracked >"$WORK/tracked1.txt"
st_files() { ls "$ST_CHARACTERS" 2>/dev/null | grep -c '\.png$' || true; }
lists_each_once() { [ "$(wc -l <"$WORK/st1.txt")" = "$N" ] && [ "$(st_files)" = "$N" ]; }
check "SillyTavern lists each card once ($N files)" lists_each_once
check "names that collide once sanitized get two files" test -e "$ST_CHARACTERS/Who.png" -a -e "$ST_CHARACTERS/Who_2.png"
check "the unicode name is kept" test -e "$ST_CHARACTERS/Lorekeeper Ünïcødé.png"
# SillyTavern's own import sanitizes data.name ("Who?" -> "Who"): a real change it makes, so
# that one card's copy differs on the native path (recorded as such, still synced).
ALLOWED=$([ "$MODE" = native ] && echo 1 || echo 0)
hashes_match() {
  python3 - "$WORK/st1.txt" "$WORK/tracked1.txt" "$ALLOWED" "$N" <<'PY'
import sys
st = dict(l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip())
ok, differ = True, 0
for line in open(sys.argv[2]):
    cid, pid, local, remote, status = line.rstrip('\n').split('\t')
    if st.get(pid + '.png') != remote or status != 'synced':
        print('mismatch', line.strip(), st.get(pid + '.png')); ok = False
    differ += remote != local
sys.exit(0 if ok and differ <= int(sys.argv[3]) and len(st) == int(sys.argv[4]) else 1)
PY
}
check "every stored card hashes to the recorded remote hash, and to the archive's (but $ALLOWED)" hashes_match
SERA=$(api GET "/api/cards?q=Seraphina" | field 'd["items"][0]["id"]')
check "Seraphina is Seraphina.png on SillyTavern" grep -qP "^$SERA\tSeraphina\t" "$WORK/tracked1.txt"

# Edit and push again: same file, updated hash.
api PATCH "/api/cards/$SERA" '{"data": {"description": "Edited by the push test."}}' >/dev/null
check "push after an edit answers {success, filename: Seraphina.png}" \
  answers '"%s|%s" % (d["success"], d["filename"])' 'True|Seraphina.png' api POST "/api/federation/cards/$SERA/push/sillytavern" '{}'
no_duplicate_file() { [ ! -e "$ST_CHARACTERS/Seraphina1.png" ] && [ "$(st_files)" = "$N" ]; }
check "no duplicate file (no Seraphina1.png), still $N" no_duplicate_file
st_hashes >"$WORK/st2.txt"
tracked >"$WORK/tracked2.txt"
NEW_LOCAL=$(grep -P "^$SERA\t" "$WORK/tracked2.txt" | cut -f3)
check "the overwritten file holds the edit" grep -qP "^Seraphina.png\t$NEW_LOCAL\$" "$WORK/st2.txt"
remote_hash_follows() {
  grep -qP "^$SERA\tSeraphina\t$NEW_LOCAL\t$NEW_LOCAL\tsynced" "$WORK/tracked2.txt" &&
    ! grep -qP "^$SERA\tSeraphina\t$NEW_LOCAL" "$WORK/tracked1.txt"
}
check "state synced, remote_hash updated to the edit" remote_hash_follows
cli_pushes_in_place() { "$BIN" push --data "$WORK/data" --platform sillytavern --all >/dev/null && [ "$(st_files)" = "$N" ]; }
check "the CLI pushes too (every card, in place)" cli_pushes_in_place
check "pulling every card back finds nothing changed" \
  prints "^unchanged $N, 0 failed" "$BIN" pull --data "$WORK/data" --platform sillytavern --all
"$BIN" platform set sillytavern --data "$WORK/fresh" --base-url "$ST_URL" --enable >/dev/null
[ "$MODE" = plugin ] && "$BIN" platform set sillytavern --data "$WORK/fresh" --cforge on >/dev/null
check "a fresh archive pulls all $N in" \
  prints "^imported $N, 0 failed" "$BIN" pull --data "$WORK/fresh" --platform sillytavern --new
same_hashes_as_st() {
  python3 - "$BIN" "$WORK/data" "$WORK/fresh" "$N" <<'PY'
import json, subprocess, sys
def hashes(data, key):
    out = subprocess.run([sys.argv[1], 'status', '--data', data, '--platform', 'sillytavern', '--json'], capture_output=True, text=True).stdout
    return sorted(c[key] for c in json.loads(out)[0]['cards'])
a, b = hashes(sys.argv[2], 'remote_hash'), hashes(sys.argv[3], 'local_hash')
raise SystemExit(0 if a == b and len(a) == int(sys.argv[4]) else 1)
PY
}
check "with the content hashes of the $N cards SillyTavern holds" same_hashes_as_st
st_stop

# --- a stopped SillyTavern --------------------------------------------------
check "peer down: 502 with 'cannot connect'" prints 'cannot connect' api POST "/api/federation/cards/$SERA/push/sillytavern" '{}'
check "peer down: state error" json_is "/api/federation/cards/$SERA/sync" 'd["syncStates"][0]["status"]' error
check "peer down: card unchanged" json_is "/api/cards/$SERA" 'd["content_hash"]' "$NEW_LOCAL"

# --- CSRF off --------------------------------------------------------------
st_start --no-csrf "${ST_ARGS[@]}"
api POST /api/federation/platforms/sillytavern "{\"base_url\": \"$ST_URL\"}" >/dev/null
check "CSRF off: test connection says so" \
  answers '"%s|%s" % (d["connected"], d["data"]["csrf"])' 'True|False' api POST /api/federation/platforms/sillytavern/test
check "CSRF off: push succeeds" \
  answers 'd["success"]' True api POST "/api/federation/cards/$SERA/push/sillytavern" '{"overwrite": true}'
check "CSRF off: the file is there" test -e "$ST_CHARACTERS/Seraphina.png"
st_stop

# --- Basic auth -------------------------------------------------------------
st_start --basic-auth tester:right-password "${ST_ARGS[@]}"
ST_AUTH=(-u tester:right-password)
api POST /api/federation/platforms/sillytavern \
  "{\"base_url\": \"$ST_URL\", \"auth_kind\": \"basic\", \"username\": \"tester\", \"api_key\": \"wrong-password\"}" >/dev/null
api POST "/api/federation/cards/$SERA/push/sillytavern" '{"overwrite": true}' >"$WORK/wrong.json"
check "wrong password: the answer says HTTP 401" grep -q 'HTTP 401' "$WORK/wrong.json"
check "wrong password: and that authentication failed" grep -q 'authentication failed' "$WORK/wrong.json"
check "wrong password: state error with that message" prints '^error HTTP 401' \
  get_field "/api/federation/cards/$SERA/sync" 'd["syncStates"][0]["status"]+" "+d["syncStates"][0]["error_message"]'
check "wrong password: nothing written on SillyTavern" [ "$(st_files)" = 0 ]
api POST /api/federation/platforms/sillytavern '{"api_key": "right-password"}' >/dev/null
check "right password: pushed" \
  answers 'd["success"]' True api POST "/api/federation/cards/$SERA/push/sillytavern" '{"overwrite": true}'
check "right password: the file is there" test -e "$ST_CHARACTERS/Seraphina.png"
password_not_returned() { ! api GET /api/federation/platforms | grep -q 'right-password'; }
check "the password is never returned" password_not_returned
st_stop

finish
