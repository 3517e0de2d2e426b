#!/usr/bin/env bash
# Installs everything connector-gen needs on a fresh Debian 12 (bookworm) machine.
# Idempotent: re-running it only installs what is missing.
# Traps (see ../shared/spec/dependencies.md): never install unversioned libboost-dev (1.74 conflicts
# with 1.81); libzip's CMake config needs zipcmp/zipmerge/ziptool.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PKGS=(
  build-essential cmake pkg-config ninja-build ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  nlohmann-json3-dev libyaml-cpp-dev libyaml-dev
  libsqlite3-dev sqlite3 libsqlitecpp-dev libpqxx-dev libpq-dev postgresql postgresql-client
  libcurl4-openssl-dev libssl-dev
  libgumbo-dev libxml2-dev
  libpoppler-cpp-dev poppler-utils
  libzip-dev zipcmp zipmerge ziptool libpugixml-dev zip unzip
  libspdlog-dev libfmt-dev libcli11-dev
  uuid-dev libre2-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev libcpp-httplib-dev
  clang libclang-rt-14-dev
  default-jre-headless wrk hyperfine curl python3
)
# Node.js + npm: use what the machine has (a nodesource nodejs bundles npm and conflicts with
# Debian's npm package); otherwise take Debian's.
if ! command -v npm >/dev/null 2>&1; then PKGS+=(nodejs npm); fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${#missing[@]} Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages already installed"
fi

# npm packages (kept under third_party/npm, not committed):
#  - swagger-ui-dist: the /docs page, served from local files
#  - npm-groovy-lint: bundles the Groovy 4 jar used by the code validator
#  - js-tiktoken: the published cl100k_base rank table (tokenizer data + test oracle)
NPM_DIR=third_party/npm
mkdir -p "$NPM_DIR"
if [ ! -f "$NPM_DIR/package.json" ]; then
  echo '{"name":"connector-gen-third-party","private":true}' >"$NPM_DIR/package.json"
fi
need_npm=0
for p in swagger-ui-dist npm-groovy-lint js-tiktoken; do
  [ -d "$NPM_DIR/node_modules/$p" ] || need_npm=1
done
if [ "$need_npm" = 1 ]; then
  echo "install-deps: installing npm packages"
  (cd "$NPM_DIR" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
      swagger-ui-dist@5 npm-groovy-lint@18.0.0 js-tiktoken@1)
else
  echo "install-deps: npm packages already installed"
fi
echo "install-deps: done"
