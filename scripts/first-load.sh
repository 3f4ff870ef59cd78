#!/usr/bin/env bash
# Measures a phone's first (and second) load of /, /nominees and /results
# on the release build: requests and bytes, as Chromium counts them. The
# table goes into BENCH.md. Usage: scripts/first-load.sh (after setup.sh test)
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
cargo leptos build --release --precompress
port=3477
data=$(mktemp -d)
ALLEYVOTE_ADDR="127.0.0.1:$port" ALLEYVOTE_DATA_DIR="$data" ALLEYVOTE_DEMO_DATA=true \
  LEPTOS_SITE_ROOT="$PWD/target/site" LEPTOS_OUTPUT_NAME=alleyvote RUST_LOG=warn \
  "$target_dir/release/alleyvote" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
(cd end2end && node measure/first-load.cjs "http://127.0.0.1:$port")
