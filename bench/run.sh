#!/usr/bin/env bash
# make bench: generates the corpora once (cached in BUILD_DIR/bench-corpus), runs our
# parse benchmark and the reference parser's on the same files in the same run, prints
# the numbers side by side with their ratio, then runs the other benchmarks that are built.
#
# usage: bench/run.sh BUILD_DIR
# Environment: BENCH_CARDS (corpus size, default 2000), BENCH_ROUNDS (best of, default 3),
# BENCH_FIXTURE_ITERATIONS (Seraphina parses per round, default 2000), BENCH_STORE=0 to
# skip the store benchmark, BENCH_PUSH=0 to skip the push benchmark, BENCH_SYNC=0 the sync one
# (BENCH_SYNC_CARDS, see bench/sync_bench.sh), BENCH_HUB=0 the hub one,
# BENCH_LOAD=0 the load one (BENCH_LOAD_CARDS, BENCH_LOAD_SECONDS: see bench/load_bench.sh),
# BENCH_SCALE=N the scale one's card count (default 10000; 0 skips it; bench/scale_bench.py),
# BENCH_UI=0 the web UI one (BENCH_UI_CARDS, see bench/ui_bench.sh).
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
CARDS=${BENCH_CARDS:-2000}
ROUNDS=${BENCH_ROUNDS:-3}
ITERATIONS=${BENCH_FIXTURE_ITERATIONS:-2000}
FIXTURE="$BUILD_DIR/fixtures/cards/default_Seraphina.png"
RESULTS="$BUILD_DIR/bench-results.jsonl"

# corpus DIR ARGS...: runs gen_corpus.py into DIR unless DIR already holds the output of
# this generator with these arguments (the stamp records the generator's hash).
corpus() {
  local dir=$1; shift
  local stamp
  stamp="$(sha256sum "$HERE/gen_corpus.py" | cut -c1-16) $*"
  if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "bench: generating $1 cards into $dir"
    rm -rf "$dir"
    python3 "$HERE/gen_corpus.py" "$dir" "$@"
    echo "$stamp" >"$dir/.stamp"
  fi
}

if [ ! -x "$BUILD_DIR/parse_bench" ]; then
  echo "bench: $BUILD_DIR/parse_bench is not built (cmake --build $BUILD_DIR --target parse_bench)" >&2
  exit 1
fi

# ---- Card parsing: ours against the reference TypeScript parser -------------------------
CORPUS="$BUILD_DIR/bench-corpus/parse-$CARDS"
corpus "$CORPUS" "$CARDS"
echo "bench: parse corpus: $(find "$CORPUS" -type f -name 'card*' | wc -l) files, $(du -sh "$CORPUS" | cut -f1);" \
  "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u +%Y-%m-%d)"

: >"$RESULTS"
"$BUILD_DIR/parse_bench" "$CORPUS" "$FIXTURE" "$ROUNDS" "$ITERATIONS" | tee -a "$RESULTS" >/dev/null
if ! command -v node >/dev/null 2>&1; then
  echo "bench: node not found; the reference parser is not measured"
elif ! bash "$HERE/../scripts/install-reference.sh" "$BUILD_DIR"; then
  echo "bench: the reference parser could not be installed; it is not measured"
else
  echo "bench: reference $(node -p "require('$BUILD_DIR/reference/node_modules/@character-foundry/character-foundry/package.json').version")" \
    "on node $(node --version)"
  node "$HERE/reference_parse.mjs" "$BUILD_DIR/reference" "$CORPUS" "$FIXTURE" "$ROUNDS" "$ITERATIONS" \
    | tee -a "$RESULTS" >/dev/null
fi

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ours = [r for r in rows if r["impl"] == "charchive"]
ref = {r["case"]: r for r in rows if r["impl"] == "reference"}
print(f"\n{'case':<22}{'charchive cards/s':>18}{'MB/s':>9}{'reference cards/s':>19}{'MB/s':>9}{'ratio':>8}")
for r in ours:
    base = ref.get(r["case"].split()[0] + " parse")
    line = f"{r['case']:<22}{r['cards_per_s']:>18,.0f}{r['mb_per_s']:>9,.0f}"
    if base:
        line += f"{base['cards_per_s']:>19,.0f}{base['mb_per_s']:>9,.0f}{r['cards_per_s'] / base['cards_per_s']:>7.1f}x"
    if r["failed"] or (base and base["failed"]):
        line += f"  (failed: ours {r['failed']}, reference {base['failed'] if base else '-'})"
    print(line)
print("ratio = ours / the reference's parseCard, in this run; load = parse + a copy of the PNG bytes;\n"
      "parse+hash = parse + the canonical content hash (the reference computes no hash)\n")
PY

# ---- Other benchmarks ------------------------------------------------------------------
# Each runs only when its binary is built in BUILD_DIR. Add new ones here, in this form.

# Store (bench/store_bench.cc): import of 10,000 generated cards against cp -r, search
# and list latency over 100,000 cards, thumbnails, RSS.
if [ -x "$BUILD_DIR/store_bench" ] && [ "${BENCH_STORE:-1}" != 0 ]; then
  STORE_CARDS=${BENCH_IMPORT_CARDS:-10000}
  STORE_CORPUS="$BUILD_DIR/bench-corpus/import-$STORE_CARDS"
  corpus "$STORE_CORPUS" "$STORE_CARDS" 200
  "$BUILD_DIR/store_bench" "$BUILD_DIR/bench-store" "$STORE_CORPUS" "$FIXTURE" "${BENCH_SEARCH_CARDS:-100000}"
else
  echo "bench: store benchmark skipped ($BUILD_DIR/store_bench not built, or BENCH_STORE=0)"
fi

# Scale (bench/scale_bench.py): an archive of BENCH_SCALE small cards (default 10,000;
# BENCH_SCALE=1000000 is the full run) imported, started, queried over HTTP (1 and 8
# clients on kept-alive connections) and checked by doctor.
if [ -x "$BUILD_DIR/charchive" ] && [ "${BENCH_SCALE:-10000}" != 0 ]; then
  python3 "$HERE/scale_bench.py" "$BUILD_DIR" "${BENCH_SCALE:-10000}"
else
  echo "bench: scale benchmark skipped (charchive not built, or BENCH_SCALE=0)"
fi

# Web UI (bench/ui_bench.sh): first load of / cold and warm, keystroke to grid update at
# 100,000 cards, in Chromium.
if [ "${BENCH_UI:-1}" != 0 ]; then
  bash "$HERE/ui_bench.sh" "$BUILD_DIR"
else
  echo "bench: ui benchmark skipped (BENCH_UI=0)"
fi

# Bulk push (bench/push_bench.sh): to a real SillyTavern against the floor of
# sequential imports by a minimal client, and to a no-op peer.
if [ -x "$BUILD_DIR/noop_peer" ] && [ "${BENCH_PUSH:-1}" != 0 ] && bash "$HERE/../scripts/install-sillytavern.sh" "$BUILD_DIR" >/dev/null; then
  bash "$HERE/push_bench.sh" "$BUILD_DIR"
else
  echo "bench: push benchmark skipped (noop_peer not built, SillyTavern not installed, or BENCH_PUSH=0)"
fi

# No-change sync (bench/sync_bench.sh): 1,000 linked cards synced with a real SillyTavern,
# against one listing of the same cards.
if [ "${BENCH_SYNC:-1}" != 0 ] && bash "$HERE/../scripts/install-sillytavern.sh" "$BUILD_DIR" >/dev/null; then
  bash "$HERE/sync_bench.sh" "$BUILD_DIR"
else
  echo "bench: sync benchmark skipped (SillyTavern not installed, or BENCH_SYNC=0)"
fi

# Hub federation (bench/hub_bench.sh): one archive's cards delivered to a follower,
# against importing the same files locally.
if [ "${BENCH_HUB:-1}" != 0 ]; then
  bash "$HERE/hub_bench.sh" "$BUILD_DIR"
else
  echo "bench: hub benchmark skipped (BENCH_HUB=0)"
fi

# Load (bench/load_bench.sh): wrk on list, search, card and thumbnail over 100,000 cards
# while a bulk push job runs.
if [ -x "$BUILD_DIR/noop_peer" ] && [ "${BENCH_LOAD:-1}" != 0 ]; then
  bash "$HERE/load_bench.sh" "$BUILD_DIR"
else
  echo "bench: load benchmark skipped (noop_peer not built, or BENCH_LOAD=0)"
fi
