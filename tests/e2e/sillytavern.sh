# A real SillyTavern for tests, to be sourced (shared/peers/sillytavern.md §7):
#   source tests/e2e/sillytavern.sh
#   trap st_stop EXIT
#   st_start [--no-csrf] [--basic-auth USER:PASS] [--plugin] [--seed]
#   ... $ST_URL, $ST_CHARACTERS ...
#   st_stop
# st_start runs the install in ${CHARCHIVE_BUILD_DIR:-build}/sillytavern/st
# (scripts/install-sillytavern.sh) on a free loopback port with a fresh data
# root and config in a temp dir, and waits for GET /csrf-token. It exports
# ST_URL, ST_PID, ST_ROOT (the temp dir), ST_CHARACTERS (default-user's
# characters folder) and ST_LOG. One instance per shell; several shells may
# each run one at once (ports and temp dirs are their own).
#   --no-csrf      disableCsrfProtection
#   --basic-auth   listen mode bound to 127.0.0.1 with Basic auth, whitelist off
#   --plugin       also loads integrations/sillytavern-cforge as plugin "cforge"
#   --seed         default content (Seraphina) instead of an empty library

st_dir() { echo "${CHARCHIVE_BUILD_DIR:-build}/sillytavern/st"; }

st_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

st_start() {
  local csrf=on basic="" plugin=0 seed=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-csrf) csrf=off ;;
      --basic-auth) basic="$2"; shift ;;
      --plugin) plugin=1 ;;
      --seed) seed=1 ;;
      *) echo "st_start: unknown option $1" >&2; return 2 ;;
    esac
    shift
  done
  local dir
  dir="$(cd "$(st_dir)" 2>/dev/null && pwd)" || { echo "st_start: SillyTavern is not installed in $(st_dir) (run scripts/install-sillytavern.sh)" >&2; return 1; }
  ST_ROOT="$(mktemp -d /tmp/charchive-st.XXXXXX)"
  ST_LOG="$ST_ROOT/server.log"
  ST_CHARACTERS="$ST_ROOT/data/default-user/characters"
  local port; port=$(st_free_port)
  ST_URL="http://127.0.0.1:$port"
  local args=(--configPath "$ST_ROOT/config.yaml" --dataRoot "$ST_ROOT/data" --port "$port"
              --browserLaunchEnabled false)
  if [ -n "$basic" ]; then
    args+=(--listen true --listenAddressIPv4 127.0.0.1 --basicAuthMode true --whitelist false)
  else
    args+=(--listen false --whitelist true)
  fi
  [ "$csrf" = off ] && args+=(--disableCsrf)
  local plugin_env=false
  if [ "$plugin" = 1 ]; then
    # The plugin folder is replaced atomically (copy, then rename), so tests
    # starting at once never load a half-copied plugin.
    local src; src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../integrations/sillytavern-cforge" && pwd)"
    local tmp="$dir/plugins/.cforge.$$"
    rm -rf "$tmp" && cp -r "$src" "$tmp" && rm -rf "$tmp/node_modules"
    mv -T "$tmp" "$dir/plugins/cforge" 2>/dev/null || { rm -rf "$dir/plugins/cforge.old.$$"; mv "$dir/plugins/cforge" "$dir/plugins/cforge.old.$$" 2>/dev/null; mv -T "$tmp" "$dir/plugins/cforge"; rm -rf "$dir/plugins/cforge.old.$$"; }
    plugin_env=true
  fi
  (
    export SILLYTAVERN_SKIPCONTENTCHECK=$([ "$seed" = 1 ] && echo false || echo true)
    export SILLYTAVERN_EXTENSIONS_ENABLED=false SILLYTAVERN_EXTENSIONS_AUTOUPDATE=false
    export SILLYTAVERN_ENABLESERVERPLUGINS=$plugin_env SILLYTAVERN_ENABLESERVERPLUGINSAUTOUPDATE=false
    export SILLYTAVERN_LOGGING_ENABLEACCESSLOG=false SILLYTAVERN_ENABLEDOWNLOADABLETOKENIZERS=false
    if [ -n "$basic" ]; then
      export SILLYTAVERN_BASICAUTHUSER_USERNAME="${basic%%:*}" SILLYTAVERN_BASICAUTHUSER_PASSWORD="${basic#*:}"
    fi
    cd "$dir" && exec node server.js "${args[@]}"
  ) >"$ST_LOG" 2>&1 &
  ST_PID=$!
  export ST_URL ST_PID ST_ROOT ST_CHARACTERS ST_LOG
  local auth=()
  [ -n "$basic" ] && auth=(-u "$basic")
  for _ in $(seq 1 240); do
    if curl -sf "${auth[@]}" "$ST_URL/csrf-token" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$ST_PID" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "st_start: SillyTavern did not come up on $ST_URL; its log ends:" >&2
  tail -30 "$ST_LOG" >&2
  st_stop
  return 1
}

st_stop() {
  if [ -n "${ST_PID:-}" ] && kill -0 "$ST_PID" 2>/dev/null; then
    kill -TERM "$ST_PID" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$ST_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$ST_PID" 2>/dev/null || true
    wait "$ST_PID" 2>/dev/null || true
  fi
  [ -n "${ST_ROOT:-}" ] && rm -rf "$ST_ROOT"
  ST_PID="" ST_ROOT=""
  return 0
}
