#!/usr/bin/env bash
# The JSON API's contract, checked from outside: schemathesis generates
# requests (valid and invalid) from the OpenAPI document the server itself
# serves and checks every answer against that document (`--checks all`:
# no 5xx, documented statuses and bodies, valid data accepted, invalid data
# refused). Runs against SQLite and, when reachable, PostgreSQL, in the demo
# campaign's voting stage and again in its nomination stage, where the
# nomination operations reach their bodies (a nomination's fields carry the
# patterns of the parser behind them; what no schema can know, an unknown
# community, a likely duplicate, the nominator's own number, is a 404 or a
# 409). `STAGES=voting` (or `nomination`) runs one stage only.
stages="${STAGES:-voting nomination}"
# Usage: scripts/api-contract.sh [server binary]   (schemathesis from PyPI)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/alleyvote}"
pg_admin="${ALLEYVOTE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

say() { printf '\033[1m[api-contract]\033[0m %s\n' "$*"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Signs a resident in through the API itself (the log sender's outbox holds
# the code; the latest line is this one's) and prints the session token.
sign_in() {
  local base=$1 outbox=$2 phone=$3
  curl -sf -X POST "$base/sms-codes" -H 'content-type: application/json' \
    -d "{\"phone\": \"$phone\"}" >/dev/null
  local code
  code=$(grep -o '验证码是 [0-9]\{6\}' "$outbox" | tail -n1 | grep -o '[0-9]\{6\}')
  curl -sf -X POST "$base/sessions" -H 'content-type: application/json' \
    -d "{\"phone\": \"$phone\", \"code\": \"$code\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

check_backend() {
  local name=$1 database_url=$2 stage=$3 dir port pid base token logout_token status=0
  dir=$(mktemp -d)
  port=$(free_port)
  # The address, device and resident limits are raised so that the generated
  # requests reach the logic behind them; the per-number SMS limits still
  # answer 429.
  base="http://127.0.0.1:$port/api/v1"
  ALLEYVOTE_ADDR="127.0.0.1:$port" ALLEYVOTE_DATA_DIR="$dir" DATABASE_URL="$database_url" \
    ALLEYVOTE_DEMO_DATA=true ALLEYVOTE_DEMO_STAGE="$stage" ALLEYVOTE_RATE_IP_PER_MIN=100000 ALLEYVOTE_RATE_DEVICE_PER_MIN=100000 \
    ALLEYVOTE_RATE_VOTER_PER_MIN=100000 LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=alleyvote \
    RUST_LOG=warn "$bin" >"$dir/server.log" 2>&1 &
  pid=$!
  # Ready when it answers; a server that never comes up fails here.
  if ! curl -sf --retry 60 --retry-delay 1 --retry-connrefused "http://127.0.0.1:$port/healthz" >/dev/null; then
    say "$name: the server did not start"; cat "$dir/server.log"; kill "$pid" 2>/dev/null || true
    return 1
  fi
  token=$(sign_in "$base" "$dir/sms-outbox.jsonl" 13800000001)
  # Signing out ends the session it is sent with: schemathesis.toml gives
  # that operation a session of its own, so the resident's lasts the run.
  logout_token=$(sign_in "$base" "$dir/sms-outbox.jsonl" 13800000002)
  say "$name, $stage stage: schemathesis against $base/openapi.json"
  ALLEYVOTE_CONTRACT_LOGOUT_TOKEN="$logout_token" python3 -m schemathesis.cli run "$base/openapi.json" --checks all --header "Authorization: Bearer $token" \
    --max-examples "${API_CONTRACT_EXAMPLES:-60}" --seed 1 --generation-database none --no-color \
    --report junit --report-dir "$dir/report" || status=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if grep -q 'panicked' "$dir/server.log"; then
    say "$name: the server panicked"; grep -A5 'panicked' "$dir/server.log"; status=1
  fi
  rm -rf "$dir"
  return "$status"
}

status=0
for stage in $stages; do
  check_backend sqlite "sqlite://$(mktemp -d)/contract.db" "$stage" || status=$?
done

if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  for stage in $stages; do
    db="alleyvote_test_contract_$$_$stage"
    psql "$pg_admin" -qc "CREATE DATABASE $db" >/dev/null
    check_backend postgres "${pg_admin%/*}/$db" "$stage" || status=$?
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
  done
  exit "$status"
elif [ "${ALLEYVOTE_REQUIRE_SERVICES:-}" = "1" ]; then
  say "PostgreSQL is required (ALLEYVOTE_REQUIRE_SERVICES=1) but not reachable"; exit 1
else
  say "SKIPPED on PostgreSQL: not reachable at 127.0.0.1:5432"
fi
exit "$status"
