#!/usr/bin/env bash
# Lints handlers/openapi.json with the Redocly CLI pinned in package-lock.json;
# warnings fail the lint too.
set -euo pipefail
cd "$(dirname "$0")"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
npm ci --no-audit --no-fund --loglevel=error
doc=../../handlers/openapi.json
./node_modules/.bin/redocly lint --config redocly.yaml --format=stylish "$doc"
./node_modules/.bin/redocly lint --config redocly.yaml --format=json "$doc" 2>/dev/null |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const t=JSON.parse(s).totals;if(t.errors||t.warnings){console.error(`openapi lint: ${t.errors} errors, ${t.warnings} warnings`);process.exit(1)}})'
