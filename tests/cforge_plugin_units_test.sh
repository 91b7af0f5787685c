#!/usr/bin/env bash
# Unit tests of the CForge plugin's modules (PNG chunks, CRC, names): node --test.
# Skipped (exit 77) only where Node is absent; the end-to-end test is cforge_plugin_test.sh.
set -euo pipefail
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node not found"
  exit 77
fi
node --test "$SRC/tests/cforge_plugin_units.mjs"
