#!/usr/bin/env bash
# The web UI's grid at 100,000 cards and on a phone (issue 18), in Debian's Chromium driven
# by playwright-core (ui/node_modules, installed by `make ui`) against a real `charchive serve`
# over an archive made by bench/seed_archive (built beside the binary; made once and kept in
# BUILD/ui-grid-archive by bench/seeded_archive.sh, copied for each run): the grid keeps only
# the rows on screen in the DOM while it scrolls to the end, a card at the end opens (and
# has its URL), keys and selection work on tiles fetched as they came into view; at 390x844
# with touch, the filters are folded, selection mode selects by tapping with the bulk bar in
# sight, and the history table fits. Scenarios in tests/ui/grid.mjs. UI_GRID_CARDS sets the
# archive's size (100,000 by default).
set -euo pipefail
BIN=${1:?usage: ui_grid_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}
CARDS=${UI_GRID_CARDS:-100000}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
# In memory when there is a tmpfs: the copy and the server's reads of 100,000 cards stay off the disk.
[ -w /dev/shm ] && export TMPDIR=/dev/shm
suite_begin ui_grid_test "make deps && make build install and build it" /usr/bin/chromium "$SRC/ui/dist/index.html" \
  "$SRC/ui/node_modules/playwright-core/package.json" "$BUILD/seed_archive"
DATA=$(bash "$SRC/bench/seeded_archive.sh" "$BUILD" "$CARDS")
cp -a "$DATA" "$WORK/data"
archive_start "$BIN" "$WORK/data" ui-grid-token
node "$SRC/tests/ui/grid.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" "$BUILD/screenshots" "$CARDS"
