#!/usr/bin/env bash
# The web UI benchmark (make bench; BENCH_UI=0 skips it): an archive of BENCH_UI_CARDS
# generated cards (100,000 by default; bench/seed_archive, kept by bench/seeded_archive.sh)
# served by `charchive serve`, and Debian's Chromium through playwright-core (ui/node_modules)
# measuring the first load of / cold and warm and the time from a keystroke in the search box
# to the grid's update (bench/ui_bench.mjs). Prints one line per measurement, one JSON line
# (`ui: {...}`) and the server's statuses for GET /.
#
# usage: bench/ui_bench.sh BUILD_DIR
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: ui_bench.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
CARDS=${BENCH_UI_CARDS:-100000}
# shellcheck source=../tests/e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
for need in /usr/bin/chromium "$SRC/ui/dist/index.html" "$SRC/ui/node_modules/playwright-core/package.json" \
  "$BUILD_DIR/seed_archive" "$BUILD_DIR/charchive"; do
  [ -e "$need" ] || { echo "bench: ui benchmark skipped ($need is missing: make deps && make build)"; exit 0; }
done
DATA=$(bash "$HERE/seeded_archive.sh" "$BUILD_DIR" "$CARDS")
[ -w /dev/shm ] && export TMPDIR=/dev/shm  # the copy of the archive in memory, off the disk
suite_begin ui_bench ""
cp -a "$DATA" "$WORK/data"
echo "bench: ui: $CARDS cards; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
archive_start "$BUILD_DIR/charchive" "$WORK/data" ui-bench-token
node "$HERE/ui_bench.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" "$CARDS"
# What the server answered (its request log): the warm load's index.html is a 304.
echo "bench: ui: the server's answers to GET /: $(grep -o 'method=GET path=/ status=[0-9]*' "$WORK/data.log" | sed 's/.*status=//' | sort | uniq -c | tr '\n' ' ')"
