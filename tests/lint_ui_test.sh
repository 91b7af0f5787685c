#!/usr/bin/env bash
# The web UI's static checks: `npm run typecheck` (tsc --noEmit) and `npm run lint`
# (ESLint with --max-warnings=0, so a warning fails too) in ui/. Installs the UI's
# dev dependencies first when ui/node_modules is missing or older than
# ui/package-lock.json (the Makefile's `ui` target decides the same way).
# The argument (the charchive binary, passed to every shell suite) is not used.
# Exit 77 (skipped) only when npm is not installed.
set -uo pipefail
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
command -v npm >/dev/null 2>&1 || { echo "lint_ui_test: npm is not installed; skipped"; exit 77; }
cd "$SRC/ui" || exit 1
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || { echo "lint_ui_test: npm ci failed"; exit 1; }
fi
failed=()
for script in typecheck lint; do
  npm run --silent "$script" || failed+=("$script")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "lint_ui_test: FAILED: npm run ${failed[*]}"
  exit 1
fi
echo "lint_ui_test: typecheck and lint clean"
