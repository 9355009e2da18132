#!/bin/sh
# The one command that checks everything: build, lint, typecheck, every test on PGlite and
# (when a server is reachable) PostgreSQL, the browser tests, and the production audit.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install.sh
PATH="$PWD/node_modules/.bin:$PATH"
export PATH
echo "node $(node --version)"

if [ -z "${LECTERN_TEST_DATABASE_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 &&
  pg_isready -q -h 127.0.0.1 -p 5432; then
  LECTERN_TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/postgres'
  export LECTERN_TEST_DATABASE_URL
fi
if [ -n "${LECTERN_TEST_DATABASE_URL:-}" ]; then
  echo "database tests: PGlite and PostgreSQL"
else
  echo "database tests: PGlite only (set LECTERN_TEST_DATABASE_URL to add PostgreSQL)"
fi

npm run build
npm run lint
npm run typecheck
npm run test:server
npm run test:browser
npm run test:e2e
node scripts/audit.mjs
