#!/usr/bin/env bash
# Installs what Passerelle needs to build, run and test, when missing: Debian packages (apt-get) and the
# front-end packages (npm ci). Idempotent and quiet when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config ccache git
  libboost-dev libboost-system-dev libkainjow-mustache-dev libsqlite3-dev libpq-dev
  libxapian-dev libicu-dev nlohmann-json3-dev libsodium-dev libcurl4-openssl-dev libssl-dev
  libcli11-dev libspdlog-dev libfmt-dev libpugixml-dev libsimdjson-dev python3-jsonschema libgtest-dev libgmock-dev libbenchmark-dev
  coinor-libcbc-dev zlib1g-dev libical-dev libxlsxwriter-dev libqrencode-dev libpng-dev libjpeg62-turbo-dev libcmark-dev libpwquality-dev cracklib-runtime liboath-dev tzdata
  postgresql-15 chromium fonts-dejavu-core wrk clang libclang-rt-14-dev
)
# Node.js: keep the one the machine has (this image ships Node 20 with its own npm); Debian's only when absent.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end assets and browser-test tools, pinned by package-lock.json.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
