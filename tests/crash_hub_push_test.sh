#!/usr/bin/env bash
# kill -9 of an archive during a push job to another archive (platform `archive`,
# ActivityPub), CRASH_TRIALS times (3 here): the resumed job adopts what reached the hub,
# ends done, and no card is left in `error` or twice on either node
# (tests/crash_hub_push.py).
set -euo pipefail
BIN=${1:?usage: crash_hub_push_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$SRC/tests/crash_hub_push.py" "$BIN" "${CRASH_TRIALS:-3}" "$WORK"
