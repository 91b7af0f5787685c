#!/usr/bin/env bash
# Large downloads do not grow the server's memory (docs/reliability.md "Large downloads"):
# a ~25 MiB PNG card (random, incompressible pixels in several IDAT chunks, a tEXt
# comment and a `chara` chunk after the image) is imported, then fetched in ROUNDS rounds
# of 8 concurrent `download?format=png` and 8 concurrent `image` requests, each read at a
# limited rate so that they overlap. Checks:
# - every answer has the exact Content-Length and the expected bytes: the image is the
#   stored file (sha256 of the source); the PNG export is the stored file's chunks minus its
#   card chunk, plus tEXt `chara` and `ccv3` before IEND (checked chunk by chunk once), and
#   every concurrent export is byte-identical to that one;
# - the server's peak RSS (VmHWM) stays under its RSS at start plus BOUND_MIB.
set -euo pipefail
BIN=${1:?usage: download_memory_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
ROUNDS=${ROUNDS:-3}
BOUND_MIB=${BOUND_MIB:-64}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin download_memory_test

python3 - "$WORK/big.png" <<'EOF'
import base64, json, os, struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
width = height = 2900                     # RGB, 8 bits: 25.2 MB of pixels
rows = b"".join(b"\0" + os.urandom(width * 3) for _ in range(height))
pixels = zlib.compress(rows, 1)            # random pixels do not compress: ~25 MB
card = {"spec": "chara_card_v2", "spec_version": "2.0",
        "data": {"name": "Big Picture", "description": "A card with a large image.",
                 "personality": "", "scenario": "", "first_mes": "Hello.", "mes_example": "",
                 "creator_notes": "", "system_prompt": "", "post_history_instructions": "",
                 "alternate_greetings": [], "tags": ["big"], "creator": "download test",
                 "character_version": "1", "extensions": {}}}
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
step = 4 << 20
png += b"".join(chunk(b"IDAT", pixels[i:i + step]) for i in range(0, len(pixels), step))
png += chunk(b"tEXt", b"Comment\0made by download_memory_test")
png += chunk(b"tEXt", b"chara\0" + base64.b64encode(json.dumps(card).encode()))
png += chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
EOF
DATA="$WORK/data"
"$BIN" import --data "$DATA" "$WORK/big.png" >/dev/null
archive_start "$BIN" "$DATA" download-memory-token
ID=$(api GET '/api/cards?limit=1' | field 'd["items"][0]["id"]')
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$SERVER/status"; }
base_kib=$(kib VmRSS)

# One GET: writes "<http code> <Content-Length> <bytes received> <sha256>" to $2.
fetch() {
  local headers="$2.headers" sum
  sum=$(curl -s --limit-rate 12M -D "$headers" -H "Authorization: Bearer $TOKEN" "$BASE$1" | sha256sum | cut -d' ' -f1)
  local code length
  code=$(awk 'NR == 1 {print $2}' "$headers")
  length=$(awk 'tolower($1) == "content-length:" {print $2}' "$headers" | tr -d '\r')
  echo "$code $length $sum" >"$2"
}

# The reference export, fetched alone and checked chunk by chunk against the source.
curl -s -o "$WORK/export.png" -H "Authorization: Bearer $TOKEN" "$BASE/api/cards/$ID/download?format=png"
# export_is_source_plus_card SOURCE EXPORT: whether EXPORT is SOURCE's chunks but its card's,
# with tEXt chara and ccv3 before IEND.
export_is_source_plus_card() {
  python3 - "$1" "$2" <<'EOF'
import base64, json, struct, sys
def chunks(png):
    assert png[:8] == b'\x89PNG\r\n\x1a\n'
    at, out = 8, []
    while at < len(png):
        n, t = struct.unpack('>I4s', png[at:at + 8])
        out.append((t, png[at + 8:at + 8 + n], png[at:at + 12 + n]))
        at += 12 + n
    return out
def card_chunk(c):
    return c[0] == b'tEXt' and c[1].split(b'\0', 1)[0].lower() in (b'chara', b'ccv3')
src, exp = chunks(open(sys.argv[1], 'rb').read()), chunks(open(sys.argv[2], 'rb').read())
kept = [c[2] for c in src if not card_chunk(c)]
assert [c[2] for c in exp if not card_chunk(c)] == kept, 'image chunks differ'
assert [(c[0], c[1].split(b'\0', 1)[0]) for c in exp[-3:]] == [(b'tEXt', b'chara'), (b'tEXt', b'ccv3'), (b'IEND', b'')]
v2 = json.loads(base64.b64decode(exp[-3][1].split(b'\0', 1)[1]))
v3 = json.loads(base64.b64decode(exp[-2][1].split(b'\0', 1)[1]))
assert v2['data']['name'] == v3['data']['name'] == 'Big Picture' and v3['spec'] == 'chara_card_v3'
EOF
}
check "the PNG export keeps every chunk but the card's, adds chara and ccv3 before IEND" \
  export_is_source_plus_card "$WORK/big.png" "$WORK/export.png"
export_sum=$(sha256sum "$WORK/export.png" | cut -d' ' -f1)
export_size=$(stat -c %s "$WORK/export.png")
image_sum=$(sha256sum "$WORK/big.png" | cut -d' ' -f1)
image_size=$(stat -c %s "$WORK/big.png")
rm "$WORK/export.png"

bad=0
for round in $(seq 1 "$ROUNDS"); do
  pids=()
  for i in $(seq 1 8); do
    fetch "/api/cards/$ID/download?format=png" "$WORK/png.$round.$i" &
    pids+=($!)
    fetch "/api/cards/$ID/image" "$WORK/image.$round.$i" &
    pids+=($!)
  done
  wait "${pids[@]}"  # not the server
  for i in $(seq 1 8); do
    [ "$(cat "$WORK/png.$round.$i")" = "200 $export_size $export_sum" ] || { bad=$((bad + 1)); cat "$WORK/png.$round.$i"; }
    [ "$(cat "$WORK/image.$round.$i")" = "200 $image_size $image_sum" ] || { bad=$((bad + 1)); cat "$WORK/image.$round.$i"; }
  done
  peak_kib=$(kib VmHWM)
  echo "round $round: RSS at start $((base_kib / 1024)) MiB, peak $((peak_kib / 1024)) MiB, now $(($(kib VmRSS) / 1024)) MiB"
  # Past the bound the answer is known; more rounds would only take more of the machine.
  [ $((peak_kib - base_kib)) -lt $((BOUND_MIB * 1024)) ] || break
done
check "every one of the concurrent downloads has the exact length and the expected bytes" [ "$bad" = 0 ]
check "peak RSS stays under RSS at start + $BOUND_MIB MiB ($((base_kib / 1024)) MiB at start, peak $((peak_kib / 1024)) MiB)" \
  [ $((peak_kib - base_kib)) -lt $((BOUND_MIB * 1024)) ]
check "the server still answers" curl -sf -o /dev/null "$BASE/api/health"
finish
