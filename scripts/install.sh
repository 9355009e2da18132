#!/bin/sh
# Installs what a fresh machine lacks: Debian's chromium and ffmpeg (as root), and the npm
# dependencies, which bring the project's own Node.js LTS. Quick when all is in place.
set -eu
cd "$(dirname "$0")/.."

missing=''
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v ffmpeg >/dev/null 2>&1 || missing="$missing ffmpeg"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing from Debian's packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "warning: install$missing (Debian: apt-get install$missing); browser and media tests need them" >&2
  fi
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Engine warnings are expected here: npm itself may run on an older system Node.
  npm ci --no-audit --no-fund --loglevel=error
fi

# The project's own Node.js comes from the npm registry through an install script; check it ran.
if ! node_modules/.bin/node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  echo 'error: node_modules/.bin/node is missing or older than 22; run npm ci again' >&2
  exit 1
fi
