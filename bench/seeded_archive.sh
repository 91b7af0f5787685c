#!/usr/bin/env bash
# Prints the path of a data dir holding COUNT cards made by bench/seed_archive, kept in
# BUILD_DIR/ui-grid-archive/COUNT and made again only when seed_archive.cc or COUNT changed
# (the stamp). Callers copy it before they start a server on it: a server changes its data.
# Used by tests/ui_grid_test.sh and bench/ui_bench.sh.
#
# usage: bench/seeded_archive.sh BUILD_DIR COUNT
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: seeded_archive.sh BUILD_DIR COUNT}" && pwd)
COUNT=${2:?usage: seeded_archive.sh BUILD_DIR COUNT}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="$BUILD_DIR/ui-grid-archive/$COUNT"
stamp="$(sha256sum "$HERE/seed_archive.cc" | cut -c1-16) $COUNT"
if [ "$(cat "$CACHE/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  echo "seeded_archive: making $COUNT cards in $CACHE (once)" >&2
  "$BUILD_DIR/seed_archive" "$CACHE/data" "$COUNT" >&2
  echo "$stamp" >"$CACHE/.stamp"
fi
echo "$CACHE/data"
