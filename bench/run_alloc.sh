#!/usr/bin/env bash
# Allocator benchmarks (shared/design/BENCH.md): every workload on the malloc peers (glibc, and
# mimalloc, jemalloc, tcmalloc preloaded) and on this library's allocators, pinned to one core,
# interleaved round by round. Raw results go to build/bench/alloc.tsv; report_alloc.py writes the
# table. Usage: bench/run_alloc.sh BENCH_BINARY [ROUNDS]
set -euo pipefail
bin=$1; rounds=${2:-5}
lib=/usr/lib/$(gcc -print-multiarch)
declare -A peers=(
  [glibc]=""
  [mimalloc]="$lib/libmimalloc.so.2"
  [jemalloc]="$lib/libjemalloc.so.2"
  [tcmalloc]="$lib/libtcmalloc_minimal.so.4"
)
# Which of our kinds run each workload (the peers run all of them); KIND:N runs N times fewer
# iterations (none does since DebugAllocator carves blocks from its heap: issue 11).
declare -A ours=(
  [random-pair]="heap heap-dyn debug"
  [lifo-pair]="heap heap-dyn"
  [slab]="heap slab slab-dyn budget"
  [batch]="heap heap-dyn"
  [arena]="arena arena-dyn heap"
  [realloc-ladder]="heap heap-dyn page"
  [large-64k]="heap page page-dyn os-mmap"
  [large-1m]="heap page os-mmap"
)
workloads=(random-pair lifo-pair slab batch arena realloc-ladder large-64k large-1m)
pin=(); command -v taskset >/dev/null && pin=(taskset -c "$(($(nproc) - 1))")

out=build/bench/alloc.tsv
mkdir -p "$(dirname "$out")"
printf 'round\tworkload\tallocator\tns_per_op\n' > "$out"
measure() { # round workload label kind preload [divisor]
  local result
  result=$(LD_PRELOAD="$5" "${pin[@]}" "$bin" "$4" "$2" "${6:-1}" 2>/dev/null) || return 0
  [[ $result == ns_per_op* ]] && printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${result#ns_per_op }" >> "$out"
  return 0
}
for round in $(seq 1 "$rounds"); do
  for w in "${workloads[@]}"; do
    for peer in glibc mimalloc jemalloc tcmalloc; do measure "$round" "$w" "$peer" malloc "${peers[$peer]}"; done
    for entry in ${ours[$w]}; do
      kind=${entry%%:*}; divisor=1; [[ $entry == *:* ]] && divisor=${entry#*:}
      measure "$round" "$w" "alloc:$kind" "$kind" "" "$divisor"
    done
  done
  echo "bench: round $round/$rounds done" >&2
done
