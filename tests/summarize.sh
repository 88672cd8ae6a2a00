#!/usr/bin/env bash
# Add up build/results/*.count for the suites named on the command line; a suite with no count
# file (its build failed) counts as one failure. Ends with the line CI reads: "N passed, N failed".
set -uo pipefail
total_passed=0; total_failed=0
for suite in "$@"; do
  if [[ -f build/results/$suite.count ]]; then
    read -r p f < "build/results/$suite.count"
  else
    echo "$suite: did not run (build failed)"; p=0; f=1
  fi
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f))
done
echo "$total_passed passed, $total_failed failed"
(( total_failed == 0 && total_passed > 0 ))
