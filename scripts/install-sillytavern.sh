#!/usr/bin/env bash
# Installs SillyTavern 1.19.0 from the npm registry into BUILD_DIR/sillytavern/st,
# once, the way a git clone is laid out (shared/peers/sillytavern.md §7.1,
# option A: npm pack, untar, npm install --omit=dev), then starts it once so
# its webpack bundle is built and cached (a cold start takes ~17 s, a warm one
# ~4 s). Used by the SillyTavern end-to-end tests and `make bench`.
# - A stamp file marks a complete install; a re-run is a fast no-op.
# - node/npm missing or the registry unreachable: says so and exits 1. The
#   tests that need SillyTavern fail rather than skip.
set -euo pipefail
BUILD_DIR=${1:?usage: install-sillytavern.sh BUILD_DIR}
mkdir -p "$BUILD_DIR" && BUILD_DIR="$(cd "$BUILD_DIR" && pwd)"
VERSION=1.19.0
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$BUILD_DIR/sillytavern"
ST="$DEST/st"
STAMP="$DEST/installed-$VERSION"

if [ -f "$STAMP" ] && [ -f "$ST/server.js" ]; then
  echo "install-sillytavern: SillyTavern $VERSION already in $ST"
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-sillytavern: node and npm are needed (run scripts/install-deps.sh)" >&2
  exit 1
fi
echo "install-sillytavern: installing SillyTavern $VERSION from the npm registry into $ST"
rm -rf "$DEST"
mkdir -p "$DEST"
if ! (cd "$DEST" && npm pack "sillytavern@$VERSION" --loglevel=error >npm-pack.log 2>&1); then
  echo "install-sillytavern: npm pack sillytavern@$VERSION failed (is the npm registry reachable?):" >&2
  tail -20 "$DEST/npm-pack.log" >&2
  exit 1
fi
mkdir -p "$ST"
tar xzf "$DEST/sillytavern-$VERSION.tgz" -C "$ST" --strip-components=1
rm -f "$DEST/sillytavern-$VERSION.tgz"
if ! (cd "$ST" && npm install --omit=dev --no-audit --no-fund --loglevel=error >"$DEST/npm-install.log" 2>&1); then
  echo "install-sillytavern: npm install failed (is the npm registry reachable?):" >&2
  tail -20 "$DEST/npm-install.log" >&2
  exit 1
fi

# One start builds the webpack bundle into the install, so tests start warm.
# shellcheck source=../tests/e2e/sillytavern.sh
CHARCHIVE_BUILD_DIR="$BUILD_DIR" source "$ROOT/tests/e2e/sillytavern.sh"
started=$(date +%s)
st_start
echo "install-sillytavern: first (cold) start took $(( $(date +%s) - started )) s"
st_stop
touch "$STAMP"
