#!/usr/bin/env bash
# `make install` makes a program that stands alone (README "Install"):
# - `cmake --install BUILD --prefix P` puts bin/charchive, the built UI under
#   share/charchive/ui and dist/'s systemd unit and settings under share/charchive/examples;
# - the prefix, moved elsewhere, still works: `charchive --version`, and `serve` (started
#   from / with no --ui) serves the installed UI's index and assets and the API;
# - where a mount namespace can be made, the same server runs with the source tree
#   hidden under an empty tmpfs, so nothing it serves comes from the checkout.
set -euo pipefail
BIN=${1:?usage: install_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
suite_begin install_test
if [ ! -f "$SRC/ui/dist/index.html" ]; then
  echo "install_test: the UI is not built (make ui)"; exit 1
fi

cmake --install "$BUILD" --prefix "$WORK/prefix" >"$WORK/install.log"
mv "$WORK/prefix" "$WORK/moved"
P="$WORK/moved"
version=$("$P/bin/charchive" --version)
version_is_named() { [[ "$version" =~ ^charchive\ [0-9]+\.[0-9]+\.[0-9]+ ]]; }
check "--version names the program and its version" version_is_named
check "the UI is installed under share/charchive/ui" test -f "$P/share/charchive/ui/index.html"
check "the systemd unit runs the installed binary" \
  grep -q "ExecStart=$WORK/prefix/bin/charchive serve" "$P/share/charchive/examples/charchive.service"
check "the sample settings are installed" grep -q '^CHARCHIVE_DATA=' "$P/share/charchive/examples/charchive.conf"

asset=$(cd "$P/share/charchive/ui" && ls assets/*.js | head -1)
serves_installed_ui() {
  curl -sf "$BASE/" -o "$WORK/index.html" && cmp -s "$WORK/index.html" "$P/share/charchive/ui/index.html" &&
    curl -sf "$BASE/$asset" -o "$WORK/asset" && cmp -s "$WORK/asset" "$P/share/charchive/ui/$asset" &&
    [ "$(api GET /api/cards | field 'd["total"]')" = 0 ]
}
cd /
archive_start "$P/bin/charchive" "$WORK/data2" install-token
check "the moved install serves its UI, its assets and the API" serves_installed_ui
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=

unshare_args=(-m --propagation private)
[ "$(id -u)" -ne 0 ] && unshare_args=(-r "${unshare_args[@]}")
if unshare "${unshare_args[@]}" true 2>/dev/null; then
  port_file="$WORK/hidden.port"  # outside the hidden tree
  unshare "${unshare_args[@]}" bash -c \
    'mount -t tmpfs tmpfs "$1" && CHARCHIVE_TOKEN=install-token exec "$2" serve --data "$3" --port 0 --port-file "$4"' \
    _ "$SRC" "$P/bin/charchive" "$WORK/data3" "$port_file" >"$WORK/hidden.log" 2>&1 &
  SERVER=$!
  BASE=
  if wait_until 60 test -s "$port_file"; then BASE="http://127.0.0.1:$(cat "$port_file")"; fi
  check "with the source tree hidden, the install still serves its UI and the API" serves_installed_ui
else
  echo "# skipped: no mount namespace here, the source tree is not hidden"
fi
finish
