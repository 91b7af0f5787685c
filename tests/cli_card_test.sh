#!/usr/bin/env bash
# The card CLI end to end: info/validate/convert/hash on the real fixture and on
# broken files, exit codes, one-line errors, and a PNG -> JSON/CharX -> PNG round
# trip that keeps the content hash, the JSON meaning and every non-card chunk.
set -euo pipefail
BIN=${1:?usage: cli_card_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
FIXTURE="$FIXTURES/default_Seraphina.png"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAILED - $1"; }
# check NAME COMMAND [ARGS...]: the command as given (a compound condition is a function)
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}
# json_holds FILE EXPR: whether the Python expression EXPR of FILE's JSON (bound to d) holds
json_holds() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }

# expect_fail NAME EXIT_CODE KIND -- command...
expect_fail() {
  local name=$1 code=$2 kind=$3; shift 4
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  if [ "$rc" -eq "$code" ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q "$kind" "$WORK/err"; then
    ok "$name (exit $rc: $(cat "$WORK/err"))"
  else
    bad "$name: exit $rc, stderr: $(cat "$WORK/err")"
  fi
}

# --- info / hash / validate on the real card
"$BIN" info "$FIXTURE" --json >"$WORK/info.json"
check "info --json names Seraphina" json_holds "$WORK/info.json" \
  'd["name"] == "Seraphina" and d["format"] == "png" and d["lorebook_entries"] == 4 and len(d["content_hash"]) == 64 and len(d["image_hash"]) == 64'
"$BIN" info "$FIXTURE" >"$WORK/info.txt"
check "info prints a readable summary" grep -q '^name: *Seraphina' "$WORK/info.txt"
HASH=$("$BIN" hash "$FIXTURE")
check "hash equals info's content_hash" json_holds "$WORK/info.json" "d['content_hash'] == '$HASH'"
validates_strictly() { "$BIN" validate --strict "$FIXTURE" | grep -q '^ok: Seraphina'; }
check "validate --strict accepts the fixture" validates_strictly

# --- round trips
"$BIN" convert "$FIXTURE" "$WORK/s.json" --spec v2
"$BIN" convert "$WORK/s.json" "$WORK/s.charx"
"$BIN" convert "$FIXTURE" "$WORK/s2.png"
"$BIN" convert "$WORK/s.charx" "$WORK/s3.png"
hash_is() { [ "$("$BIN" hash "$1")" = "$2" ]; }
for f in s.json s.charx s2.png s3.png; do
  check "$f keeps the content hash" hash_is "$WORK/$f" "$HASH"
done
check "JSON output is V2 when asked" json_holds "$WORK/s.json" 'd["spec"] == "chara_card_v2"'
python3 - "$FIXTURE" "$WORK/s2.png" >"$WORK/chunks.txt" <<'PY' && ok "PNG round trip keeps IDAT and other chunks byte for byte, JSON meaning equal" || bad "PNG round trip: $(cat "$WORK/chunks.txt")"
import base64, json, struct, sys
def chunks(path):
    b = open(path, 'rb').read(); p = 8; out = []
    while p < len(b):
        n, = struct.unpack('>I', b[p:p+4]); t = b[p+4:p+8]; out.append((t, b[p:p+12+n])); p += 12 + n
    return out
def card(cs):
    for t, raw in cs:
        if t == b'tEXt' and raw[8:13] == b'ccv3\0':
            return json.loads(base64.b64decode(raw[13:-4]))
a, b = chunks(sys.argv[1]), chunks(sys.argv[2])
keep = lambda cs: [raw for t, raw in cs if not (t == b'tEXt' and (raw[8:14] == b'chara\0' or raw[8:13] == b'ccv3\0'))]
if keep(a) != keep(b): print('non-card chunks differ'); sys.exit(1)
ca, cb = card(a), card(b)
if ca['data'] != cb['data']: print('data differs'); sys.exit(1)
PY

# --- errors: exit codes and one-line messages
head -c 100000 "$FIXTURE" >"$WORK/truncated.png"
expect_fail "truncated PNG" 2 truncated -- "$BIN" info "$WORK/truncated.png"
python3 - "$FIXTURE" "$WORK/badcrc.png" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.find(b'ccv3\0'); b[i + 20] ^= 1
open(sys.argv[2], 'wb').write(b)
PY
expect_fail "CRC mismatch in the card chunk" 2 crc_mismatch -- "$BIN" validate "$WORK/badcrc.png"
python3 - "$FIXTURE" "$WORK/badidat.png" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.find(b'IDAT'); b[i + 100] ^= 1
open(sys.argv[2], 'wb').write(b)
PY
validates() { "$BIN" validate "$1" >/dev/null; }
check "non-strict validate skips image data" validates "$WORK/badidat.png"
expect_fail "strict validate checks IDAT's CRC" 2 crc_mismatch -- "$BIN" validate --strict "$WORK/badidat.png"
echo '{"name": "x", "description": ' >"$WORK/bad.json"
expect_fail "invalid JSON" 2 bad_json -- "$BIN" info "$WORK/bad.json"
echo '{"spec": "chara_card_v9", "data": {"name": "x"}}' >"$WORK/spec.json"
expect_fail "wrong spec" 2 wrong_spec -- "$BIN" hash "$WORK/spec.json"
expect_fail "missing file" 1 not_found -- "$BIN" info "$WORK/nope.png"
printf 'GIF89a' >"$WORK/x.gif"
expect_fail "unknown format" 2 unknown_format -- "$BIN" info "$WORK/x.gif"
expect_fail "convert to an unknown extension" 2 bad_field -- "$BIN" convert "$FIXTURE" "$WORK/out.gif"
check "a failed convert writes nothing" [ ! -e "$WORK/out.gif" ]
expect_fail "convert into a missing folder" 1 io_error -- "$BIN" convert "$FIXTURE" "$WORK/missing/dir/out.png"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
