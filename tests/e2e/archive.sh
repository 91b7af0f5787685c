# Helpers for the shell suites that drive a real `charchive serve`, to be sourced:
#   check NAME COMMAND   runs COMMAND (eval), counts and prints "ok - NAME" or "FAILED - NAME"
#   finish               prints the counts; returns non-zero when a check failed
#   free_port            a free loopback port
#   archive_start BIN DATA TOKEN [--public|--public-strict]   starts `BIN serve` on a free port (log in
#                        DATA.log), waits for /api/health; sets BASE, TOKEN and SERVER (its
#                        PID); --public makes it a hub node at BASE (--public-url) whose
#                        peers may be on loopback (--allow-private-peers)
#   api METHOD PATH [JSON]   a JSON request to $BASE with the token
#   field EXPR           prints a Python expression of the JSON on stdin, bound to d
# The caller stops SERVER in its EXIT trap.

pass=0
fail=0
check() {
  if eval "$2"; then pass=$((pass + 1)); echo "ok - $1"; else fail=$((fail + 1)); echo "FAILED - $1"; fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
archive_start() {
  local port; port=$(free_port)
  BASE="http://127.0.0.1:$port"
  TOKEN=$3
  local public=()
  [ "${4:-}" = --public ] && public=(--public-url "$BASE" --allow-private-peers)
  [ "${4:-}" = --public-strict ] && public=(--public-url "$BASE")
  CHARCHIVE_TOKEN="$TOKEN" "$1" serve --data "$2" --port "$port" "${public[@]}" >>"$2.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "$BASE/api/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "archive_start: the server did not answer on $BASE" >&2
  return 1
}
api() {
  local body=()
  [ "$1" != GET ] && body=(-d "${3:-}")
  curl -s -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "${body[@]}" "$BASE$2"
}
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
