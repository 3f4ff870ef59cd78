#!/usr/bin/env bash
# Serves Alley Vote at http://127.0.0.1:3000 on the embedded default
# (SQLite under data/, in-process limits) with the demo campaign loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh serve
# A debug build: it shares its compiled dependencies with the test command and
# starts in minutes. For production use `cargo leptos build --release --precompress`.
exec cargo leptos serve "$@"
