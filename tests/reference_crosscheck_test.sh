#!/usr/bin/env bash
# Our parser against the reference TypeScript parser, on the shared fixtures and
# on cards generated in every format we read (V1/V2/V3 JSON, PNG with tEXt and
# zTXt chunks, CharX). Skipped (exit 77) only where Node is absent.
set -euo pipefail
BIN=${1:?usage: reference_crosscheck_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$SRC/build}
REF="$BUILD/reference"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node not found; the reference cross-check needs Node.js"
  exit 77
fi
bash "$SRC/scripts/install-reference.sh" "$BUILD"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FIXTURES=("$SRC"/../shared/fixtures/cards/*)
SERAPHINA="$SRC/../shared/fixtures/cards/default_Seraphina.png"

"$BIN" convert "$SERAPHINA" "$WORK/v2.json" --spec v2
"$BIN" convert "$SERAPHINA" "$WORK/v3.json" --spec v3
"$BIN" convert "$SERAPHINA" "$WORK/rewritten.png"
"$BIN" convert "$SERAPHINA" "$WORK/card.charx"
python3 - "$WORK" <<'PY'
import base64, json, struct, sys, zlib
work = sys.argv[1]
v1 = {"name": "Old Timer", "description": "A V1 card.\nTwo lines.", "personality": "gruff",
      "scenario": "a porch", "first_mes": "Evenin'.", "mes_example": "<START>\n{{char}}: Hm."}
json.dump(v1, open(f"{work}/v1.json", "w"))
card = json.load(open(f"{work}/v2.json"))
card["data"]["name"] = "Zed Compressed"
payload = base64.b64encode(json.dumps(card).encode())
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
rows = b"".join(b"\0" + b"\x80" * 4 for _ in range(4))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"zTXt", b"chara\0\0" + zlib.compress(payload)) + chunk(b"IEND", b"")
open(f"{work}/ztxt.png", "wb").write(png)
PY
node "$SRC/tests/reference_crosscheck.mjs" "$BIN" "$REF" "${FIXTURES[@]}" "$WORK"/v1.json "$WORK"/v2.json \
  "$WORK"/v3.json "$WORK"/rewritten.png "$WORK"/card.charx "$WORK"/ztxt.png
