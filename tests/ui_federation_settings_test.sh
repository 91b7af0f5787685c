#!/usr/bin/env bash
# The Federation modal's Test Connection tests what is typed (issue 18), in Debian's Chromium
# driven by playwright-core against a real `charchive serve` and the stand-in SillyTavern
# (tests/ui/fake_sillytavern.mjs): a wrong URL typed fails, the right one passes, and nothing is
# saved until Save; a blank password field tests with the saved one. Scenarios in
# tests/ui/federation_settings.mjs.
set -euo pipefail
BIN=${1:?usage: ui_federation_settings_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin ui_federation_settings_test "make deps && make ui install and build it" /usr/bin/chromium \
  "$SRC/ui/dist/index.html" "$SRC/ui/node_modules/playwright-core/package.json"
fake_sillytavern_start ST
archive_start "$BIN" "$WORK/data" ui-federation-settings-token
node "$SRC/tests/ui/federation_settings.mjs" "$SRC/ui/node_modules/playwright-core" "$BASE" "$TOKEN" "$ST" \
  "$BUILD/screenshots"
