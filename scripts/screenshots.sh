#!/usr/bin/env bash
# Refreshes the screenshots the README shows (docs/screenshots/): the browser
# test that takes them, pointed at docs/ instead of its ignored folder. The
# test command never writes into docs/, so a test run leaves the tree clean.
# Usage: scripts/screenshots.sh   (after scripts/setup.sh test)
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
cargo leptos build
(cd end2end && ALLEYVOTE_SHOTS="$PWD/../docs/screenshots" ALLEYVOTE_BIN="$target_dir/debug/alleyvote" \
  LEPTOS_SITE_ROOT="$PWD/../target/site" npx playwright test screen.spec.ts voting.spec.ts paper.spec.ts console.spec.ts)
git status --short docs/screenshots
