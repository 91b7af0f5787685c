#!/usr/bin/env bash
# The web UI in a real browser: Debian's Chromium driven by playwright-core
# (ui/node_modules, installed by `make ui`) against a real `charchive serve`
# with a temporary data dir, and a small fake SillyTavern for the sync parts
# (tests/ui/fake_sillytavern.mjs), a second archive as a hub node for the hub
# parts, the fake Chub (build/fake_hubs) for the card sources and the fake Character
# Architect (build/fake_hubs architect) for the item-by-item conflict view. Scenarios in tests/ui/browser.mjs;
# the card editor's (issue 18) in tests/ui/editor.mjs, against an archive of its own.
set -euo pipefail
BIN=${1:?usage: ui_browser_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin ui_browser_test "make deps && make ui install and build it" /usr/bin/chromium "$SRC/ui/dist/index.html" \
  "$SRC/ui/node_modules/playwright-core/package.json"
fake_sillytavern_start ST
fake_hub_start chub CHUB --page-cap 2
fake_hub_start architect ARCHITECT
archive_start "$BIN" "$WORK/hub" ui-browser-hub-token --public
PIDS+=("$SERVER")
HUB_BASE=$BASE
SHOTS="${CHARCHIVE_BUILD_DIR:-$SRC/build}/screenshots"
archive_start "$BIN" "$WORK/editor" ui-editor-token
PIDS+=("$SERVER")
mkdir -p "$WORK/editor-files"
editor_status=0
node "$SRC/tests/ui/editor.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" "$BIN" \
  "$FIXTURES/default_Seraphina.png" "$WORK/editor-files" "$SHOTS" || editor_status=$?
[ "${UI_EDITOR_ONLY:-0}" = 1 ] && exit "$editor_status"  # a quicker loop while working on the editor
archive_start "$BIN" "$WORK/data" ui-browser-token
node "$SRC/tests/ui/browser.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" "$BIN" \
  "$FIXTURES/default_Seraphina.png" "$ST" "$WORK" \
  "$SHOTS" "$HUB_BASE" ui-browser-hub-token "$CHUB" "$ARCHITECT"
exit "$editor_status"
