#!/usr/bin/env bash
# npm test: bring the local stack up if it is not (idempotent), then lint, type-check, unit tests,
# and integration tests against the real Kafka and Postgres. Non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/local/stack.sh up
# Static checks and unit tests may run side by side; integration tests share one broker and one
# database server, so they run one project at a time (each project's files run in sequence too).
npx nx run-many -t lint typecheck test --output-style=static
npx nx run-many -t int-test --parallel=1 --output-style=static
