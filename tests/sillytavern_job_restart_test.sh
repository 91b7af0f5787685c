#!/usr/bin/env bash
# A 300-card bulk push job to a real SillyTavern 1.19.0, with the server killed (-9) in
# the middle: the restarted server resumes the job, which finishes with every card
# pushed exactly once (300 files on SillyTavern, no "Name1.png") and every card synced.
set -euo pipefail
BIN=${1:?usage: sillytavern_job_restart_test.sh CHARCHIVE_BINARY}
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
export CHARCHIVE_BUILD_DIR=${CHARCHIVE_BUILD_DIR:-$SRC/build}
# shellcheck source=e2e/sillytavern.sh
source "$SRC/tests/e2e/sillytavern.sh"
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
bash "$SRC/scripts/install-sillytavern.sh" "$CHARCHIVE_BUILD_DIR" >/dev/null

WORK=$(mktemp -d)
N=300
SERVER=
cleanup() { st_stop; [ -n "$SERVER" ] && kill -9 "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
serve() { archive_start "$BIN" "$WORK/data" st-job-token; }

python3 - "$WORK/cards" "$N" <<'PY'
import json, os, sys
os.makedirs(sys.argv[1])
for i in range(int(sys.argv[2])):
    doc = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": f"Job Card {i:03d}",
           "description": f"Card {i} of the restart test.", "first_mes": "Hello.", "tags": ["job"], "extensions": {}}}
    json.dump(doc, open(f"{sys.argv[1]}/card{i:03d}.json", "w"))
PY
"$BIN" import --data "$WORK/data" "$WORK/cards" >/dev/null
st_start
serve
api POST /api/federation/platforms/sillytavern "{\"base_url\": \"$ST_URL\", \"enabled\": true}" >/dev/null
JOB=$(api POST /api/federation/jobs '{"kind": "push", "platform": "sillytavern", "all": true}' | field 'd["job"]["id"]')
check "the job is queued with $N cards" json_is "/api/federation/jobs/$JOB" 'd["job"]["total"]' "$N"
for _ in $(seq 1 600); do
  done_now=$(api GET "/api/federation/jobs/$JOB" | field 'd["job"]["done"]')
  [ "$done_now" -ge 100 ] && break
  sleep 0.05
done
kill -9 "$SERVER"
wait "$SERVER" 2>/dev/null || true
killed_in_the_middle() { [ "$done_now" -ge 100 ] && [ "$done_now" -lt "$N" ]; }
check "killed in the middle (100 <= done < $N)" killed_in_the_middle
serve
for _ in $(seq 1 1200); do
  status=$(api GET "/api/federation/jobs/$JOB" | field 'd["job"]["status"]')
  [ "$status" = done ] || [ "$status" = failed ] && break
  sleep 0.1
done
check "the resumed job is done: $N done, 0 failed" json_is "/api/federation/jobs/$JOB" \
  '"|".join(str(d["job"][k]) for k in ("status", "done", "failed"))' "done|$N|0"
ls "$ST_CHARACTERS" >"$WORK/files.txt"
holds_n_files() {  # on failure, shows what is there besides the expected files
  [ "$(grep -c '\.png$' "$WORK/files.txt")" = "$N" ] ||
    { grep -c png "$WORK/files.txt"; grep -v '^Job Card [0-9]*\.png$' "$WORK/files.txt" | head; false; }
}
no_duplicate_names() { ! ls "$ST_CHARACTERS" | grep -qE 'Job Card [0-9]{3}[0-9]+\.png'; }
check "SillyTavern holds exactly $N files" holds_n_files
check "no duplicate names (no Job Card NNN1.png)" no_duplicate_names
check "every card is synced" json_is '/api/federation/platforms/sillytavern/cards?status=synced' 'd["count"]' "$N"
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=
finish
