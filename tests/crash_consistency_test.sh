#!/usr/bin/env bash
# kill -9 of the server during edits, a pull and a bulk push job, and of the importer
# during an import, CRASH_TRIALS times (10 here; `make soak` runs 50): the store stays
# consistent, no acknowledged write is lost, and what was interrupted completes after a
# restart. The scenarios are in tests/crash_consistency.py; the peer is the fake
# SillyTavern of the UI tests (tests/ui/fake_sillytavern.mjs).
set -euo pipefail
BIN=${1:?usage: crash_consistency_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$SRC/tests/crash_consistency.py" "$BIN" "$SRC/tests/ui/fake_sillytavern.mjs" "${CRASH_TRIALS:-10}" "$WORK"
