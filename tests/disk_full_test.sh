#!/usr/bin/env bash
# A full disk during imports (docs/reliability.md): the archive lives on an 8 MiB tmpfs
# mounted in a mount namespace this test makes (unshare; root or user namespaces). Cards
# of ~0.5 MiB (Seraphina renumbered) are uploaded through the API and imported by the CLI
# until the disk is full:
# - the upload that does not fit (a new card must leave 4 MiB free, so that edits and
#   deletes still have room) is refused with 507 and a JSON error naming the full disk; the
#   CLI import exits 1 with one line saying so;
# - nothing is half-written: doctor finds rows and files in step, no temporary file stays;
# - the server keeps serving reads (list, card, image) of every card it acknowledged;
# - after space is freed (a card deleted), the next upload succeeds.
set -euo pipefail
BIN=${1:?usage: disk_full_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
if [ -z "${DISK_FULL_NS:-}" ]; then
  unshare_args=(-m --propagation private)
  [ "$(id -u)" -ne 0 ] && unshare_args=(-r "${unshare_args[@]}")
  if ! unshare "${unshare_args[@]}" true 2>/dev/null; then
    echo "disk_full_test: cannot make a mount namespace here (unshare ${unshare_args[*]} failed)"
    exit 77
  fi
  BIN=$(realpath "$BIN")
  exec unshare "${unshare_args[@]}" env DISK_FULL_NS=1 CHARCHIVE_SOURCE_DIR="$SRC" bash "$0" "$BIN"
fi
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
WORK=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  umount "$WORK/disk" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
python3 "$SRC/bench/gen_push_cards.py" "$FIXTURES/default_Seraphina.png" "$WORK/cards" 40 >/dev/null
mkdir "$WORK/disk"
mount -t tmpfs -o size=8m tmpfs "$WORK/disk"
DATA="$WORK/disk/data"
archive_start "$BIN" "$DATA" disk-full-token
upload() { curl -s -o "$WORK/answer.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -F "file=@$1" "$BASE/api/cards"; }

accepted=0
code=
for f in "$WORK"/cards/*.png; do
  code=$(upload "$f")
  [ "$code" = 201 ] || break
  accepted=$((accepted + 1))
done
refused_when_full() { [ "$accepted" -gt 0 ] && [ "$code" = 507 ]; }
check "uploads fill the disk, then one is refused with 507 (after $accepted accepted)" refused_when_full
check "the refusal names the full disk" grep -qi 'no space left' "$WORK/answer.json"
still_serving() {
  json_is '/api/cards?limit=100' 'd["total"]' "$accepted" &&
    http_status_is 200 "$BASE/api/cards/1/image" &&
    api GET "/api/cards/$accepted" | field 'd["name"]' | grep -q 'Bench 00'
}
check "the server keeps serving every acknowledged card (list, card, image)" still_serving
cli=0
"$BIN" import --data "$DATA" "$WORK/cards" >"$WORK/cli.out" 2>"$WORK/cli.err" || cli=$?
cli_says_why() { [ "$cli" = 1 ] && grep -qi 'no space left' "$WORK/cli.err"; }
check "the CLI import into the full disk exits 1 and says why" cli_says_why
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
store_in_step() {
  "$BIN" doctor --data "$DATA" >/dev/null &&
    [ -z "$(find "$DATA" -name '*.tmp-*'; find "$DATA/staging" -type f)" ]
}
check "doctor: rows and files in step, no temporary file left" store_in_step
archive_start "$BIN" "$DATA" disk-full-token
total=$(api GET '/api/cards?limit=1' | field 'd["total"]')
api DELETE /api/cards/1 >/dev/null
api DELETE /api/cards/2 >/dev/null
api DELETE /api/trash >/dev/null
room_made() {
  [ "$(upload "$WORK/cards/$(ls "$WORK/cards" | tail -1)")" = 201 ] && json_is '/api/cards?limit=1' 'd["total"]' $((total - 1))
}
check "deleting cards works on the full disk and makes room: the next upload succeeds" room_made
finish
