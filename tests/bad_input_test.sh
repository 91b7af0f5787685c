#!/usr/bin/env bash
# Every file of the hostile corpus (tests/bad/make_bad.py, written into the
# build dir) is refused by `charchive import` and by POST /api/cards with its
# own error kind, bounded memory, and nothing written. See tests/hostile/bad_input.py.
set -euo pipefail
BIN=${1:?usage: bad_input_test.sh CHARCHIVE_BINARY}
HERE=$(cd "$(dirname "$0")" && pwd)
CORPUS=${CHARCHIVE_BUILD_DIR:-$(mktemp -d)}/bad-corpus
if [ ! -f "$CORPUS/manifest.json" ] || [ "$HERE/bad/make_bad.py" -nt "$CORPUS/manifest.json" ]; then
  python3 "$HERE/bad/make_bad.py" "$CORPUS"
fi
exec python3 "$HERE/hostile/bad_input.py" "$BIN" "$CORPUS"
