#!/usr/bin/env bash
# The SillyTavern test harness (tests/e2e/sillytavern.sh) against the real SillyTavern 1.19.0:
# - CSRF on (the default): the Seraphina fixture imported through the native API exactly as
#   a client must (docs/peers.md "SillyTavern's native API") is listed once by
#   /api/characters/all with the fixture's data; a POST without the token is refused (403).
# - --no-csrf --seed: the token is "disabled", POSTs need nothing, the default content is there.
# - --basic-auth: 401 without or with wrong credentials, success with them, bound to
#   127.0.0.1 only.
# - st_stop removes the temp dir and the process is gone.
# Fails (never skips) when SillyTavern cannot be installed, e.g. the npm registry is down.
set -euo pipefail
BIN=${1:?usage: sillytavern_harness_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
export CHARCHIVE_BUILD_DIR=${CHARCHIVE_BUILD_DIR:-$SRC/build}
SERAPHINA="$FIXTURES/default_Seraphina.png"
: "$BIN"

bash "$SRC/scripts/install-sillytavern.sh" "$CHARCHIVE_BUILD_DIR"
source "$SRC/tests/e2e/sillytavern.sh"
WORK=$(mktemp -d)
cleanup() { st_stop; rm -rf "$WORK"; }
trap cleanup EXIT
# shellcheck source=e2e/archive.sh
source "$SRC/tests/e2e/archive.sh"
# file_field_is FILE EXPR VALUE: whether `field EXPR` of the JSON in FILE prints VALUE.
file_field_is() { [ "$(field "$2" <"$1")" = "$3" ]; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# ---- CSRF on ------------------------------------------------------------------------------
t0=$(date +%s%N)
st_start
echo "# started with CSRF in $(ms "$t0") ms at $ST_URL (pid $ST_PID)"
root=$ST_ROOT
pid=$ST_PID
B=$ST_URL
T=$(curl -s -c "$WORK/jar" -b "$WORK/jar" "$B/csrf-token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
check "the CSRF token is 64 hex digits" grep -qxE '[0-9a-f]{64}' <<<"$T"
curl -s -b "$WORK/jar" -H "X-CSRF-Token: $T" -F "avatar=@$SERAPHINA" -F file_type=png \
  "$B/api/characters/import" >"$WORK/import.json"
check "the fixture imports as Seraphina: $(cat "$WORK/import.json")" file_field_is "$WORK/import.json" 'd["file_name"]' Seraphina
check "the PNG is in ST_CHARACTERS" test -f "$ST_CHARACTERS/Seraphina.png"
curl -s -b "$WORK/jar" -H "X-CSRF-Token: $T" -H 'Content-Type: application/json' -d '{}' \
  "$B/api/characters/all" >"$WORK/all.json"
python3 - "$SERAPHINA" "$WORK/all.json" >"$WORK/compare.txt" <<'PY' && same=1 || same=0
import base64, json, struct, sys
png = open(sys.argv[1], "rb").read()
texts, pos = {}, 8
while pos < len(png):
    length, kind = struct.unpack(">I4s", png[pos:pos + 8])
    if kind == b"tEXt":
        key, _, value = png[pos + 8:pos + 8 + length].partition(b"\0")
        texts[key.decode().lower()] = value
    pos += 12 + length
fixture = json.loads(base64.b64decode(texts.get("ccv3") or texts["chara"]))
listed = json.load(open(sys.argv[2]))
mine = [c for c in listed if c.get("avatar") == "Seraphina.png"]
print(f"{len(listed)} listed, {len(mine)} Seraphina.png")
assert len(listed) == 1 and len(mine) == 1
stored = json.loads(mine[0]["json_data"])
for key in fixture["data"]:
    assert stored["data"][key] == fixture["data"][key], key
PY
check "/api/characters/all lists it once with the fixture's data ($(cat "$WORK/compare.txt"))" [ "$same" = 1 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{}' "$B/api/characters/all")
check "a POST without the CSRF token is refused ($code)" [ "$code" = 403 ]
st_stop
check "st_stop removed ST_ROOT" test ! -e "$root"
check "st_stop ended the server" test ! -e "/proc/$pid"
check "st_stop cleared ST_URL" test -z "$ST_URL"

# ---- CSRF off, seeded ---------------------------------------------------------------------
t0=$(date +%s%N)
st_start --no-csrf --seed
echo "# started with --no-csrf --seed in $(ms "$t0") ms"
token=$(curl -s "$ST_URL/csrf-token")
check "the token endpoint says disabled ($token)" [ "$token" = '{"token":"disabled"}' ]
curl -s -H 'Content-Type: application/json' -d '{}' "$ST_URL/api/characters/all" >"$WORK/all.json"
check "a POST without a token works and lists the seeded Seraphina" \
  file_field_is "$WORK/all.json" '[c["avatar"] for c in d]' "['default_Seraphina.png']"
st_stop

# ---- Basic auth ---------------------------------------------------------------------------
t0=$(date +%s%N)
st_start --basic-auth 'tester:se:cret'
echo "# started with --basic-auth in $(ms "$t0") ms"
code=$(curl -s -o /dev/null -w '%{http_code}' "$ST_URL/csrf-token")
check "no credentials: 401 ($code)" [ "$code" = 401 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -u tester:wrong "$ST_URL/csrf-token")
check "a wrong password: 401 ($code)" [ "$code" = 401 ]
T=$(curl -s -u 'tester:se:cret' -c "$WORK/jar2" -b "$WORK/jar2" "$ST_URL/csrf-token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -s -u 'tester:se:cret' -b "$WORK/jar2" -H "X-CSRF-Token: $T" -F "avatar=@$SERAPHINA" -F file_type=png \
  "$ST_URL/api/characters/import" >"$WORK/import.json"
check "with the credentials (a password holding a colon) the import works: $(cat "$WORK/import.json")" \
  file_field_is "$WORK/import.json" 'd["file_name"]' Seraphina
port=${ST_URL##*:}
# Listening sockets on the port, from /proc/net/tcp{,6} (state 0A), as address:port.
listening=$(python3 - "$port" <<'PY'
import socket, struct, sys
port, found = int(sys.argv[1]), set()
for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
    try:
        rows = open(table).read().splitlines()[1:]
    except OSError:
        continue
    for row in rows:
        local, state = row.split()[1], row.split()[3]
        address, hexport = local.split(":")
        if state != "0A" or int(hexport, 16) != port:
            continue
        raw = bytes.fromhex(address)
        raw = b"".join(struct.pack("<I", w) for w in struct.unpack(">" + "I" * (len(raw) // 4), raw))
        found.add(f"{socket.inet_ntop(family, raw)}:{port}")
print(" ".join(sorted(found)))
PY
)
check "it listens on 127.0.0.1 only ($listening)" [ "$listening" = "127.0.0.1:$port" ]
st_stop

finish
