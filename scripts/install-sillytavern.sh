#!/usr/bin/env bash
# Installs SillyTavern 1.19.0 from the npm registry into BUILD_DIR/sillytavern/st, once,
# for the end-to-end suites (tests/e2e/sillytavern.sh) and `make bench`.
#
# The npm tarball (scripts/sillytavern-package.sh) is unpacked and its production
# dependencies installed inside it (docs/peers.md, "Running SillyTavern"), so SillyTavern runs from its own
# package directory exactly as a git clone does. The stamp BUILD_DIR/sillytavern/.installed
# is written last and names the version and tarball checksum, so its presence proves a
# complete install; a re-run that finds it returns at once. Concurrent runs (CTest -j) wait
# on a lock; the second one finds the stamp.
#
# After installing, SillyTavern is started once and stopped so that webpack's cache of its
# frontend bundle exists (<package>/dist/_webpack when /.dockerenv exists, otherwise
# <dataRoot>/_webpack, which the harness links to one shared BUILD_DIR/sillytavern/webpack-cache)
# — every later start is then ~3 s instead of ~19 s. See tests/e2e/README.md.
#
# Exit 1, with the reason, when node/npm are missing or too old or the registry cannot be
# reached: the suites must not be skipped silently.
set -euo pipefail
BUILD_DIR=${1:?usage: install-sillytavern.sh BUILD_DIR}
VERSION=1.19.0
# The package's checksum, as scripts/sillytavern-package.sh checks it.
SHASUM=ebbaf4327e683afd6db7df4c0138d048ffc5c370
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$BUILD_DIR/sillytavern"
BASE=$(cd "$BUILD_DIR/sillytavern" && pwd)
DEST="$BASE/st"
STAMP="$BASE/.installed"
WANT="sillytavern@$VERSION $SHASUM"

say() { echo "install-sillytavern: $*"; }

if [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ] && [ -f "$DEST/server.js" ]; then
  say "SillyTavern $VERSION already in $DEST"
  exit 0
fi

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool not found; SillyTavern $VERSION needs Node.js >= 20 and npm"; exit 1; }
done
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  say "Node.js $(node --version) is too old; SillyTavern $VERSION needs >= 20"
  exit 1
fi

exec 9>"$BASE/.install.lock"
flock 9
# Another run may have finished while this one waited for the lock.
if [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ] && [ -f "$DEST/server.js" ]; then
  say "SillyTavern $VERSION already in $DEST"
  exit 0
fi

rm -f "$STAMP"
WORK=$(mktemp -d "$BASE/.install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
say "installing SillyTavern $VERSION from the npm registry into $DEST"
started=$(date +%s)
tarball=$(bash "$HERE/sillytavern-package.sh" "$BUILD_DIR")
mkdir "$WORK/st"
tar xzf "$tarball" -C "$WORK/st" --strip-components=1
if ! (cd "$WORK/st" && npm install --omit=dev --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1); then
  say "npm install of SillyTavern's dependencies failed (is the npm registry reachable?):"
  tail -20 "$WORK/npm.log"
  exit 1
fi
rm -rf "$DEST" "$BASE/webpack-cache"
mv "$WORK/st" "$DEST"
echo "$WANT" >"$STAMP"
say "installed in $(( $(date +%s) - started )) s"

# Pre-warm webpack's cache with one start and stop.
started=$(date +%s%N)
# shellcheck source=../tests/e2e/sillytavern.sh
CHARCHIVE_BUILD_DIR="$BUILD_DIR" source "$HERE/../tests/e2e/sillytavern.sh"
# fd 9 (the install lock) must not be inherited by the server or its watcher.
if st_start 9>&-; then
  st_stop
  elapsed=$(( ($(date +%s%N) - started) / 100000000 ))
  say "first start and stop (webpack cache built) took $((elapsed / 10)).$((elapsed % 10)) s"
else
  st_stop
  say "the first start of SillyTavern failed; its log is above"
  exit 1
fi
