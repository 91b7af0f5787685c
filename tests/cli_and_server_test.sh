#!/usr/bin/env bash
# The CLI and a running server on one data dir at the same time: `charchive
# import` of 300 cards while 40 other cards are uploaded over HTTP. Afterwards
# the server lists all 340, doctor finds the store consistent, and SIGTERM stops
# the server cleanly (exit 0).
set -euo pipefail
BIN=${1:?usage: cli_and_server_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin cli_and_server_test
TOKEN=concurrency-token

python3 - "$WORK" <<'PY'
import base64, json, os, struct, sys, zlib
work = sys.argv[1]
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
def card(name):
    doc = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": name, "description": "concurrency " + name}}
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\x80")) + chunk(b"tEXt", b"chara\0" + base64.b64encode(json.dumps(doc).encode()))
            + chunk(b"IEND", b""))
for folder, prefix, n in (("cli", "Cli", 300), ("http", "Http", 40)):
    os.makedirs(f"{work}/{folder}")
    for i in range(n):
        open(f"{work}/{folder}/{prefix}{i:03d}.png", "wb").write(card(f"{prefix} {i}"))
PY

archive_start "$BIN" "$WORK/data" "$TOKEN"

"$BIN" import --data "$WORK/data" "$WORK/cli" >"$WORK/import.log" 2>&1 &
IMPORTER=$!
uploaded=0
for f in "$WORK"/http/*.png; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -F "file=@$f" "$BASE/api/cards")
  [ "$code" = 201 ] && uploaded=$((uploaded + 1))
done
wait "$IMPORTER" && importer_rc=0 || importer_rc=$?
check "the importer finished (exit $importer_rc): $(tail -1 "$WORK/import.log")" [ "$importer_rc" -eq 0 ]
check "every HTTP upload was accepted ($uploaded of 40)" [ "$uploaded" -eq 40 ]
total=$(api GET '/api/cards?limit=1' | field 'd["total"]')
check "the server lists all 340 cards ($total)" [ "$total" -eq 340 ]
consistent() { "$BIN" doctor --data "$WORK/data" >/dev/null; }
check "doctor finds the store consistent" consistent

kill -TERM "$SERVER"
wait "$SERVER" && server_rc=0 || server_rc=$?
SERVER=
stopped_cleanly() { [ "$server_rc" -eq 0 ] && grep -q 'server_stopping signal=SIGTERM' "$WORK/data.log"; }
check "SIGTERM stops the server with exit 0 ($server_rc)" stopped_cleanly
finish
