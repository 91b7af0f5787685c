#!/usr/bin/env bash
# Load benchmark (make bench, make soak): an archive of N cards (100,000 by default) under
# `wrk` on the list, search, card and thumbnail routes, 16 connections each (64 in all)
# for D seconds, while a bulk push job of every card runs to a no-op SillyTavern peer
# (bench/noop_peer). Reports per route requests/s, p50/p99/max latency and errors (any
# non-2xx answer or socket error is an error), and the push job's progress meanwhile.
# The archive is built once by `charchive import` from small generated cards
# (bench/gen_load_cards.py) and cached in BUILD_DIR/bench-load (the stamp records the
# generator and N).
#
# usage: bench/load_bench.sh BUILD_DIR   (BENCH_LOAD_CARDS, BENCH_LOAD_SECONDS=60)
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: load_bench.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
N=${BENCH_LOAD_CARDS:-100000}
SECONDS_EACH=${BENCH_LOAD_SECONDS:-60}
BIN="$BUILD_DIR/charchive"
# shellcheck source=../tests/e2e/archive.sh
source "$HERE/../tests/e2e/archive.sh"
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps installs it)" >&2; exit 1; }

STORE="$BUILD_DIR/bench-load/$N"
stamp="$(sha256sum "$HERE/gen_load_cards.py" | cut -c1-16) $N"
if [ "$(cat "$STORE/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$STORE"
  mkdir -p "$STORE"
  echo "bench: building a $N-card archive (once; cached in $STORE)"
  python3 "$HERE/gen_load_cards.py" "$STORE/corpus" "$N"
  start=$(date +%s.%N)
  "$BIN" import --data "$STORE/data" "$STORE/corpus" >/dev/null
  echo "bench: imported $N cards in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
  rm -rf "$STORE/corpus"
  echo "$stamp" >"$STORE/.stamp"
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
cp -r "$STORE/data" "$WORK/data"  # the job's sync states must not leak into the next run
"$BUILD_DIR/noop_peer" "$WORK/peer.port" &
PIDS+=("$!")
for _ in $(seq 1 50); do [ -s "$WORK/peer.port" ] && break; sleep 0.1; done
archive_start "$BIN" "$WORK/data" bench-load
PIDS+=("$SERVER")
api POST /api/federation/platforms/sillytavern "{\"base_url\": \"http://127.0.0.1:$(cat "$WORK/peer.port")\", \"enabled\": true}" >/dev/null
JOB=$(api POST /api/federation/jobs '{"kind": "push", "platform": "sillytavern", "all": true}' | field 'd["job"]["id"]')
sleep 2  # the job is under way

echo "bench: wrk, 4 routes x 16 connections for $SECONDS_EACH s, $(nproc) cores, while job $JOB pushes $N cards"
for route in list search card thumbnail; do
  wrk -t1 -c16 -d"${SECONDS_EACH}s" --timeout 10s -s "$HERE/load_wrk.lua" "$BASE" -- "$route" "$N" "$TOKEN" \
    >"$WORK/$route.txt" 2>&1 &
  PIDS+=("$!")
done
before=$(api GET "/api/federation/jobs/$JOB" | field 'd["job"]["done"]')
wait "${PIDS[@]: -4}"
after=$(api GET "/api/federation/jobs/$JOB" | field 'd["job"]["done"]')
health=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/health")

python3 - "$WORK" "$before" "$after" "$SECONDS_EACH" "$health" <<'PY'
import json, sys
work, before, after, seconds, health = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
print(f"{'route':<11}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
errors = 0
for route in ("list", "search", "card", "thumbnail"):
    lines = [l for l in open(f"{work}/{route}.txt") if l.startswith("{")]
    if not lines:
        print(f"{route:<11} wrk printed no summary:\n" + open(f"{work}/{route}.txt").read())
        errors += 1
        continue
    r = json.loads(lines[-1])
    errors += r["http_errors"] + r["socket_errors"]
    print(f"{route:<11}{r['rps']:>9,.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['max_ms']:>9.1f}"
          f"{r['http_errors'] + r['socket_errors']:>8}")
print(f"bulk push meanwhile: {after - before} cards in {seconds} s ({(after - before) / seconds:,.0f} cards/s); "
      f"health after the run: HTTP {health}")
print("load: " + ("0 errors" if errors == 0 else f"{errors} ERRORS"))
sys.exit(1 if errors or health != "200" else 0)
PY
