#!/usr/bin/env bash
# npm run demo: the local stack, then every Rabt service built so far (deploy/local/demo.ts),
# until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/local/stack.sh up
npx nx run-many -t build -p gateway schema-registry router dispatcher --output-style=static >/dev/null
exec node_modules/.bin/tsx --tsconfig tsconfig.base.json deploy/local/demo.ts
