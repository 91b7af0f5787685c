#!/usr/bin/env bash
# CardsHub in the web UI (issue 21), in Debian's Chromium driven by playwright-core (ui/node_modules,
# installed by `make ui`) against a real `charchive serve` and the fake CardsHub
# (tests/fakes/fake_cardshub.cc, run by build/fake_hubs): the Federation modal's CardsHub panel, and
# a card's Sync tab with the copy's slug, visibility, downloads and favorites, "Publish as new card"
# after a refused push, visibility and unpublish; the fake's state is checked after each step.
# Scenarios in tests/ui/cardshub.mjs.
set -euo pipefail
BIN=${1:?usage: ui_cardshub_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin ui_cardshub_test "make deps && make ui && make build" /usr/bin/chromium "$SRC/ui/dist/index.html" \
  "$SRC/ui/node_modules/playwright-core/package.json" "$BUILD/fake_hubs"
fake_hub_start cardshub HUB
archive_start "$BIN" "$WORK/data" ui-cardshub-token
node "$SRC/tests/ui/cardshub.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" "$HUB" \
  "$BUILD/screenshots"
