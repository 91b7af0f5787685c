#!/usr/bin/env bash
# Sync benchmark (make bench): a two-way sync of N linked cards that changed nowhere
# (`charchive sync --all` against a real SillyTavern 1.19.0), against one
# `POST /api/characters/all` of the same cards by a minimal client (curl) in the same run.
# The ratio says how many full listings of SillyTavern the sync costs: a no-change sync
# reads the listing once (`/api/characters/all`), finds every card's listed copy as at the
# last sync, reads no card on its own and writes nothing.
#
# usage: bench/sync_bench.sh BUILD_DIR    (BENCH_SYNC_CARDS, default 1000; BENCH_ROUNDS, best of, default 3)
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: sync_bench.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
N=${BENCH_SYNC_CARDS:-1000}
ROUNDS=${BENCH_ROUNDS:-3}
BIN="$BUILD_DIR/charchive"
export CHARCHIVE_BUILD_DIR="$BUILD_DIR"
# shellcheck source=../tests/e2e/sillytavern.sh
source "$HERE/../tests/e2e/sillytavern.sh"
WORK=$(mktemp -d)
cleanup() { st_stop; rm -rf "$WORK"; }
trap cleanup EXIT

python3 "$HERE/gen_push_cards.py" "$BUILD_DIR/fixtures/cards/default_Seraphina.png" "$WORK/cards" "$N"
"$BIN" import --data "$WORK/data" "$WORK/cards" >/dev/null
st_start
"$BIN" platform set sillytavern --data "$WORK/data" --base-url "$ST_URL" --enable >/dev/null
"$BIN" push --data "$WORK/data" --platform sillytavern --all --concurrency 4 >"$WORK/push.log"
grep -q "pushed $N, failed 0" "$WORK/push.log" || { echo "bench: sync: the push failed: $(cat "$WORK/push.log")" >&2; exit 1; }
echo "bench: sync: $N cards linked; SillyTavern holds $(ls "$ST_CHARACTERS" | grep -c '\.png$') files"

now() { date +%s.%N; }
# The floor: one listing of every card, as SillyTavern's own UI loads them.
listing() {
  local token start
  token=$(curl -s -c "$WORK/jar" -b "$WORK/jar" "$ST_URL/csrf-token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  start=$(now)
  curl -s -b "$WORK/jar" -H "X-CSRF-Token: $token" -H 'Content-Type: application/json' -d '{}' \
    "$ST_URL/api/characters/all" -o "$WORK/all.json"
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(now)"
}
sync_all() {
  local start
  start=$(now)
  "$BIN" sync --data "$WORK/data" --platform sillytavern --all >"$WORK/sync.log"
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(now)"
  grep -q "^unchanged $N, 0 failed" "$WORK/sync.log" || { echo "bench: sync: not a no-change sync: $(cat "$WORK/sync.log")" >&2; exit 1; }
}
list_s=() sync_s=()
for _ in $(seq 1 "$ROUNDS"); do
  list_s+=("$(listing)")
  sync_s+=("$(sync_all)")
done
listed=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/all.json")
versions=$("$BIN" history --data "$WORK/data" --platform sillytavern --limit 1000 | grep -c ' pull ' || true)

python3 - "$N" "$listed" "$versions" "${list_s[*]}" "${sync_s[*]}" <<'PY'
import sys
n, listed, pulls = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
listing, sync = min(map(float, sys.argv[4].split())), min(map(float, sys.argv[5].split()))
print(f"\n{'no-change sync of %d linked cards' % n:<48}{'seconds':>9}{'cards/s':>9}{'ratio':>8}")
print(f"{'floor: one /api/characters/all (%d cards)' % listed:<48}{listing:>9.2f}{listed / listing:>9.0f}{1:>7.1f}x")
print(f"{'charchive sync --all (the whole command)':<48}{sync:>9.2f}{n / sync:>9.0f}{sync / listing:>7.1f}x")
print(f"(best of the rounds; ratio = seconds / the listing's; pulls recorded: {pulls})")
PY
