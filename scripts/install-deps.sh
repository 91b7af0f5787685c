#!/usr/bin/env bash
# Installs the Debian 12 packages Character Archive needs to build, test and run.
# Idempotent: installs only what is missing. Needs root (or sudo) when something is missing,
# and says so first. With --check it installs nothing: it names what is missing and exits 1.
set -euo pipefail
CHECK_ONLY=0
if [ "${1:-}" = "--check" ]; then CHECK_ONLY=1; fi

packages=(
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev
  nlohmann-json3-dev libzip-dev zlib1g-dev libssl-dev libsqlite3-dev
  libcpp-httplib-dev libbrotli-dev libcurl4-openssl-dev libcli11-dev libsodium-dev libsimdjson-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libturbojpeg0-dev libspng-dev libspdlog-dev
  nodejs npm curl python3 chromium wrk
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nodejs from nodesource ships npm inside it; do not ask apt for the Debian npm then.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm}")
fi
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}")
fi
read -r -a missing <<<"${missing[*]}"

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$CHECK_ONLY" -eq 1 ]; then
  echo "missing Debian packages: ${missing[*]}; run \`make deps\` (it installs them as root, through sudo)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
  echo "install-deps: installing ${missing[*]} needs root; asking through sudo"
else
  echo "install-deps: installing ${missing[*]} (as root)"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
