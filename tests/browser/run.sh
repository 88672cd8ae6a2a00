#!/usr/bin/env bash
# Suite `browser`: builds the fixture site (tests/site/fixture/api.json -> Markdown -> mkdocs),
# then runs tests/browser/*.test.js with node's test runner against it in headless Chromium.
# node --test ends with "# pass N" / "# fail N"; this prints the line run-suite.sh reads.
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! make --no-print-directory -s site-fixture; then
  echo "browser: the fixture site did not build"
  echo "0 passed, 1 failed"
  exit 1
fi
out=$(node --test --test-reporter=tap tests/browser/*.test.js 2>&1)
status=$?
printf '%s\n' "$out"
pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' <<<"$out" | tail -1)
fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' <<<"$out" | tail -1)
echo "browser: ${pass:-0} passed, ${fail:-1} failed"
exit $status
