#!/usr/bin/env bash
# The server against hostile peers (tests/hostile/peer_hostile.py): every platform and
# card source pointed at a peer answering with deep JSON, endless headers, trickled and
# huge bodies and wrong types; each ends in a clear error of its kind, /api/health keeps
# answering within 1 s, RSS stays bounded and the card store is unchanged.
set -euo pipefail
BIN=${1:?usage: peer_hostile_test.sh CHARCHIVE_BINARY [MODE...]}
HERE=$(cd "$(dirname "$0")" && pwd)
exec python3 "$HERE/hostile/peer_hostile.py" "$@"
