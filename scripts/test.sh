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
# Each PostgreSQL test makes a database of its own; drop those earlier runs left.
pg_admin="${ALLEYVOTE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v psql >/dev/null 2>&1; then
  { psql "$pg_admin" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'alleyvote\_test\_%'" 2>/dev/null || true; } |
    while read -r db; do psql "$pg_admin" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done || true
fi
# nextest runs each test in its own process and ends one that hangs
# (.config/nextest.toml). There are no doc examples to run.
cargo nextest run -p alleyvote-domain -p app -p alleyvote-server

step "building the site for the browser tests"
cargo leptos build

step "browser tests (Chromium, phone viewport, with and without JavaScript)"
(cd end2end && ALLEYVOTE_BIN="$target_dir/debug/alleyvote" LEPTOS_SITE_ROOT="$PWD/../target/site" npx playwright test)

step "API contract (schemathesis, SQLite and PostgreSQL)"
scripts/api-contract.sh "$target_dir/debug/alleyvote"

# The production build differs from the test build (a size-optimised wasm,
# a release server) and has failed on its own before: it must build too.
step "the production build (cargo leptos build --release --precompress)"
cargo leptos build --release --precompress

step "all tests passed"
