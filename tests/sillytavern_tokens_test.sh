#!/usr/bin/env bash
# The UI's token counts against SillyTavern's (issue 18): a real SillyTavern 1.19.0 (from the
# npm registry, started on loopback by tests/e2e/sillytavern.sh) counts the same cards' fields
# with its own tokenizer endpoint, and tests/tokens_vs_sillytavern.mjs counts them with the
# UI's tokenizer (gpt-tokenizer's cl100k_base from ui/node_modules); each field, the total and
# the permanent part agree within 2 %. The cards: the Seraphina fixture, and one made here with
# accents, CJK, emoji and markup. (Text holding a special token such as <|endoftext|> is left
# out: SillyTavern's endpoint fails on it and answers 0, where the UI counts it as plain text.)
set -euo pipefail
BIN=${1:?usage: sillytavern_tokens_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
export CHARCHIVE_BUILD_DIR=${CHARCHIVE_BUILD_DIR:-$SRC/build}
FIXTURES="$CHARCHIVE_BUILD_DIR/fixtures/cards"  # scripts/make-fixtures.sh
# shellcheck source=e2e/sillytavern.sh
source "$SRC/tests/e2e/sillytavern.sh"
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
[ -e "$SRC/ui/node_modules/gpt-tokenizer/package.json" ] ||
  { echo "sillytavern_tokens_test: ui/node_modules is missing (make ui installs it)"; exit 1; }
bash "$SRC/scripts/install-sillytavern.sh" "$CHARCHIVE_BUILD_DIR" >/dev/null
bash "$SRC/scripts/make-fixtures.sh" "$CHARCHIVE_BUILD_DIR"

WORK=$(mktemp -d)
SERVER=
cleanup() { st_stop; [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
archive_start "$BIN" "$WORK/data" tokens-test-token
SERAPHINA=$(curl -sf -H "Authorization: Bearer $TOKEN" -F "file=@$FIXTURES/default_Seraphina.png" "$BASE/api/cards" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')
MIXED=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$BASE/api/cards/new" -d @- <<'JSON' |
{"data": {"name": "Zoë 東雲",
  "description": "{{char}} is a café owner in Kyōto — 東雲カフェ — who answers in <b>bold</b> when excited 🎉🍵. She writes lists:\n- one\n- two\n\nAnd `code`, too.",
  "personality": "warm, precise, über-pünktlich",
  "scenario": "Rainy evening; the café is about to close.",
  "first_mes": "*wipes the counter* いらっしゃいませ! Last order is in 5 minutes, {{user}}.",
  "mes_example": "<START>\n{{user}}: Hi!\n{{char}}: こんにちは 👋",
  "system_prompt": "Stay in character.",
  "post_history_instructions": "Keep replies under 100 words.",
  "extensions": {"depth_prompt": {"prompt": "Zoë never reveals the recipe.", "depth": 4, "role": "system"}}}}
JSON
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
st_start --no-csrf
node "$SRC/tests/tokens_vs_sillytavern.mjs" "$SRC/ui" "$BASE" "$TOKEN" "$ST_URL" "$SERAPHINA" "$MIXED"
