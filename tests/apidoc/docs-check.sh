#!/usr/bin/env bash
# The docs-check suite: `apidoc lint` over the library's public headers must be clean.
# Usage: tests/apidoc/docs-check.sh build/apidoc [compile_commands.json]
set -uo pipefail
if "$1" lint -p "${2:-build/compile_commands.json}" --cache build/docs/cache; then
  echo "1 passed, 0 failed"
else
  echo "0 passed, 1 failed"
fi
