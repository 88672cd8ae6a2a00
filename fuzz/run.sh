#!/usr/bin/env bash
# Run libFuzzer targets for a fixed time each and report one result per target, ending with the
# line `N passed, N failed` (a target passes when it ran its time without a crash, leak or timeout).
# Each target starts from its committed seeds (fuzz/corpus/<target>/) plus what earlier runs found
# (build/fuzz/corpus/<target>/, not committed); crashes land in build/fuzz/artifacts/.
# Usage: fuzz/run.sh SECONDS BINARY...     (BINARY: build/fuzz/fuzz_<target>)
set -uo pipefail
seconds=$1; shift
mkdir -p build/fuzz/logs build/fuzz/artifacts
passed=0; failed=0
for binary in "$@"; do
  target=$(basename "$binary"); target=${target#fuzz_}
  work=build/fuzz/corpus/$target; seeds=fuzz/corpus/$target; log=build/fuzz/logs/$target-${seconds}s.log
  mkdir -p "$work" "$seeds"
  if "$binary" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=512 -len_control=0 \
       -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$target-" \
       "$work" "$seeds" >"$log" 2>&1; then
    passed=$((passed + 1))
    runs=$(grep -m1 -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    echo "fuzz $target: ok, ${runs:-?} runs in ${seconds}s, ${cov:-cov: ?}"
  else
    failed=$((failed + 1))
    echo "fuzz $target: FAILED (log: $log)"
    grep -E 'fuzz:|ERROR|SUMMARY|alloc: fatal|Test unit written' "$log" | head -20
  fi
done
echo "$passed passed, $failed failed"
(( failed == 0 ))
