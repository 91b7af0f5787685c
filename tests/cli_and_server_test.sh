#!/usr/bin/env bash
# The CLI and a running server on one data dir at the same time: `charchive
# import` of 300 cards while 40 other cards are uploaded over HTTP. Afterwards
# the server lists all 340, doctor finds the store consistent, and SIGTERM stops
# the server cleanly (exit 0).
set -euo pipefail
BIN=${1:?usage: cli_and_server_test.sh CHARCHIVE_BINARY}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
TOKEN=concurrency-token
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
pass=0
fail=0
check() { if eval "$2"; then pass=$((pass + 1)); echo "ok - $1"; else fail=$((fail + 1)); echo "FAILED - $1"; fi; }

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

CHARCHIVE_TOKEN="$TOKEN" "$BIN" serve --data "$WORK/data" --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf "$BASE/api/health" >/dev/null 2>&1 && break; sleep 0.1; done

"$BIN" import --data "$WORK/data" "$WORK/cli" >"$WORK/import.log" 2>&1 &
IMPORTER=$!
uploaded=0
for f in "$WORK"/http/*.png; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -F "file=@$f" "$BASE/api/cards")
  [ "$code" = 201 ] && uploaded=$((uploaded + 1))
done
wait "$IMPORTER" && importer_rc=0 || importer_rc=$?
check "the importer finished (exit $importer_rc): $(cat "$WORK/import.log" | tail -1)" "[ $importer_rc -eq 0 ]"
check "every HTTP upload was accepted ($uploaded of 40)" "[ $uploaded -eq 40 ]"
total=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/cards?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
check "the server lists all 340 cards ($total)" "[ $total -eq 340 ]"
check "doctor finds the store consistent" "'$BIN' doctor --data '$WORK/data' >/dev/null"

kill -TERM "$SERVER"
wait "$SERVER" && server_rc=0 || server_rc=$?
SERVER=
check "SIGTERM stops the server with exit 0 ($server_rc)" "[ $server_rc -eq 0 ] && grep -q 'server_stopping signal=SIGTERM' '$WORK/server.log'"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
