#!/usr/bin/env bash
# Suite `apidoc-doxygen`: the Doxygen-dialect parser's unit tests (release, then ASan+UBSan with
# leak checking) and its golden cases: each tests/apidoc/doxygen/cases/<case>.h is extracted and
# its documentation model compared with <case>.expected.json (check_case.py), its diagnostics with
# <case>.stderr (which ends with the exit code). Ends with "N passed, N failed".
# UPDATE=1 rewrites the golden files.
# Usage: tests/apidoc/doxygen/run.sh TEST_BINARY TEST_BINARY_ASAN APIDOC
set -uo pipefail
unit=$(realpath "$1"); unit_asan=$(realpath "$2"); apidoc=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [[ -n ${2:-} ]] && echo "$2" | head -40; }

# --- unit tests: Criterion's own counts ---------------------------------------------------------
for bin in "$unit" "$unit_asan"; do
  out=$(ASAN_OPTIONS=detect_leaks=1 "$bin" --jobs 1 2>&1)
  line=$(grep -E 'Synthesis: Tested:' <<<"$out" | tail -1)
  p=$(sed -E 's/.*Passing: ([0-9]+).*/\1/' <<<"$line"); f=$(sed -E 's/.*Failing: ([0-9]+).*Crashing: ([0-9]+).*/\1+\2/' <<<"$line")
  echo "unit tests ($(basename "$bin")): ${p:-0} passing, ${f:-1} failing or crashing" # not Criterion's line: run-suite.sh would take it for the total
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
  if grep -q 'LeakSanitizer\|AddressSanitizer\|runtime error' <<<"$out"; then fail "$(basename "$bin"): sanitizer report" "$out"; fi
done

# --- golden cases ---------------------------------------------------------------------------------
cd "$here/cases"
for header in *.h; do
  case=${header%.h}
  "$apidoc" extract --tags "$root/docs/tags.yml" -o "$tmp/$case.json" --header "$header" -- -I. 2> "$tmp/$case.stderr"
  echo "exit: $?" >> "$tmp/$case.stderr"
  if [[ ${UPDATE:-0} == 1 ]]; then
    /usr/bin/python3 "$here/check_case.py" "$tmp/$case.json" - --write > "$case.expected.json"
    cp "$tmp/$case.stderr" "$case.stderr"
  fi
  if ! m=$(/usr/bin/python3 "$here/check_case.py" "$tmp/$case.json" "$case.expected.json" 2>&1); then
    fail "case $case: documentation model" "$m"
  else
    ok "case $case: documentation model"
  fi
  if e=$(diff -u "$case.stderr" "$tmp/$case.stderr"); then ok "case $case: diagnostics"; else fail "case $case: diagnostics" "$e"; fi
done

echo "apidoc-doxygen: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
