#!/usr/bin/env bash
# Accessibility of the web UI (issue 18): axe-core from ui/node_modules (installed by `make ui`)
# in Debian's Chromium against a real `charchive serve`: the login, the grid, a card, the editor,
# Federation, History, Tags, Statistics and Duplicates, in both themes, with no serious or critical violation. Scenarios in
# tests/ui/a11y.mjs.
set -euo pipefail
BIN=${1:?usage: ui_a11y_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
AXE="$SRC/ui/node_modules/axe-core/axe.min.js"
suite_begin ui_a11y_test "make deps && make ui; scripts/make-fixtures.sh" /usr/bin/chromium "$SRC/ui/dist/index.html" \
  "$SRC/ui/node_modules/playwright-core/package.json" "$AXE" "$FIXTURES/default_Seraphina.png"
archive_start "$BIN" "$WORK/data" ui-a11y-token
node "$SRC/tests/ui/a11y.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" \
  "$FIXTURES/default_Seraphina.png" "$AXE"
