#!/usr/bin/env bash
# make bench: generates the corpus once (cached in BUILD_DIR/bench-corpus), runs our
# benchmarks and the reference parser's on the same files in the same run, and
# prints the numbers side by side with their ratio.
# Environment: BENCH_CARDS (default 2000), BENCH_ROUNDS (default 3).
set -euo pipefail
BUILD_DIR=${1:?usage: run.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
CARDS=${BENCH_CARDS:-2000}
ROUNDS=${BENCH_ROUNDS:-3}
CORPUS="$BUILD_DIR/bench-corpus/$CARDS"
FIXTURE="$HERE/../../shared/fixtures/cards/default_Seraphina.png"
RESULTS="$BUILD_DIR/bench-results.jsonl"

if [ ! -f "$CORPUS/.done" ]; then
  echo "bench: generating $CARDS cards into $CORPUS"
  rm -rf "$CORPUS"
  python3 "$HERE/gen_corpus.py" "$CORPUS" "$CARDS"
  touch "$CORPUS/.done"
fi
echo "bench: corpus $(find "$CORPUS" -type f -name 'card*' | wc -l) files, $(du -sh "$CORPUS" | cut -f1)"

: >"$RESULTS"
"$BUILD_DIR/parse_bench" "$CORPUS" "$FIXTURE" "$ROUNDS" | tee -a "$RESULTS" >/dev/null
if command -v node >/dev/null 2>&1; then
  bash "$HERE/../scripts/install-reference.sh" "$BUILD_DIR" >/dev/null
  node "$HERE/reference_parse.mjs" "$BUILD_DIR/reference" "$CORPUS" "$FIXTURE" "$ROUNDS" | tee -a "$RESULTS" >/dev/null
else
  echo "bench: node not found; the reference parser is not measured"
fi

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ours = {r["case"]: r for r in rows if r["impl"] == "charchive"}
ref = {r["case"]: r for r in rows if r["impl"] == "reference"}
print(f"\n{'case':<24}{'charchive cards/s':>18}{'MB/s':>9}{'reference cards/s':>19}{'MB/s':>9}{'ratio':>8}")
for case, r in ours.items():
    base = ref.get(case.replace("+hash", ""))
    line = f"{case:<24}{r['cards_per_s']:>18,.0f}{r['mb_per_s']:>9,.0f}"
    if base:
        line += f"{base['cards_per_s']:>19,.0f}{base['mb_per_s']:>9,.0f}{r['cards_per_s'] / base['cards_per_s']:>7.1f}x"
    if r["failed"] or (base and base["failed"]):
        line += f"  (failed: ours {r['failed']}, reference {base['failed'] if base else '-'})"
    print(line)
print("(+hash rows compare our parse + content hash with the reference's parse alone)")
PY

# The store: import of 10,000 generated cards against cp -r, search and list
# latency over 100,000 cards, thumbnails, RSS.
STORE_CARDS=${BENCH_IMPORT_CARDS:-10000}
STORE_CORPUS="$BUILD_DIR/bench-corpus/import-$STORE_CARDS"
if [ ! -f "$STORE_CORPUS/.done" ]; then
  echo "bench: generating $STORE_CARDS import cards into $STORE_CORPUS"
  rm -rf "$STORE_CORPUS"
  python3 "$HERE/gen_corpus.py" "$STORE_CORPUS" "$STORE_CARDS" 200
  touch "$STORE_CORPUS/.done"
fi
"$BUILD_DIR/store_bench" "$BUILD_DIR/bench-store" "$STORE_CORPUS" "$FIXTURE" "${BENCH_SEARCH_CARDS:-100000}"
