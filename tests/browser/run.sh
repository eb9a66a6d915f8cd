#!/usr/bin/env bash
# Runs the browser tests: installs what is missing (npm ci, Debian chromium), builds the fixtures,
# runs every tests/browser/*.test.mjs with node's test runner (one file at a time) and prints a summary.
# Usage: bash tests/browser/run.sh [test files…]   (paths relative to tests/browser/ or absolute)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
started=$(date +%s)

if [ ! -x /usr/bin/chromium ]; then
  echo "== chromium missing: apt-get install -y chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q chromium
fi

# npm ci when node_modules is absent or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== building fixtures"
node build-fixtures.mjs

if [ "$#" -gt 0 ]; then files=("$@"); else files=(./*.test.mjs); fi
mkdir -p .build
echo "== node --test ${files[*]}"
set +e
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=.build/results.tap \
  "${files[@]}"
status=$?
set -e

total=$(grep -E '^# tests ' .build/results.tap 2>/dev/null | awk '{print $3}' || true)
passed=$(grep -E '^# pass ' .build/results.tap 2>/dev/null | awk '{print $3}' || true)
failed=$(grep -E '^# fail ' .build/results.tap 2>/dev/null | awk '{print $3}' || true)
skipped=$(grep -E '^# skipped ' .build/results.tap 2>/dev/null | awk '{print $3}' || true)
echo "== browser tests: ${total:-0} tests in $(( $(date +%s) - started )) s"
echo "browser: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit $status
