#!/usr/bin/env bash
# Runs the browser tests: installs what is missing (npm ci, Debian chromium and firefox-esr), builds the
# fixtures, runs every tests/browser/*.test.mjs (Chromium's extension-*, Firefox's firefox-*, packaging)
# with node's test runner (one file at a time) and prints a summary.
# Usage: bash tests/browser/run.sh [test files…]   (paths relative to tests/browser/ or absolute)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
started=$(date +%s)

# Debian's browsers (never downloaded ones): chromium, and firefox-esr with its es-MX language pack.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
dpkg -s firefox-esr-l10n-es-mx >/dev/null 2>&1 || missing+=(firefox-esr-l10n-es-mx)
command -v zip >/dev/null || missing+=(zip)
command -v unzip >/dev/null || missing+=(unzip)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== apt-get install -y ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q "${missing[@]}"
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
