#!/usr/bin/env bash
# Fetches SillyTavern's npm package (the tarball, checked against its published
# sha1) into BUILD_DIR/sillytavern/, once, and prints its path. Used by
# install-sillytavern.sh (the end-to-end peer) and make-fixtures.sh (the fixture
# card the package ships). Exit 1 with the reason when npm or the registry fails.
set -euo pipefail
BUILD_DIR=${1:?usage: sillytavern-package.sh BUILD_DIR}
VERSION=1.19.0
# `npm view sillytavern@1.19.0 dist.shasum`
SHASUM=ebbaf4327e683afd6db7df4c0138d048ffc5c370
mkdir -p "$BUILD_DIR/sillytavern"
BASE=$(cd "$BUILD_DIR/sillytavern" && pwd)
TARBALL="$BASE/sillytavern-$VERSION.tgz"

checked() { [ -f "$TARBALL" ] && [ "$(sha1sum "$TARBALL" | cut -d' ' -f1)" = "$SHASUM" ]; }

if ! checked; then
  command -v npm >/dev/null 2>&1 || { echo "sillytavern-package: npm not found" >&2; exit 1; }
  WORK=$(mktemp -d "$BASE/.pack.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  if ! (cd "$WORK" && npm pack "sillytavern@$VERSION" --no-audit --no-fund --loglevel=error >pack.log 2>&1); then
    echo "sillytavern-package: npm pack sillytavern@$VERSION failed (is the npm registry reachable?):" >&2
    tail -20 "$WORK/pack.log" >&2
    exit 1
  fi
  got=$(sha1sum "$WORK/sillytavern-$VERSION.tgz" | cut -d' ' -f1)
  if [ "$got" != "$SHASUM" ]; then
    echo "sillytavern-package: sillytavern-$VERSION.tgz has sha1 $got, expected $SHASUM" >&2
    exit 1
  fi
  mv "$WORK/sillytavern-$VERSION.tgz" "$TARBALL"
fi
echo "$TARBALL"
