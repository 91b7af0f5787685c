#!/usr/bin/env bash
# Hub federation benchmark (make bench): archive B publishes N cards with a real image
# (Seraphina's, renumbered) to archive A, which follows it: every card is a signed
# Create delivered to A's inbox, verified, imported with its image fetched back from B.
# The same files imported locally by `charchive import` in the same run are the
# floor: the ratio is what federation costs over importing the files by hand.
#
# usage: bench/hub_bench.sh BUILD_DIR    (BENCH_HUB_CARDS, default 500)
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: hub_bench.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
N=${BENCH_HUB_CARDS:-500}
BIN="$BUILD_DIR/charchive"
# shellcheck source=../tests/e2e/archive.sh
source "$HERE/../tests/e2e/archive.sh"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

python3 "$HERE/gen_push_cards.py" "$BUILD_DIR/fixtures/cards/default_Seraphina.png" "$WORK/cards" "$N"
start=$(date +%s.%N)
"$BIN" import --data "$WORK/local" "$WORK/cards" >/dev/null
floor=$(python3 -c "print($(date +%s.%N) - $start)")

"$BIN" import --data "$WORK/B" "$WORK/cards" >/dev/null
archive_start "$BIN" "$WORK/A" bench-a --public; PIDS+=("$SERVER"); A_BASE=$BASE
archive_start "$BIN" "$WORK/B" bench-b --public; PIDS+=("$SERVER"); B_BASE=$BASE
BASE=$A_BASE TOKEN=bench-a api POST /api/federation/platforms/hub "{\"base_url\": \"$B_BASE\", \"enabled\": true}" >/dev/null
BASE=$B_BASE TOKEN=bench-b api PUT /api/hub '{"auto_accept": true}' >/dev/null  # off by default
BASE=$A_BASE TOKEN=bench-a api POST /api/hub/follow '{}' >/dev/null
for _ in $(seq 1 100); do
  [ "$(BASE=$A_BASE TOKEN=bench-a api GET /api/hub | field 'd["following"][0]["state"]')" = accepted ] && break
  sleep 0.1
done
start=$(date +%s.%N)
BASE=$B_BASE TOKEN=bench-b api PUT /api/hub '{"publish_all": true}' >/dev/null
while [ "$(BASE=$A_BASE TOKEN=bench-a api GET '/api/cards?source=hub&limit=1' | field 'd["total"]')" -lt "$N" ]; do
  sleep 0.05
done
hub=$(python3 -c "print($(date +%s.%N) - $start)")
python3 - "$N" "$floor" "$hub" <<'PY'
import sys
n, floor, hub = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"bench: hub: {n} cards published by B and imported by its follower A in {hub:.2f} s "
      f"({n / hub:.0f} cards/s); the same files imported locally: {floor:.2f} s; hub / local = {hub / floor:.1f}x")
PY
