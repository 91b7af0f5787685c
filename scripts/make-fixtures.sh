#!/usr/bin/env bash
# Makes the test fixtures in BUILD_DIR/fixtures/cards, once:
#   default_Seraphina.png  the card SillyTavern's npm package ships
#                          (default/content/default_Seraphina.png), checked by sha256.
# The unit tests find them beside their binaries; the shell suites, the benchmarks
# and fuzz/run.sh read them from BUILD_DIR/fixtures.
set -euo pipefail
BUILD_DIR=${1:?usage: make-fixtures.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
DEST="$BUILD_DIR/fixtures/cards"
SERAPHINA_SHA256=8a71e8270f54fafbccf905b1bdf053a6a55f57bea89c01fcd8c0e87ee76a2d52

have() { [ -f "$DEST/$1" ] && [ "$(sha256sum "$DEST/$1" | cut -d' ' -f1)" = "$2" ]; }

if have default_Seraphina.png "$SERAPHINA_SHA256"; then exit 0; fi
mkdir -p "$DEST"
tarball=$(bash "$HERE/sillytavern-package.sh" "$BUILD_DIR")
tmp=$(mktemp -d "$DEST/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar xzf "$tarball" -C "$tmp" package/default/content/default_Seraphina.png
got=$(sha256sum "$tmp/package/default/content/default_Seraphina.png" | cut -d' ' -f1)
if [ "$got" != "$SERAPHINA_SHA256" ]; then
  echo "make-fixtures: default_Seraphina.png has sha256 $got, expected $SERAPHINA_SHA256" >&2
  exit 1
fi
mv "$tmp/package/default/content/default_Seraphina.png" "$DEST/default_Seraphina.png"
echo "make-fixtures: $DEST/default_Seraphina.png from SillyTavern's npm package"
