# shellcheck shell=bash
# Shared set-up for scripts/serve, scripts/test and scripts/bench: each `ensure_*` installs one
# missing tool, skips it when the right version is already there, and says which it did.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${ASYNC_LANES_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/async-lanes}"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
TERSER_VERSION="5.51.2"
export PATH="$HOME/.cargo/bin:$TOOLS/binaryen/node_modules/.bin:$TOOLS/terser/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
skip() { printf '    %s\n' "$*"; }

# The wasm-bindgen version that Cargo.lock pins; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock"
}

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    skip "wasm32-unknown-unknown target: present"
  else
    say "Adding the wasm32-unknown-unknown target (rustup)"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if command -v trunk >/dev/null && trunk --version | grep -q "$TRUNK_VERSION"; then
    skip "trunk $TRUNK_VERSION: present"
  else
    say "Installing trunk $TRUNK_VERSION (cargo install, 6 to 14 min on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $want\$" \
    && command -v wasm-bindgen-test-runner >/dev/null; then
    skip "wasm-bindgen-cli $want: present"
  else
    # No --locked: its lockfile pins a webpki-roots the registry here lacks.
    say "Installing wasm-bindgen-cli $want (= Cargo.lock; cargo install, 2 to 3 min)"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# Installs the npm package $1@$2 into $TOOLS/$1 (a folder of its own), unless the command $3 there
# already says `$3 --version` with the text $4 in it.
ensure_npm_tool() {
  local package="$1" version="$2" command="$3" says="$4"
  local bin="$TOOLS/$package/node_modules/.bin/$command"
  if [ -x "$bin" ] && "$bin" --version | grep -q -- "$says"; then
    skip "$command $version: present"
  else
    say "Installing $command $version (npm $package) into $TOOLS/$package"
    mkdir -p "$TOOLS/$package"
    (cd "$TOOLS/$package" && [ -f package.json ] || echo '{"private":true}' >package.json)
    (cd "$TOOLS/$package" && npm install --no-audit --no-fund --silent "$package@$version")
  fi
}

# Debian's binaryen (108) rejects current wasm output; the npm package is current.
ensure_wasm_opt() {
  ensure_npm_tool binaryen "$BINARYEN_VERSION" wasm-opt "version $BINARYEN_VERSION"
}

# Trunk's own JS minifier cannot parse wasm-bindgen's output (trunk-rs/trunk#1044); terser can.
ensure_terser() {
  ensure_npm_tool terser "$TERSER_VERSION" terser "terser $TERSER_VERSION"
}

# Minifies the release's wasm-bindgen module in place. It stays an ES module with the same
# exports; property names, the wasm's imports among them, are left as they are.
# minify_js FILE [--module]: terser in place (--module for an ES module, whose top-level names
# are its own; without it, a classic script's top-level names are left as they are).
minify_js() {
  terser "$1" ${2:-} --compress --mangle --output "$1.min"
  mv "$1.min" "$1"
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    skip "chromium and chromedriver: present"
  else
    say "Installing Debian's chromium and chromium-driver (apt-get)"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
}

ensure_e2e_packages() {
  local stamp="$ROOT/e2e/node_modules/.async-lanes-lock"
  local want
  want="$(sha256sum "$ROOT/e2e/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    skip "browser-test npm packages: present"
  else
    say "Installing the browser tests' npm packages (npm ci, from e2e/package-lock.json)"
    (cd "$ROOT/e2e" && npm ci --no-audit --no-fund --silent)
    echo "$want" >"$stamp"
  fi
}

# The fidelity benchmark's Python (bench/fidelity): a virtual environment with FastAPI, uvicorn
# and httpx at the versions bench/fidelity/requirements.txt pins, from PyPI; made again when that
# file changes. Debian's python3-venv comes first if `python3 -m venv` cannot work.
PYENV="$TOOLS/pyenv"
ensure_python_bench() {
  local stamp="$PYENV/.async-lanes-requirements"
  local want
  want="$(sha256sum "$ROOT/bench/fidelity/requirements.txt" | cut -d' ' -f1)"
  if [ -x "$PYENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    skip "Python environment of the fidelity benchmark: present ($PYENV)"
    return
  fi
  if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    say "Installing Debian's python3 and python3-venv (apt-get)"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv
  fi
  say "Making the fidelity benchmark's Python environment in $PYENV (pip, pinned, from PyPI)"
  python3 -m venv --clear "$PYENV"
  "$PYENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$ROOT/bench/fidelity/requirements.txt"
  echo "$want" >"$stamp"
}

# Everything a build of the app needs.
ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_opt
  ensure_terser
}

# The most the release's wasm, js and css may weigh together, in bytes at gzip level 9: the
# ceiling that scripts/test holds, so that the app cannot grow past it unnoticed (the decided
# 300,000; 260,000 is the target).
GZIP_CEILING=300000

# Every wasm, js and css file of the release: the app, its loader, its service worker, and the
# script an author's page loads to size an iframe.
RELEASE_FILES="async-lanes_bg.wasm async-lanes.js boot.js sw.js embed-host.js al.css"

# Prints the gzip -9 size of each of RELEASE_FILES and their total; fails when the
# total is above the ceiling (GZIP_CEILING, or the first argument) or a file is missing.
check_release_size() {
  local ceiling="${1:-$GZIP_CEILING}" total=0 sizes="" file bytes
  for file in $RELEASE_FILES; do
    if [ ! -f "$ROOT/dist/$file" ]; then
      echo "dist/$file is missing: scripts/build makes it"
      return 1
    fi
    bytes=$(gzip -9c "$ROOT/dist/$file" | wc -c)
    total=$((total + bytes))
    sizes="$sizes${sizes:+, }$file $bytes"
  done
  if [ "$total" -gt "$ceiling" ]; then
    echo "the release is $total bytes gzip -9, over the ceiling of $ceiling by $((total - ceiling)) ($sizes)"
    return 1
  fi
  echo "the release is $total bytes gzip -9, $((ceiling - total)) under the ceiling of $ceiling ($sizes)"
}
