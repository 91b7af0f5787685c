#!/usr/bin/env bash
# Replays every ```curl example of docs/api.md, in order, against a real
# `charchive serve` on a free loopback port with a fresh data dir, and checks the
# status each example's "# expect" line names.
set -euo pipefail
BIN=${1:?usage: api_docs_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
WORK=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
export TOKEN="docs-test-token" FIXTURE="$FIXTURES/default_Seraphina.png"
CHARCHIVE_TOKEN="$TOKEN" serve_on 0 "$BIN" "$WORK/data"
export BASE="http://127.0.0.1:$PORT"

# Extract the examples: "expected<TAB>command" per line.
python3 - "$SRC/docs/api.md" >"$WORK/examples.tsv" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for block in re.findall(r"```curl\n(.*?)```", text, re.S):
    lines = block.strip().splitlines()
    expect = re.match(r"# expect (\d+)", lines[0]).group(1)
    command = " ".join(l.rstrip("\\").strip() for l in lines[1:])
    print(f"{expect}\t{command}")
PY

pass=0
fail=0
cd "$WORK"
while IFS=$'\t' read -r expect command; do
  # curl as the examples call it, plus -s and the status on stdout.
  status=$(eval "command ${command/curl/curl -s -o $WORK/body -w '%{http_code}'}" || true)
  if [ "$status" = "$expect" ]; then
    pass=$((pass + 1))
    echo "ok - $status $command"
  else
    fail=$((fail + 1))
    echo "FAILED - expected $expect, got $status: $command"
    head -c 300 "$WORK/body" 2>/dev/null; echo
  fi
  # The first upload's id and its first version feed the later examples.
  if [ -z "${ID:-}" ] && grep -q '"id"' "$WORK/body" 2>/dev/null; then
    export ID=$(python3 -c 'import json; print(json.load(open("'"$WORK/body"'"))["results"][0]["id"])' 2>/dev/null || true)
    export VID=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/cards/$ID/versions" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["versions"][-1]["id"])' 2>/dev/null || true)
  fi
done <"$WORK/examples.tsv"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
