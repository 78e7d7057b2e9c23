#!/usr/bin/env bash
# Everything `npm test`, `npm run demo` and `npm run bench` need on a fresh machine, idempotent:
#  1. node_modules from the lock file, which brings the pinned Node 24 (the Lambda runtime's major)
#     as node_modules/.bin/node; npm scripts put it first on PATH;
#  2. the local stack's engines (Trino + Iceberg from Maven Central, moto in a Python venv),
#     provisioned once into the cache outside the clone (FUJI_ETL_CACHE_DIR, default
#     ~/.cache/fuji-etl) and reused offline by every later clone.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.fuji-etl-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: installing node_modules (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

node_modules/.bin/node cli/fuji-etl.ts stack provision
