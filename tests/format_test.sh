#!/usr/bin/env bash
# Every C++ file of the project (src/, tests/, bench/, fuzz/) is formatted as
# .clang-format says (clang-format --dry-run -Werror). To fix one:
#   clang-format -i FILE
set -euo pipefail
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$SRC"
if ! command -v clang-format >/dev/null 2>&1; then
  echo "format_test: clang-format not found (scripts/install-deps.sh installs it)"
  exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h')
else
  mapfile -t files < <(find src tests bench fuzz -name '*.cc' -o -name '*.h' | sort)
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ "${#bad[@]}" -gt 0 ]; then
  echo "format_test: ${#bad[@]} of ${#files[@]} files are not formatted; run: clang-format -i ${bad[*]}"
  exit 1
fi
echo "format_test: ${#files[@]} files formatted"
