#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, from a seed corpus
# (the fixture cards plus small generated cards). Prints each run's executions;
# exits 1 if any target found a crash (the reproducer is left in BUILD_DIR/crashes).
set -euo pipefail
BUILD_DIR=${1:?usage: run.sh BUILD_DIR SECONDS}
SECONDS_EACH=${2:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
# The fixture cards `make fixtures` puts in the main build tree.
FIXTURES=${FIXTURES:-$HERE/../build/fixtures/cards}
SEEDS="$BUILD_DIR/seeds"
mkdir -p "$SEEDS" "$BUILD_DIR/crashes"
cp "$FIXTURES"/* "$SEEDS/" 2>/dev/null || true
python3 "$HERE/make_seeds.py" "$SEEDS"

# UBSan only prints by default; make undefined behaviour a finding like a crash.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

status=0
for target in png_card_fuzz card_json_fuzz charx_fuzz card_file_fuzz inflate_fuzz activity_fuzz multipart_upload_fuzz actor_document_fuzz peer_answer_fuzz; do
  corpus="$BUILD_DIR/corpus/$target"
  mkdir -p "$corpus"
  log="$BUILD_DIR/$target.log"
  echo "== $target: ${SECONDS_EACH}s"
  if "$BUILD_DIR/$target" "$corpus" "$SEEDS" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
      -max_len=1048576 -timeout=10 -artifact_prefix="$BUILD_DIR/crashes/$target-" -print_final_stats=1 >"$log" 2>&1; then
    grep -E "stat::number_of_executed_units|cov:" "$log" | tail -2
  else
    echo "!! $target found a problem; see $log"
    grep -E "ERROR|SUMMARY|runtime error|artifact" "$log" | head -5
    status=1
  fi
done
exit $status
