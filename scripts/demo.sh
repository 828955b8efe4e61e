#!/usr/bin/env bash
# npm run demo: the local stack plus every Rabt service built so far, until Ctrl-C.
# The employee-left-work transaction, the agency simulators and the console are not built yet;
# this says so instead of pretending.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/local/stack.sh up
npx nx run-many -t build -p gateway schema-registry --output-style=static >/dev/null
mkdir -p deploy/local/.run/logs

pids=()
stop() {
  echo; echo "[demo] stopping services"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  echo "[demo] services stopped; the stack keeps running (npm run stack:down stops it)"
}
trap stop EXIT
trap 'exit 0' INT TERM

start() { # name port-variable port
  local log="deploy/local/.run/logs/$1.log"
  env "$2=$3" node "dist/apps/$1/main.js" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$3/health/ready" >/dev/null 2>&1; then echo "[demo] $1 ready on http://127.0.0.1:$3 (log: $log)"; return 0; fi
    sleep 0.3
  done
  echo "[demo] $1 did not become ready; see $log" >&2; return 1
}

start schema-registry SCHEMA_REGISTRY_PORT "${SCHEMA_REGISTRY_PORT:-8081}"
start gateway GATEWAY_PORT "${GATEWAY_PORT:-8080}"

cat <<MSG

[demo] Running: Kafka (KRaft) on 127.0.0.1:9092, PostgreSQL, and the service skeletons above
       (/health/live, /health/ready, /metrics on each).
[demo] Not built yet: the schema registry API, the publish API, routing and delivery, the
       employee-left-work workflow, the agency simulators and the operator console.
[demo] Ctrl-C stops the services.
MSG
while true; do sleep 3600; done
