#!/usr/bin/env bash
# Library management in the web UI (issue 18), in Debian's Chromium driven by playwright-core
# (ui/node_modules, installed by `make ui`) against a real `charchive serve` with a temporary data
# dir: the tag manager (counts, rename, merge, delete) and the bulk bar's tag edit and favorites,
# each checked in the API; the statistics page; duplicates and related cards. Scenarios in tests/ui/library.mjs.
set -euo pipefail
BIN=${1:?usage: ui_library_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin ui_library_test "make deps && make ui install and build it" /usr/bin/chromium "$SRC/ui/dist/index.html" \
  "$SRC/ui/node_modules/playwright-core/package.json"
archive_start "$BIN" "$WORK/data" ui-library-token
node "$SRC/tests/ui/library.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" "$BUILD/screenshots" "$WORK"
