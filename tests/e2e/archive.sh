# Helpers for the shell suites that drive a real `charchive serve`, to be sourced:
#   check NAME COMMAND [ARGS...]   runs the command as given (no eval: a compound condition
#                        is a function of the suite), counts and prints "ok - NAME" or
#                        "FAILED - NAME"
#   wait_until SECONDS COMMAND [ARGS...]   runs the command every 0.2 s until it succeeds;
#                        fails after SECONDS
#   finish               prints the counts; returns non-zero when a check failed
#   archive_start BIN DATA TOKEN [--public|--public-strict]   starts `BIN serve --port 0` (log in
#                        DATA.log): the server binds a free port itself and writes it to a
#                        temporary file (--port-file; not in DATA, whose disk may be full), read
#                        back here; sets BASE, TOKEN and SERVER
#                        (its PID); --public makes it a hub node at BASE (public_url set
#                        through PUT /api/hub once the port is known) whose peers may be on
#                        loopback (--allow-private-peers); --public-strict, without that
#   serve_on PORT BIN DATA ARGS...   `BIN serve --data DATA --port PORT ARGS...` in the
#                        background; returns once it listens, with SERVER and PORT set (PORT 0:
#                        the port it chose; a given PORT: a restart where peers know its URL)
#   api METHOD PATH [JSON]   a JSON request to $BASE with the token
#   field EXPR           prints a Python expression of the JSON on stdin, bound to d
#   get_field PATH EXPR  prints `field EXPR` of GET PATH
#   json_is PATH EXPR VALUE   whether `field EXPR` of GET PATH prints VALUE
#   answers EXPR VALUE COMMAND [ARGS...]   whether `field EXPR` of the command's JSON output
#                        prints VALUE
#   prints PATTERN COMMAND [ARGS...]   whether the command's output has a line matching the
#                        grep pattern; prints_line LINE COMMAND...: a line that is exactly LINE
#   exits CODE COMMAND [ARGS...]   whether the command exits with CODE (its stderr in
#                        $EXITS_STDERR when that is set)
#   http_status_is CODE CURL_ARGS...   whether curl (with the token) answers HTTP CODE
#   fake_hub_start KIND VAR [ARGS...]   starts the fake hub KIND (`fake_hubs KIND ARGS`, built
#                        beside BIN; output in WORK/KIND.out), adds its PID to PIDS, waits until it
#                        listens and sets VAR to its URL
#   suite_begin NAME [HINT PATH...]   exits with one line when a PATH is missing (HINT says how to
#                        get it); then makes WORK (a temporary dir) and an EXIT trap that stops
#                        SERVER and every PID in PIDS, waits for them and removes WORK
#   fake_sillytavern_start VAR   starts tests/ui/fake_sillytavern.mjs (a small fake SillyTavern for
#                        the browser suites), adds its PID to PIDS and sets VAR to its URL
# A suite that does not call suite_begin stops SERVER (and PIDS) in its own EXIT trap.

pass=0
fail=0
check() {
  local name=$1
  shift
  if "$@"; then pass=$((pass + 1)); echo "ok - $name"; else fail=$((fail + 1)); echo "FAILED - $name"; fi
}
wait_until() {
  local until=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -lt $until ] || return 1
    sleep 0.2
  done
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
# serve_on PORT BIN DATA ARGS...: starts `BIN serve` on PORT (0: any free one) in the
# background (log in DATA.log); once it listens, sets SERVER (its PID) and PORT (its port);
# fails when the server exits first or is not listening within 60 s (a loaded machine
# starts slowly).
serve_on() {
  local port=$1 bin=$2 data=$3 port_file
  shift 3
  port_file=$(mktemp "${TMPDIR:-/tmp}/charchive-port.XXXXXX")
  "$bin" serve --data "$data" --port "$port" --port-file "$port_file" "$@" >>"$data.log" 2>&1 &
  SERVER=$!
  local until=$((SECONDS + 60))
  while [ ! -s "$port_file" ]; do
    if ! kill -0 "$SERVER" 2>/dev/null || [ $SECONDS -ge $until ]; then
      echo "serve_on: the server (pid $SERVER) exited or did not listen within 60 s; see $data.log" >&2
      rm -f "$port_file"
      return 1
    fi
    sleep 0.05
  done
  PORT=$(cat "$port_file")
  rm -f "$port_file"
}
archive_start() {
  TOKEN=$3
  local private=()
  [ "${4:-}" = --public ] && private=(--allow-private-peers)
  CHARCHIVE_TOKEN="$TOKEN" serve_on 0 "$1" "$2" "${private[@]}" || return 1
  BASE="http://127.0.0.1:$PORT"
  if [ -n "${4:-}" ]; then
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"enabled\": true, \"public_url\": \"$BASE\"}" "$BASE/api/hub" ||
      { echo "archive_start: could not make $BASE a hub node" >&2; return 1; }
  fi
}
api() {
  local body=()
  [ "$1" != GET ] && body=(-d "${3:-}")
  curl -s -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "${body[@]}" "$BASE$2"
}
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
get_field() { api GET "$1" | field "$2"; }
json_is() { [ "$(get_field "$1" "$2")" = "$3" ]; }
answers() {
  local expr=$1 value=$2
  shift 2
  [ "$("$@" | field "$expr")" = "$value" ]
}
prints() {
  local pattern=$1
  shift
  "$@" | grep -q -- "$pattern"
}
prints_line() {
  local line=$1
  shift
  "$@" | grep -qx -- "$line"
}
exits() {
  local code=$1 rc=0
  shift
  "$@" >/dev/null 2>"${EXITS_STDERR:-/dev/null}" || rc=$?
  [ "$rc" = "$code" ]
}
http_status_is() {
  local code=$1
  shift
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$@")" = "$code" ]
}
suite_begin() {
  local name=$1 hint=${2:-} need
  shift $(($# > 1 ? 2 : 1))
  for need in "$@"; do
    [ -e "$need" ] || { echo "$name: $need is missing ($hint)"; exit 1; }
  done
  WORK=$(mktemp -d)
  SERVER=
  PIDS=()
  trap suite_end EXIT
}
suite_end() {
  local pid
  for pid in $SERVER "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in $SERVER "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
fake_hub_start() {
  local kind=$1 var=$2 fake
  shift 2
  fake=${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fake_hubs
  [ -x "$fake" ] || { echo "fake_hubs is not built at $fake" >&2; return 1; }
  "$fake" "$kind" "$@" >"$WORK/$kind.out" 2>&1 &
  PIDS+=("$!")
  wait_until 60 grep -q listening "$WORK/$kind.out"
  printf -v "$var" 'http://127.0.0.1:%s' "$(awk '/listening/ {print $2}' "$WORK/$kind.out")"
}
fake_sillytavern_start() {
  node "$SRC/tests/ui/fake_sillytavern.mjs" "$WORK/st.port" &
  PIDS+=("$!")
  wait_until 60 test -s "$WORK/st.port"
  printf -v "$1" 'http://127.0.0.1:%s' "$(cat "$WORK/st.port")"
}
