#!/usr/bin/env bash
# Platform API keys and passwords appear in no API response, CLI output, log
# line or data dir file, even when a peer echoes them back. See tests/hostile/secrets.py.
set -euo pipefail
BIN=${1:?usage: secrets_test.sh CHARCHIVE_BINARY}
HERE=$(cd "$(dirname "$0")" && pwd)
exec python3 "$HERE/hostile/secrets.py" "$BIN"
