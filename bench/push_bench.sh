#!/usr/bin/env bash
# Bulk push benchmark (make bench): N cards with a real image (Seraphina's,
# renumbered) pushed by `charchive push`
#  - to a real SillyTavern 1.19.0, each run on a fresh instance, against the
#    floor: the same files imported into a fresh SillyTavern by a minimal
#    sequential client (bench/st_floor_import.py) in the same run;
#  - to a no-op peer (bench/noop_peer.cc), which measures the archive's own cost.
# Our push also reads every card back and records its state and history.
#
# usage: bench/push_bench.sh BUILD_DIR    (BENCH_PUSH_CARDS, default 500)
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: push_bench.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
N=${BENCH_PUSH_CARDS:-500}
BIN="$BUILD_DIR/charchive"
export CHARCHIVE_BUILD_DIR="$BUILD_DIR"
# shellcheck source=../tests/e2e/sillytavern.sh
source "$HERE/../tests/e2e/sillytavern.sh"
WORK=$(mktemp -d)
NOOP=
cleanup() { st_stop; [ -n "$NOOP" ] && kill "$NOOP" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

python3 "$HERE/gen_push_cards.py" "$BUILD_DIR/fixtures/cards/default_Seraphina.png" "$WORK/cards" "$N"
"$BIN" import --data "$WORK/template" "$WORK/cards" >/dev/null
echo "bench: push: $N cards of $(du -sh "$WORK/cards" | cut -f1) (Seraphina's image, renumbered)"

# push_to URL CONCURRENCY -> seconds, from a fresh copy of the archive (no sync state).
# Fails when any card failed (charchive push exits 3).
push_to() {
  rm -rf "$WORK/data" && cp -a "$WORK/template" "$WORK/data"
  "$BIN" platform set sillytavern --data "$WORK/data" --base-url "$1" --enable >/dev/null
  "$BIN" push --data "$WORK/data" --platform sillytavern --all --concurrency "$2" >"$WORK/push.log"
  # "pushed N, failed 0 (N cards in S s, ...)": the push itself, without opening the archive.
  sed -n 's/.* cards in \([0-9.]*\)s.*/\1/p' "$WORK/push.log"
}

st_start
floor=$(python3 "$HERE/st_floor_import.py" "$ST_URL" "$WORK/cards")
st_stop
floor_s=$(echo "$floor" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
st_start
seq_s=$(push_to "$ST_URL" 1)
check_files=$(ls "$ST_CHARACTERS" | grep -c '\.png$')
st_stop
st_start
par_s=$(push_to "$ST_URL" 4)
st_stop

"$BUILD_DIR/noop_peer" "$WORK/noop.port" &
NOOP=$!
for _ in $(seq 1 50); do [ -s "$WORK/noop.port" ] && break; sleep 0.1; done
noop_s=$(push_to "http://127.0.0.1:$(cat "$WORK/noop.port")" 4)

python3 - "$N" "$floor_s" "$seq_s" "$par_s" "$noop_s" "$check_files" <<'PY'
import sys
n, floor, seq, par, noop, files = int(sys.argv[1]), *map(float, sys.argv[2:6]), int(sys.argv[6])
print(f"\n{'push of %d cards' % n:<44}{'seconds':>9}{'cards/s':>9}{'vs floor':>10}")
for label, s in (("floor: sequential imports, minimal client", floor),
                 ("charchive push, concurrency 1", seq),
                 ("charchive push, concurrency 4", par)):
    print(f"{label:<44}{s:>9.2f}{n / s:>9.1f}{floor / s:>9.2f}x")
print(f"{'charchive push to a no-op peer, concurrency 4':<44}{noop:>9.2f}{n / noop:>9.1f}")
print(f"(SillyTavern held {files} files after the sequential push; 'vs floor' > 1 is faster)")
PY
