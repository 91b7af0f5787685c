#!/usr/bin/env bash
# Watched folders end to end (docs/watch.md), on a real `charchive serve --watch DIR`:
# - a card copied in is imported within 2 s, and its arrival is an event on the stream;
# - a card written slowly in pieces (one open file, pauses between chunks) is imported
#   only once complete: nothing mid-write, then one card with one version;
# - a card moved in (into a new subfolder) is imported;
# - a changed file becomes a new version of the same card;
# - a deleted file deletes nothing;
# - a file that is not a card is reported once (one log line, one event), not retried;
# - 10,000 files copied in at once are all imported, in batches; the rate is printed beside
#   `charchive import`'s for the same files;
# - the server restarted with files added and changed while it was down imports them at
#   start, and reports nothing again for unchanged files;
# - PUT /api/watch keeps a folder across restarts; a bad folder is 400 and changes nothing;
#   a bad --watch exits 2.
set -euo pipefail
BIN=${1:?usage: watch_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"

WORK=$(mktemp -d)
DATA=$WORK/data
W=$WORK/watched
KEPT=$WORK/kept
mkdir -p "$W" "$KEPT" "$WORK/src"
TOKEN=watch-token
SERVER=
STREAM=
WRITER=
cleanup() {
  for p in "$STREAM" "$WRITER" "$SERVER"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# cards.py png|json NAME DESCRIPTION OUT: a card file; bulk N DIR: N small JSON cards;
# slow OUT NAME MARKER: a PNG card written in 5 chunks through one open file, 0.6 s apart,
# touching MARKER halfway.
cat >"$WORK/cards.py" <<'PY'
import base64, json, os, struct, sys, time, zlib
def doc(name, desc):
    return {"spec": "chara_card_v2", "spec_version": "2.0",
            "data": {"name": name, "description": desc, "first_mes": "Hello from " + name}}
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
def png(name, desc):
    text = base64.b64encode(json.dumps(doc(name, desc)).encode())
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"tEXt", b"chara\0" + text) + chunk(b"IDAT", zlib.compress(b"\0\x80")) + chunk(b"IEND", b""))
kind = sys.argv[1]
if kind == "png":
    open(sys.argv[4], "wb").write(png(sys.argv[2], sys.argv[3]))
elif kind == "json":
    open(sys.argv[4], "w").write(json.dumps(doc(sys.argv[2], sys.argv[3])))
elif kind == "bulk":
    n, folder = int(sys.argv[2]), sys.argv[3]
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        open(f"{folder}/bulk{i:05d}.json", "w").write(json.dumps(doc(f"Bulk {i}", f"bulk card number {i}")))
elif kind == "slow":
    data = png(sys.argv[3], "written slowly " + "x" * 4000)
    step = len(data) // 5 + 1
    with open(sys.argv[2], "wb") as f:
        for i in range(5):
            f.write(data[i * step:(i + 1) * step])
            f.flush()
            if i == 2:
                open(sys.argv[4], "w").close()
            time.sleep(0.6)
PY
cards() { python3 "$WORK/cards.py" "$@"; }

start_server() {
  CHARCHIVE_TOKEN=$TOKEN serve_on 0 "$BIN" "$DATA" --watch "$W"
  BASE="http://127.0.0.1:$PORT"
  curl -sN -H "Authorization: Bearer $TOKEN" "$BASE/api/federation/events/stream" >>"$WORK/events.txt" &
  STREAM=$!
}
stop_server() {
  kill -TERM "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  kill "$STREAM" 2>/dev/null || true
  SERVER=
  STREAM=
}
# watch_row PATH EXPR: EXPR of the file's row in GET /api/watch's recent files (f), or "none"
watch_row() {
  api GET /api/watch | field "next((str($2) for f in d['recent'] if f['path'] == '$1'), 'none')"
}
card_of() { watch_row "$1" "f['cardId']"; }
has_card() { [ "$(card_of "$1")" != none ] && [ "$(card_of "$1")" != None ]; }
versions() { api GET "/api/cards/$1/versions" | field 'len(d["versions"])'; }
total() { api GET '/api/cards?limit=1' | field 'd["total"]'; }
now_ms() { date +%s%3N; }
events_for() { grep -c "\"path\":\"$1\"" "$WORK/events.txt" || true; }
refusals_logged() { grep -c "watch_refused.*$1" "$DATA.log" || true; }

check "serve --watch of a missing folder exits 2" \
  exits 2 env CHARCHIVE_TOKEN=$TOKEN "$BIN" serve --data "$DATA" --port 0 --watch "$WORK/nope"
check "serve --watch of the data dir exits 2" \
  exits 2 env CHARCHIVE_TOKEN=$TOKEN "$BIN" serve --data "$DATA" --port 0 --watch "$DATA"

start_server
check "GET /api/watch lists the command line's folder, watched" \
  json_is /api/watch '[(f["path"], f["origin"], f["watching"]) for f in d["folders"]]' "[('$W', 'command_line', True)]"

# --- a file copied in
cards png Alice "the first card" "$WORK/src/alice.png"
t0=$(now_ms)
cp "$WORK/src/alice.png" "$W/alice.png"
# The stream's event is the moment of arrival (polled every 50 ms, for 20 s at most).
arrived=false
for _ in $(seq 400); do
  if grep -q "\"action\":\"imported\".*\"path\":\"$W/alice.png\"" "$WORK/events.txt"; then arrived=true; break; fi
  sleep 0.05
done
elapsed=$(($(now_ms) - t0))
echo "# a copied card was imported (its event on the stream) after $elapsed ms"
check "its arrival is an event on the stream" $arrived
within_2s() { [ "$elapsed" -le 2000 ]; }
check "a card copied in is imported within 2 s" within_2s
ALICE=$(card_of "$W/alice.png")
check "it is a card with one version" [ "$(versions "$ALICE")" = 1 ]

# --- a file written slowly in pieces
cards slow "$W/slow.png" Slowpoke "$WORK/half" &
WRITER=$!
wait_until 20 test -e "$WORK/half"
not_read_yet() { [ "$(watch_row "$W/slow.png" "f['status']")" = none ]; }
# Three chunks are written, 1.2 s of pauses past (each longer than the 200 ms settle).
check "nothing is read while the file is half written" not_read_yet
wait "$WRITER"
WRITER=
wait_until 20 has_card "$W/slow.png"
SLOW=$(card_of "$W/slow.png")
check "the complete file is imported once, with one version" [ "$(versions "$SLOW")" = 1 ]
check "and never refused" [ "$(refusals_logged "$W/slow.png")" = 0 ]
check "one event for it" [ "$(events_for "$W/slow.png")" = 1 ]

# --- a file moved in
mkdir -p "$W/sub"
cards json Mover "moved into the folder" "$WORK/src/mover.json"
mv "$WORK/src/mover.json" "$W/sub/mover.json"
check "a card moved in is imported" wait_until 10 has_card "$W/sub/mover.json"

# --- a changed file
cards png Alice "the first card, edited in the folder" "$WORK/src/alice2.png"
cp "$WORK/src/alice2.png" "$W/alice.png"
two_versions() { [ "$(versions "$ALICE")" = 2 ]; }
check "a changed file becomes a second version" wait_until 10 two_versions
check "of the same card" [ "$(card_of "$W/alice.png")" = "$ALICE" ]
edited() { api GET "/api/cards/$ALICE" | grep -q "edited in the folder"; }
check "with the new content" edited
check "and no new card" [ "$(total)" = 3 ]

# --- a deleted file
rm "$W/alice.png"
cards json Marker "after the delete" "$W/marker.json"
wait_until 10 has_card "$W/marker.json"
check "a deleted file deletes nothing" http_status_is 200 "$BASE/api/cards/$ALICE"

# --- a file that is not a card
echo "these are my notes, not a card" >"$W/notes.png"
refused() { [ "$(watch_row "$W/notes.png" "f['status']")" = refused ]; }
check "a file that is not a card is refused" wait_until 10 refused
cards json Later "after the refusal" "$W/later.json"
wait_until 10 has_card "$W/later.json"
check "it is logged once" [ "$(refusals_logged "$W/notes.png")" = 1 ]
check "it is one event" [ "$(events_for "$W/notes.png")" = 1 ]
check "it made no card" [ "$(total)" = 5 ]

# --- 10,000 files at once
cards bulk 10000 "$WORK/bulk"
before=$(total)
t0=$(now_ms)
cp -r "$WORK/bulk" "$W/bulk"
all_in() { [ "$(total)" = $((before + 10000)) ]; }
check "10,000 files copied in at once are all imported" wait_until 600 all_in
watch_ms=$(($(now_ms) - t0))
t0=$(now_ms)
"$BIN" import --data "$WORK/cli-data" "$WORK/bulk" >/dev/null 2>&1
import_ms=$(($(now_ms) - t0))
echo "# 10,000 files: watched folder $((10000 * 1000 / (watch_ms > 0 ? watch_ms : 1))) cards/s ($watch_ms ms from the first copy)," \
  "charchive import $((10000 * 1000 / (import_ms > 0 ? import_ms : 1))) cards/s ($import_ms ms)"
passes=$(grep -c "watch_pass" "$DATA.log" || true)
echo "# $passes import passes so far"
check "in batches, not a pass per file" [ "$passes" -lt 200 ]

# --- PUT /api/watch: a kept folder
check "a relative folder is refused with 400" http_status_is 400 -X PUT -d '{"folders": ["relative"]}' "$BASE/api/watch"
check "a missing folder is refused with 400" http_status_is 400 -X PUT -d "{\"folders\": [\"$WORK/nope\"]}" "$BASE/api/watch"
check "the data dir is refused with 400" http_status_is 400 -X PUT -d "{\"folders\": [\"$DATA\"]}" "$BASE/api/watch"
check "and nothing changed" json_is /api/watch 'len(d["folders"])' 1
cards png Kept "in the kept folder" "$KEPT/kept.png"
check "a folder can be kept" http_status_is 200 -X PUT -d "{\"folders\": [\"$KEPT\"]}" "$BASE/api/watch"
check "and its files are imported at once" wait_until 10 has_card "$KEPT/kept.png"

# --- a restart with files added and changed while it was down
before=$(total)
stop_server
cards png Downtime "added while the server was down" "$W/downtime.png"
cards json "Bulk 7" "bulk card seven, changed while down" "$W/bulk/bulk00007.json"
cards png KeptLater "kept folder, while down" "$KEPT/later.png"
start_server
check "the kept folder is watched again" \
  json_is /api/watch '[(f["origin"], f["watching"]) for f in d["folders"]]' "[('command_line', True), ('setting', True)]"
check "a file added while down is imported at start" wait_until 20 has_card "$W/downtime.png"
check "in a kept folder too" wait_until 20 has_card "$KEPT/later.png"
# The bulk file's row is among the recent ones only once it has been read again.
check "a file changed while down is read at start" wait_until 20 has_card "$W/bulk/bulk00007.json"
BULK7=$(card_of "$W/bulk/bulk00007.json")
bulk7_changed() { api GET "/api/cards/$BULK7" | grep -q "changed while down"; }
check "as a new version of its card" bulk7_changed
check "its second" [ "$(versions "$BULK7")" = 2 ]
check "of the same card (no new card for it)" [ "$(total)" = $((before + 2)) ]
check "the refused file is not reported again" [ "$(refusals_logged "$W/notes.png")" = 1 ]
check "the server stops cleanly" stop_server
finish
