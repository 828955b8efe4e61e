#!/usr/bin/env bash
# npm run demo [-- --scenario <name> | --load N | --help]: the local stack, then every Rabt service
# and the agency simulators (deploy/local/demo.ts), until Ctrl-C. docs/simulators.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# The demo runs in development mode: public development secrets, plain-http cookies, the
# passwordless local database (docs/development.md). Each service says so loudly at start.
export RABT_DEV_MODE=true

bash scripts/prerequisites.sh demo
bash deploy/local/stack.sh up
echo "[demo] building the services …"
npx nx run-many -t build -p gateway schema-registry router dispatcher workflow ops agency-simulator --output-style=static >/dev/null
# The operator console (apps/console) is served by ops when it is built.
if [ -f apps/console/project.json ]; then
  npx nx run console:build --output-style=static >/dev/null || echo "[demo] the console did not build; the ops API still runs"
fi
exec node_modules/.bin/tsx --tsconfig tsconfig.base.json deploy/local/demo.ts "$@"
