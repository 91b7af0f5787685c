# A real SillyTavern 1.19.0 on loopback for tests. Source this file, then:
#
#   st_start [--no-csrf] [--basic-auth USER:PASS] [--plugin] [--seed]
#   ...  use ST_URL, ST_PID, ST_ROOT, ST_CHARACTERS, ST_LOG
#   st_stop
#
# st_start starts one server with a fresh data root and config in a temp dir and returns
# once `GET /csrf-token` answers (at most ST_START_SECONDS, default 300 s: each start
# compiles its frontend libraries, slow on a loaded machine; otherwise it prints the log's
# tail, cleans up and returns 1). One server per shell at a time: st_start refuses while one runs.
#   --no-csrf            CSRF protection off (`--disableCsrf`).
#   --basic-auth U:P     listen mode bound to 127.0.0.1 only, IP whitelist off, Basic auth
#                        with user U and password P (everything after the first colon).
#   --plugin             copies integrations/sillytavern-cforge into the install's
#                        plugins/cforge and enables server plugins (auto-update off).
#   --seed               lets SillyTavern seed its default content (Seraphina, presets);
#                        without it the library starts empty (SILLYTAVERN_SKIPCONTENTCHECK).
# Extensions, their auto-update, model and tokenizer downloads and the browser launch are
# off. Every other setting can still be given by exporting SILLYTAVERN_<KEY> (SillyTavern's
# own env override, e.g. SILLYTAVERN_PERFORMANCE_LAZYLOADCHARACTERS=true) before st_start;
# the settings above win over the caller's. The plugin reads CFORGE_TOKEN from the same
# environment.
#
# Exported after st_start: ST_URL (http://127.0.0.1:PORT), ST_PID (the node process),
# ST_ROOT (the temp dir; data root ST_ROOT/data, config ST_ROOT/config.yaml),
# ST_CHARACTERS (the default user's characters folder), ST_LOG (server output).
#
# st_stop stops the server (SIGTERM, SIGKILL after 10 s), removes ST_ROOT and releases the
# plugin copy. It is safe to call twice or without a server. Callers should
# `trap st_stop EXIT` (or call it from their own EXIT trap). Should the calling script die
# without its trap (SIGKILL, a CTest timeout), a watcher started by st_start notices within
# a second and stops the server and removes ST_ROOT itself.
#
# The install is BUILD/sillytavern/st with BUILD = $CHARCHIVE_BUILD_DIR (set by CTest),
# default `build`; scripts/install-sillytavern.sh BUILD creates it. Several test processes
# may run servers from the same install at once: each gets its own port (a free one picked
# by the kernel, retried if another process takes it before SillyTavern binds it) and temp
# dir. The plugin copy is shared and reference counted under a lock: the first --plugin
# start copies the folder in (to a temp name, then `mv`), each --plugin server registers
# itself in BUILD/sillytavern/plugin-users/, and the last one to stop removes the copy.
# While any registered server runs, the copy is left alone.
#
# Linux only (reads /proc); needs node, curl, python3 (port picking) and flock.

_ST_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ST_BUILD_DIR=$(cd "${CHARCHIVE_BUILD_DIR:-build}" 2>/dev/null && pwd || echo "${CHARCHIVE_BUILD_DIR:-build}")
ST_HOME="$ST_BUILD_DIR/sillytavern"
ST_DIR="$ST_HOME/st"
ST_START_SECONDS=${ST_START_SECONDS:-300}

_st_say() { echo "sillytavern.sh: $*" >&2; }

# _st_alive PID: the process exists and is not a zombie.
_st_alive() {
  local stat
  [ -n "$1" ] && stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

_st_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# The plugin copy is shared by every server started from this install.
_st_plugin_acquire() {
  local users="$ST_HOME/plugin-users" target="$ST_DIR/plugins/cforge" tmp
  mkdir -p "$users" "$ST_DIR/plugins" || return 1
  (
    flock 9 || exit 1
    for holder in "$users"/*; do
      [ -e "$holder" ] || continue
      _st_alive "$(cat "$holder")" || rm -f "$holder"
    done
    if [ -z "$(ls -A "$users")" ] || [ ! -f "$target/index.mjs" ]; then
      tmp=$(mktemp -d "$ST_HOME/.cforge.XXXXXX") || exit 1
      cp -R "$_ST_SOURCE_DIR/integrations/sillytavern-cforge/." "$tmp/" || { rm -rf "$tmp"; exit 1; }
      if [ -e "$target" ]; then mv "$target" "$tmp.old" && rm -rf "$tmp.old"; fi
      mv "$tmp" "$target" || exit 1
    fi
    echo "$1" >"$users/$2"
  ) 9>"$ST_HOME/.plugin.lock"
}

_st_plugin_release() {
  local users="$ST_HOME/plugin-users" target="$ST_DIR/plugins/cforge" tmp
  (
    flock 9 || exit 1
    rm -f "$users/$1"
    for holder in "$users"/*; do
      [ -e "$holder" ] || continue
      _st_alive "$(cat "$holder")" || rm -f "$holder"
    done
    if [ -z "$(ls -A "$users" 2>/dev/null)" ] && [ -e "$target" ]; then
      tmp=$(mktemp -u "$ST_HOME/.cforge.old.XXXXXX")
      mv "$target" "$tmp" && rm -rf "$tmp"
    fi
  ) 9>"$ST_HOME/.plugin.lock"
}

st_start() {
  local csrf=1 basic= plugin=0 seed=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-csrf) csrf=0 ;;
      --basic-auth) basic=${2:-}; shift
        case "$basic" in *:*) ;; *) _st_say "--basic-auth needs USER:PASS"; return 1 ;; esac ;;
      --plugin) plugin=1 ;;
      --seed) seed=1 ;;
      *) _st_say "st_start: unknown option $1"; return 1 ;;
    esac
    shift
  done
  if [ -n "${ST_PID:-}" ] && _st_alive "$ST_PID"; then
    _st_say "st_start: a server (pid $ST_PID) is already running in this shell; st_stop it first"
    return 1
  fi
  if [ ! -f "$ST_HOME/.installed" ] || [ ! -f "$ST_DIR/server.js" ]; then
    _st_say "SillyTavern is not installed in $ST_DIR; run: bash scripts/install-sillytavern.sh $ST_BUILD_DIR"
    return 1
  fi

  ST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/charchive-st.XXXXXX") || return 1
  ST_LOG="$ST_ROOT/server.log"
  ST_CHARACTERS="$ST_ROOT/data/default-user/characters"
  _ST_PLUGIN_KEY=
  _ST_OWNER=$$
  mkdir -p "$ST_ROOT/data"
  # Outside Docker webpack caches the frontend bundle in <dataRoot>/_webpack: point every
  # data root at one shared cache so only the first start ever compiles it.
  if [ ! -e /.dockerenv ]; then
    mkdir -p "$ST_HOME/webpack-cache"
    ln -s "$ST_HOME/webpack-cache" "$ST_ROOT/data/_webpack"
  fi
  if [ "$plugin" = 1 ]; then
    _ST_PLUGIN_KEY="$$-$RANDOM$RANDOM"
    if ! _st_plugin_acquire "$_ST_OWNER" "$_ST_PLUGIN_KEY"; then
      _st_say "could not install the CForge plugin into $ST_DIR/plugins/cforge"
      st_stop
      return 1
    fi
  fi

  local args=(--configPath "$ST_ROOT/config.yaml" --dataRoot "$ST_ROOT/data"
              --browserLaunchEnabled false)
  # SillyTavern names its webpack cache after the git commit it finds above its package
  # dir, which would be ours: every commit would then mean a cold 15-20 s compile.
  local envs=("GIT_CEILING_DIRECTORIES=$ST_HOME" SILLYTAVERN_EXTENSIONS_ENABLED=false SILLYTAVERN_EXTENSIONS_AUTOUPDATE=false
              SILLYTAVERN_EXTENSIONS_MODELS_AUTODOWNLOAD=false
              SILLYTAVERN_ENABLEDOWNLOADABLETOKENIZERS=false
              SILLYTAVERN_ENABLESERVERPLUGINSAUTOUPDATE=false
              SILLYTAVERN_ENABLESERVERPLUGINS=$([ "$plugin" = 1 ] && echo true || echo false)
              SILLYTAVERN_SKIPCONTENTCHECK=$([ "$seed" = 1 ] && echo false || echo true))
  local auth=()
  [ "$csrf" = 0 ] && args+=(--disableCsrf true)
  if [ -n "$basic" ]; then
    args+=(--listen true --listenAddressIPv4 127.0.0.1 --enableIPv6 false
           --basicAuthMode true --whitelist false)
    envs+=("SILLYTAVERN_BASICAUTHUSER_USERNAME=${basic%%:*}" "SILLYTAVERN_BASICAUTHUSER_PASSWORD=${basic#*:}")
    auth=(-u "$basic")
  else
    args+=(--listen false --whitelist true)
  fi

  local attempt port code deadline
  for attempt in 1 2 3; do
    port=$(_st_free_port) || { st_stop; return 1; }
    ST_URL="http://127.0.0.1:$port"
    (cd "$ST_ROOT" && exec env "${envs[@]}" node "$ST_DIR/server.js" "${args[@]}" --port "$port") \
      </dev/null >"$ST_LOG" 2>&1 &
    ST_PID=$!
    deadline=$((SECONDS + ST_START_SECONDS))
    code=000
    while [ $SECONDS -lt $deadline ] && _st_alive "$ST_PID"; do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${auth[@]}" "$ST_URL/csrf-token" 2>/dev/null) || true
      [ "$code" = 200 ] && break
      sleep 0.3
    done
    [ "$code" = 200 ] && break
    if ! _st_alive "$ST_PID" && grep -q EADDRINUSE "$ST_LOG" && [ $attempt -lt 3 ]; then
      _st_say "port $port was taken before SillyTavern bound it; trying another"
      wait "$ST_PID" 2>/dev/null || true
      continue
    fi
    if _st_alive "$ST_PID"; then
      _st_say "SillyTavern did not answer GET $ST_URL/csrf-token within $ST_START_SECONDS s (last status $code); log tail:"
    else
      _st_say "SillyTavern exited before answering GET $ST_URL/csrf-token; log tail:"
    fi
    tail -40 "$ST_LOG" >&2
    st_stop
    return 1
  done

  # Stops the server should the calling script die without running st_stop.
  (
    trap '' HUP INT
    while kill -0 "$_ST_OWNER" 2>/dev/null; do sleep 1; done
    kill -TERM "$ST_PID" 2>/dev/null
    for _ in $(seq 1 100); do _st_alive "$ST_PID" || break; sleep 0.1; done
    kill -KILL "$ST_PID" 2>/dev/null
    rm -rf "$ST_ROOT"
  ) </dev/null >/dev/null 2>&1 &
  _ST_WATCHER=$!
  export ST_URL ST_PID ST_ROOT ST_CHARACTERS ST_LOG
}

st_stop() {
  if [ -n "${_ST_WATCHER:-}" ]; then
    kill "$_ST_WATCHER" 2>/dev/null || true
    wait "$_ST_WATCHER" 2>/dev/null || true
    _ST_WATCHER=
  fi
  if [ -n "${ST_PID:-}" ]; then
    kill -TERM "$ST_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do _st_alive "$ST_PID" || break; sleep 0.1; done
    if _st_alive "$ST_PID"; then
      _st_say "SillyTavern (pid $ST_PID) ignored SIGTERM for 10 s; sending SIGKILL"
      kill -KILL "$ST_PID" 2>/dev/null || true
    fi
    wait "$ST_PID" 2>/dev/null || true
  fi
  if [ -n "${_ST_PLUGIN_KEY:-}" ]; then
    _st_plugin_release "$_ST_PLUGIN_KEY" || _st_say "could not release the CForge plugin copy"
    _ST_PLUGIN_KEY=
  fi
  if [ -n "${ST_ROOT:-}" ]; then
    rm -rf "$ST_ROOT"
  fi
  ST_PID= ST_URL= ST_ROOT= ST_CHARACTERS= ST_LOG=
  return 0
}
