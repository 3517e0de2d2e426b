#!/usr/bin/env bash
# HTTP benchmark of the session API with wrk (32 connections): session create (POST), GET and
# PATCH, on SQLite and on a throwaway PostgreSQL. Prints medians of REPEAT runs as a Markdown table
# (paste into docs/PERFORMANCE.md). Usage: bench/run_http_bench.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
BIN=$PWD/$BUILD/connector-gen
DURATION=${DURATION:-8s}
REPEAT=${REPEAT:-3}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
IO_THREADS=${IO_THREADS:-2}
ACCESS_LOG=${ACCESS_LOG:-false}
TMP=$(mktemp -d /tmp/cg-bench.XXXXXX)
trap 'kill $SERVER_PID 2>/dev/null || true; ./scripts/pg-test-server.sh stop "$TMP/pg" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT

cat >"$TMP/post.lua" <<'LUA'
wrk.method = "POST"
LUA
cat >"$TMP/patch.lua" <<'LUA'
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"data":{"key' .. (counter % 50) .. '":{"n":' .. counter .. '}}}')
end
LUA
cat >"$TMP/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_case() {  # name url lua
  local name=$1 url=$2 script=$3 rps=() p50=() p99=() errs=0
  for i in $(seq 1 "$REPEAT"); do
    local extra=()
    [ -n "$script" ] && extra=(-s "$script")
    local out
    out=$(cat "$TMP/report.lua" ${script:+"$script"} >"$TMP/combined.lua"; wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$TMP/combined.lua" "$url" | grep '^RESULT')
    read -r _ r l50 l99 e <<<"$out"
    rps+=("$r"); p50+=("$l50"); p99+=("$l99"); errs=$((errs + e))
  done
  printf '| %s | %s | %s | %s | %s | %s |\n' "$BACKEND" "$name" \
    "$(printf '%s\n' "${rps[@]}" | median)" "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)" "$errs"
}

bench_backend() {  # backend database-url
  BACKEND=$1
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  DATABASE__URL=$2 LOGGING__ACCESS_LOG=$ACCESS_LOG LOGGING__LEVEL=warning "$BIN" serve --host 127.0.0.1 --port "$port" \
    --io-threads "$IO_THREADS" --workers 1 >"$TMP/server-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
  local sid
  sid=$(curl -sf -XPOST "http://127.0.0.1:$port/api/v1/session" | python3 -c 'import sys,json; print(json.load(sys.stdin)["sessionId"])')
  curl -sf -XPATCH "http://127.0.0.1:$port/api/v1/session/$sid" -H 'Content-Type: application/json' \
    -d '{"data":{"discoveryInput":{"applicationName":"Forgejo","applicationVersion":"11"},"scrapeInput":{"starterLinks":["https://forgejo.org/docs/latest/"]}}}' >/dev/null
  run_case "GET session" "http://127.0.0.1:$port/api/v1/session/$sid" ""
  run_case "POST session" "http://127.0.0.1:$port/api/v1/session" "$TMP/post.lua"
  local sid2
  sid2=$(curl -sf -XPOST "http://127.0.0.1:$port/api/v1/session" | python3 -c 'import sys,json; print(json.load(sys.stdin)["sessionId"])')
  run_case "PATCH session" "http://127.0.0.1:$port/api/v1/session/$sid2" "$TMP/patch.lua"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
}

echo "wrk: $THREADS threads, $CONNS connections, $DURATION x $REPEAT runs (median); server io threads $IO_THREADS; access log $ACCESS_LOG"
echo
echo "| backend | request | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
bench_backend sqlite "$TMP/bench.db"
./scripts/pg-test-server.sh start "$TMP/pg" >/dev/null
bench_backend postgresql "$(cat "$TMP/pg/pg_url")"
