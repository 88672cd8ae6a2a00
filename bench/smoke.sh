#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Suite bench-smoke: every measurement `make bench` takes still runs. Each allocator of bench_alloc
# runs each workload once with 1000 times fewer iterations and must print a positive ns_per_op and
# an op count, or refuse the workload with a reason (malloc and our general heap never refuse).
# Nothing is timed or compared: speed is reported by make bench, never asserted.
# Usage: bench/smoke.sh BENCH_ALLOC   (ends with "N passed, N failed")
set -uo pipefail
bin=$1
passed=0; failed=0
mapfile -t workloads < <("$bin" --list | awk '$1 == "workload" { print $2 }')
mapfile -t allocators < <("$bin" --list | awk '$1 == "allocator" { print $2 }')
if (( ${#workloads[@]} == 0 || ${#allocators[@]} == 0 )); then
    echo "FAIL  $bin --list named no workload or allocator"; echo "0 passed, 1 failed"; exit 1
fi
for w in "${workloads[@]}"; do
    for a in "${allocators[@]}"; do
        out=$("$bin" "$a" "$w" 1000 2>&1); status=$?
        ns=$(awk '$1 == "ns_per_op" { print $2 }' <<<"$out")
        ops=$(awk '$1 == "ops" { print $2 }' <<<"$out")
        if (( status == 0 )) && [[ $ns =~ ^[0-9]+\.[0-9]+$ && $ops =~ ^[1-9][0-9]*$ ]] &&
           awk -v v="$ns" 'BEGIN { exit !(v > 0) }'; then
            passed=$((passed + 1)); echo "ok    $a $w: $ops ops"
        elif (( status == 0 )) && [[ $out == "unsupported: "?* && $a != malloc && $a != heap* ]]; then
            passed=$((passed + 1)); echo "ok    $a $w: refused (${out#unsupported: })"
        else
            failed=$((failed + 1)); echo "FAIL  $a $w: status $status: $out"
        fi
    done
done
echo "$passed passed, $failed failed"
(( failed == 0 ))
