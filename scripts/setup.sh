#!/usr/bin/env bash
# Installs what building and testing Alley Vote needs, skipping whatever is
# already present. Usage: scripts/setup.sh [serve|test]
#   serve: Rust's wasm target, cargo-leptos, the wasm-bindgen CLI, wasm-opt
#   test:  all of the above, plus cargo-nextest, schemathesis, Chromium and the Playwright package,
#          and PostgreSQL and Redis started if they are installed but stopped
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-serve}"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

CARGO_LEPTOS_VERSION=0.3.10
# The CLI must match the wasm-bindgen library in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores, once per machine)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Without --locked: with it, this version fails on a missing locked dependency.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v wasm-opt >/dev/null 2>&1; then
  say "installing wasm-opt (binaryen, from npm)"
  npm install -g binaryen
fi

[ "$mode" = "test" ] || exit 0

if ! cargo nextest --version >/dev/null 2>&1; then
  say "installing cargo-nextest (the test runner)"
  cargo install cargo-nextest --locked
fi

SCHEMATHESIS_VERSION=4.32.5
# Run as a module, so no shell shim has to know its command.
if [ "$(python3 -m schemathesis.cli --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION (the API contract check, from PyPI)"
  python3 -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }
fi

# The screenshots the browser tests take show Chinese: the browser needs a CJK font.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  say "installing a Chinese font for the browser (Debian's fonts-noto-cjk)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y fonts-noto-cjk || { apt-get update && apt-get install -y fonts-noto-cjk; }
fi

if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing Playwright (the test runner only; the browser is Debian's)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# PostgreSQL and Redis run on machines of this kind; start them if they stopped.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && command -v pg_ctlcluster >/dev/null 2>&1; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1; then
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
