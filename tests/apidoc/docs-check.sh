#!/usr/bin/env bash
# The docs-check suite: `apidoc lint` over the library's public headers must be clean, and the
# documentation's compile database must cover every .c of the repository (but the fixture trees
# of apidoc's own tests), each built once.
# Usage: tests/apidoc/docs-check.sh build/apidoc [compile_commands.json]
set -uo pipefail
db=${2:-build/compile_commands.json}
passed=0; failed=0
if "$1" lint -p "$db" --cache build/docs/cache; then
  passed=$((passed + 1)); echo "PASS lint over every unit of $db is clean"
else
  failed=$((failed + 1)); echo "FAIL lint over every unit of $db is clean"
fi
if out=$(/usr/bin/python3 - "$db" <<'PY'
import json, subprocess, sys
db = [e["file"] for e in json.load(open(sys.argv[1]))]
every = [f for f in subprocess.run(["git", "ls-files", "*.c"], capture_output=True, text=True).stdout.split()
         if not f.startswith(("tests/apidoc/cases/", "tests/site/fixture/"))]
missing, twice = sorted(set(every) - set(db)), sorted({f for f in db if db.count(f) > 1})
print(f"{len(db)} units for {len(every)} files; missing: {missing}; twice: {twice}")
sys.exit(1 if missing or twice or not every else 0)
PY
); then
  passed=$((passed + 1)); echo "PASS the compile database covers every .c of the repository ($out)"
else
  failed=$((failed + 1)); echo "FAIL the compile database covers every .c of the repository ($out)"
fi
echo "$passed passed, $failed failed"
