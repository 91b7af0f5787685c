#!/usr/bin/env bash
# The server against hostile HTTP clients (tests/hostile/http_hostile.py):
# oversized bodies, slow-loris, malformed requests, path traversal, SQL/FTS
# syntax in query parameters, auth on every /api route, the login limit and
# the security headers.
set -euo pipefail
BIN=${1:?usage: http_hostile_test.sh CHARCHIVE_BINARY}
HERE=$(cd "$(dirname "$0")" && pwd)
exec python3 "$HERE/hostile/http_hostile.py" "$BIN" "$HERE/../src"
