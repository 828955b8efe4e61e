#!/usr/bin/env bash
# npm test: check (or install) what the tests need, bring the local stack up if it is not
# (idempotent), then lint, type-check, unit tests, the contract gates, and integration tests
# against the real Kafka and Postgres. Non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests run in development mode: the public development secrets and the passwordless local
# database are allowed (docs/development.md); outside it every service refuses them.
export RABT_DEV_MODE=true

bash scripts/prerequisites.sh test
bash deploy/local/stack.sh up
# Static checks and unit tests may run side by side.
npx nx run-many -t lint typecheck test --output-style=static

# Contract gates, like `buf breaking`: every schema parses, its golden fixtures hold, and it is
# compatible (under its subject's level) with the same schema one commit back; the AsyncAPI
# document is up to date.
base="$(git rev-parse --verify -q HEAD~1 || echo HEAD)"
npm run --silent rabt -- schemas check --git-base "$base"
npm run --silent rabt -- asyncapi --check

# Integration tests share one broker and one database server, so they run one project at a
# time (and each project's files in sequence).
npx nx run-many -t int-test --parallel=1 --output-style=static
