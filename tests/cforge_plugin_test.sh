#!/usr/bin/env bash
# The CForge plugin (integrations/sillytavern-cforge) inside the real SillyTavern 1.19.0,
# driven by tests/cforge_plugin.mjs in three servers:
# - CSRF on, no token: probe; import of the Seraphina fixture with its image (byte for byte
#   what SillyTavern's own write() makes; listed once by /api/characters/all with the same
#   data); overwrite in place; no-overwrite collision -> <base>_1; unicode name; names that
#   collide after sanitizing; concurrent imports of one name; traversal -> 400 and nothing
#   written outside; invalid input -> 400; /cards and /cards/:file against SillyTavern's own
#   view and the bytes on disk; DELETE to the trash; POST/DELETE without the CSRF token -> 403.
# - CFORGE_TOKEN set, CSRF off: 401 without or with a wrong token, both token headers work.
# - Basic auth on, token in X-CForge-Token, CSRF on.
# Fails (never skips) when SillyTavern cannot be installed.
set -euo pipefail
BIN=${1:?usage: cforge_plugin_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
export CHARCHIVE_BUILD_DIR=${CHARCHIVE_BUILD_DIR:-$SRC/build}
export FIXTURE="$FIXTURES/default_Seraphina.png"
: "$BIN"

bash "$SRC/scripts/install-sillytavern.sh" "$CHARCHIVE_BUILD_DIR"
source "$SRC/tests/e2e/sillytavern.sh"
export ST_DIR
trap st_stop EXIT
rc=0

# run SCENARIO: the client against the running server; on failure, the server's log tail.
run() {
  local t0=$SECONDS
  if ! node "$SRC/tests/cforge_plugin.mjs" "$1"; then
    rc=1
    echo "# SillyTavern's log ($ST_LOG), last lines:"
    tail -30 "$ST_LOG" | sed 's/^/#   /'
  fi
  echo "# $1 scenario took $((SECONDS - t0)) s"
}

st_start --plugin
run csrf
st_stop

CFORGE_TOKEN=token-$RANDOM$RANDOM
export CFORGE_TOKEN
st_start --plugin --no-csrf
run token
st_stop

export ST_BASIC='archive:pa55'
st_start --plugin --basic-auth "$ST_BASIC"
run basic
st_stop

exit "$rc"
