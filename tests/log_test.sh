#!/usr/bin/env bash
# The operator log: a line for every request and every refusal (with its reason),
# JSON lines that parse, and no token, key, password, cookie or query secret in
# it (docs/logging.md). See tests/hostile/logs.py.
set -euo pipefail
BIN=${1:?usage: log_test.sh CHARCHIVE_BINARY}
HERE=$(cd "$(dirname "$0")" && pwd)
exec python3 "$HERE/hostile/logs.py" "$BIN"
