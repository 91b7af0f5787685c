#!/usr/bin/env bash
# Installs the reference TypeScript card parser (@character-foundry/character-foundry)
# and the ecosystem's federation library (@character-foundry/federation), pinned, from
# the npm registry into BUILD_DIR/reference, once. Used by the cross-check test, the hub
# interop test and `make bench`.
# - node/npm absent: says so and exits 0 (the cross-check then reports itself skipped).
# - registry unreachable: prints npm's error and exits 1.
# The version is pinned to the newest on the registry when this was written
# (`npm view @character-foundry/character-foundry version`).
set -euo pipefail
BUILD_DIR=${1:?usage: install-reference.sh BUILD_DIR}
VERSION=0.5.0
PKG=@character-foundry/character-foundry
FED_VERSION=0.5.2
FED=@character-foundry/federation
DEST="$BUILD_DIR/reference"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-reference: node/npm not found; the reference cross-check will be skipped"
  exit 0
fi
installed="$DEST/node_modules/$PKG"
fed="$DEST/node_modules/$FED"
if [ -f "$installed/dist/loader.js" ] && grep -q "\"version\": \"$VERSION\"" "$installed/package.json" &&
   [ -f "$fed/dist/index.js" ] && grep -q "\"version\": \"$FED_VERSION\"" "$fed/package.json"; then
  echo "install-reference: $PKG@$VERSION and $FED@$FED_VERSION already in $DEST"
  exit 0
fi
mkdir -p "$DEST"
cat >"$DEST/package.json" <<JSON
{ "name": "charchive-reference", "private": true, "type": "module",
  "dependencies": { "$PKG": "$VERSION", "$FED": "$FED_VERSION" } }
JSON
echo "install-reference: installing $PKG@$VERSION and $FED@$FED_VERSION into $DEST"
if ! (cd "$DEST" && npm install --no-audit --no-fund --loglevel=error >npm.log 2>&1); then
  echo "install-reference: npm install failed (is the npm registry reachable?):"
  tail -20 "$DEST/npm.log"
  exit 1
fi
