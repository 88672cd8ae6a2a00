#!/usr/bin/env bash
# Run one test suite and record its counts in build/results/NAME.count as "passed failed".
# Understands Criterion's "Synthesis:" line and the plain "N passed, N failed" line. A suite that
# exits non-zero without reporting a failure is recorded as one failure; so is one that ran nothing.
# Usage: tests/run-suite.sh NAME COMMAND [ARGS...]
set -uo pipefail
name=$1; shift
mkdir -p build/results
log=build/results/$name.log
"$@" >"$log" 2>&1
status=$?
passed=0; failed=0
if line=$(grep -E 'Synthesis: Tested:' "$log" | tail -1) && [[ -n $line ]]; then
  passed=$(sed -E 's/.*Passing: ([0-9]+).*/\1/' <<<"$line")
  failed=$(( $(sed -E 's/.*Failing: ([0-9]+).*/\1/' <<<"$line") + $(sed -E 's/.*Crashing: ([0-9]+).*/\1/' <<<"$line") ))
elif line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1) && [[ -n $line ]]; then
  passed=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
  failed=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
fi
if (( status != 0 && failed == 0 )); then failed=1; fi
if (( passed + failed == 0 )); then failed=1; echo "$name: ran no test" >>"$log"; fi
echo "$passed $failed" > "build/results/$name.count"
printf '%-16s %4d passed, %d failed\n' "$name" "$passed" "$failed"
if (( failed )); then echo "---- $name (tail of $log)"; tail -40 "$log"; fi
exit 0
