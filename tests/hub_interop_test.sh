#!/usr/bin/env bash
# HTTP Signatures and interop with @character-foundry/federation (tests/hub_interop.mjs)
# against a real `charchive serve --public-url` with three cards it publishes once followed: unsigned,
# wrongly signed, tampered, stale, digest-less, replayed and signed-for-another-Host inbox
# requests are refused with 401 and store nothing, and a refusal whose key cannot be fetched
# tells the sender no address or error; a Follow signed by the library waits for the owner,
# who accepts it; what the node delivers verifies with the library's verifier in strict mode
# and parses with its parseActivity/cardFromActivityPub; its actor and WebFinger satisfy its
# handlers; the follower's Update of a card of the node is kept as a suggestion (the card is
# unchanged) and its Create is refused, since the node does not follow it.
# Skipped (exit 77) only where Node is absent.
set -euo pipefail
BIN=${1:?usage: hub_interop_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$SRC/build}
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node not found; the interop test needs Node.js"
  exit 77
fi
bash "$SRC/scripts/install-reference.sh" "$BUILD" >/dev/null
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin hub_interop_test

python3 "$SRC/bench/gen_push_cards.py" "$FIXTURES/default_Seraphina.png" "$WORK/cards" 3
"$BIN" import --data "$WORK/data" "$WORK/cards" >/dev/null
archive_start "$BIN" "$WORK/data" interop-token --public
node "$SRC/tests/hub_interop.mjs" "$BASE" "$TOKEN" "$BUILD/reference"
