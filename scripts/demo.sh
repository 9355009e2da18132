#!/bin/sh
# Starts Lectern on the embedded database with no configuration and prints what to open.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install.sh
PATH="$PWD/node_modules/.bin:$PATH"
export PATH
npm run build --silent
exec node scripts/demo.mjs
