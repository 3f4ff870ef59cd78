#!/usr/bin/env bash
# Runs every check and test: formatting, clippy per package, unit and
# integration tests on SQLite and PostgreSQL (with Redis), and the browser
# tests in Chromium with and without JavaScript.
#
# PostgreSQL/Redis tests say SKIPPED when those services are unreachable,
# unless ALLEYVOTE_REQUIRE_SERVICES=1 (CI sets it), which makes them fail.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"

step "formatting"
cargo fmt --all --check

step "clippy, package by package (ssr and hydrate are never built together)"
cargo clippy -p alleyvote-domain --all-targets -- -D warnings
cargo clippy -p app --features ssr -- -D warnings
cargo clippy -p alleyvote-server --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests (SQLite and PostgreSQL, Redis)"
cargo test -p alleyvote-domain -p app -p alleyvote-server

step "building the site for the browser tests"
cargo leptos build

step "browser tests (Chromium, phone viewport, with and without JavaScript)"
(cd end2end && ALLEYVOTE_BIN="$target_dir/debug/alleyvote" LEPTOS_SITE_ROOT="$PWD/../target/site" npx playwright test)

step "all tests passed"
