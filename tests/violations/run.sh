#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the violation catalogue: each program (one per allocator kind) runs every one of its cases
# in its own child and checks how it ended (driver.c, through tests/support/death.c); then the
# generated part of docs/guides/violation-catalogue.md must be what this run observed.
# Usage: tests/violations/run.sh [--write-doc] PROGRAM...   (ends with "N passed, N failed")
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
doc=docs/guides/violation-catalogue.md
write_doc=0
if [[ ${1-} == --write-doc ]]; then write_doc=1; shift; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ulimit -c 0
passed=0; failed=0
: >"$tmp/results.tsv"
for prog in "$@"; do
    : >"$tmp/one.tsv"
    "$prog" --run "$tmp/one.tsv" | tee "$tmp/out"
    counts=$(tail -1 "$tmp/out")
    if [[ $counts =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    else
        echo "FAIL  $prog did not finish"; failed=$((failed + 1))
    fi
    sed "s|^|${prog##*/}\t|" "$tmp/one.tsv" >>"$tmp/results.tsv"
done

/usr/bin/python3 -B "$here/catalogue.py" "$tmp/results.tsv" >"$tmp/generated.md"
if (( write_doc )); then
    if (( failed )); then echo "not writing $doc: $failed case(s) failed"; exit 1; fi
    /usr/bin/python3 -B "$here/catalogue.py" --splice "$doc" "$tmp/generated.md"
    echo "wrote $doc"
fi
# The doc's generated part must be exactly what this run saw.
if /usr/bin/python3 -B "$here/catalogue.py" --extract "$doc" >"$tmp/committed.md" 2>"$tmp/extract.err" &&
    diff -u "$tmp/committed.md" "$tmp/generated.md" >"$tmp/doc.diff"; then
    passed=$((passed + 1)); echo "ok    $doc matches the observed output"
else
    failed=$((failed + 1))
    echo "FAIL  $doc differs from the observed output (make violation-catalogue rewrites it):"
    cat "$tmp/extract.err" "$tmp/doc.diff" | head -60
fi
echo "$passed passed, $failed failed"
(( failed == 0 ))
