#!/usr/bin/env bash
# The trash in the web UI (issue 18), in Debian's Chromium driven by playwright-core
# (ui/node_modules, installed by `make ui`) against a real `charchive serve` with a temporary data
# dir: Delete with Undo (one card and the bulk bar's selection), the Trash view's Restore and
# Empty trash behind a confirmation, each checked in the API. Scenarios in tests/ui/trash.mjs.
set -euo pipefail
BIN=${1:?usage: ui_trash_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin ui_trash_test "make deps && make ui install and build it" /usr/bin/chromium "$SRC/ui/dist/index.html" \
  "$SRC/ui/node_modules/playwright-core/package.json"
archive_start "$BIN" "$WORK/data" ui-trash-token
node "$SRC/tests/ui/trash.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" "$BUILD/screenshots"
