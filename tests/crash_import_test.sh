#!/usr/bin/env bash
# Crash safety of import: kill -9 the importer at random moments during a
# 2,000-card import, 20 times. After each kill `charchive doctor` must report a
# consistent store (integrity ok, no orphan file, no row without its file), and
# a final re-run must complete the import: every card present exactly once.
set -euo pipefail
BIN=${1:?usage: crash_import_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
KILLS=${CRASH_KILLS:-20}
CARDS=${CRASH_CARDS:-2000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Small cards (a few KB each) keep the run short while exercising the same path.
python3 - "$WORK/cards" "$CARDS" <<'PY'
import base64, json, os, struct, sys, zlib
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
for i in range(n):
    card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": f"Crash {i}",
            "description": f"Card number {i} " + "lorem ipsum " * 200, "first_mes": "hi", "tags": ["crash"]}}
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(bytes([0, i % 256]) + os.urandom(64)))
           + chunk(b"tEXt", b"chara\0" + base64.b64encode(json.dumps(card).encode())) + chunk(b"IEND", b""))
    open(f"{out}/card{i:05d}.png", "wb").write(png)
PY

fail=0
for k in $(seq 1 "$KILLS"); do
  "$BIN" import --data "$WORK/data" "$WORK/cards" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(( (RANDOM % 60) + 5 ))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if out=$("$BIN" doctor --data "$WORK/data" --json 2>&1); then
    cards=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["cards"])' <<<"$out")
    echo "ok - kill $k: consistent with $cards cards"
  else
    echo "FAILED - kill $k: doctor says: $out"
    fail=$((fail + 1))
  fi
done

"$BIN" import --data "$WORK/data" "$WORK/cards" >"$WORK/final.txt"
cat "$WORK/final.txt"
"$BIN" doctor --data "$WORK/data" --json >"$WORK/doctor.json" || fail=$((fail + 1))
total=$(python3 -c 'import json; print(json.load(open("'"$WORK/doctor.json"'"))["cards"])')
if [ "$total" -eq "$CARDS" ]; then
  echo "ok - the re-run completed the import: $total cards, none twice"
else
  echo "FAILED - expected $CARDS cards after the re-run, found $total"
  fail=$((fail + 1))
fi
echo "$((KILLS + 1 - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
