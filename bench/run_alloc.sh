#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Allocator benchmarks (shared/design/BENCH.md): every workload of bench_alloc on the malloc peers
# (glibc, and mimalloc, jemalloc, tcmalloc preloaded) and on every allocator bench_alloc knows
# (this library's kinds, typed and through `Allocator *`, the empty loop, a fresh mmap per block),
# pinned to one core, interleaved round by round (each round starts one allocator further down the
# list, so no allocator always runs first). Then one callgrind pass per workload and allocator,
# counting instructions inside the timed loop only. Raw results: build/bench/alloc.tsv (CPU ns per
# op per round), alloc-ir.tsv (instructions per op), alloc-refused.tsv (workloads a kind cannot
# run, and why); report_alloc.py writes the tables.
# Usage: bench/run_alloc.sh BENCH_BINARY [ROUNDS] [CALLGRIND_DIVISOR]
set -euo pipefail
bin=$1; rounds=${2:-5}; cg_divisor=${3:-10}
lib=/usr/lib/$(gcc -print-multiarch)
declare -A preload=(
  [glibc]=""
  [mimalloc]="$lib/libmimalloc.so.2"
  [jemalloc]="$lib/libjemalloc.so.2"
  [tcmalloc]="$lib/libtcmalloc_minimal.so.4"
)
peers=(glibc mimalloc jemalloc tcmalloc)
mapfile -t workloads < <("$bin" --list | awk '$1 == "workload" { print $2 }')
mapfile -t ours < <("$bin" --list | awk '$1 == "allocator" && $2 != "malloc" { print $2 }')
# label -> "kind preload" for every allocator of a run
declare -A kind_of=() preload_of=()
labels=()
for p in "${peers[@]}"; do labels+=("$p"); kind_of[$p]=malloc; preload_of[$p]=${preload[$p]}; done
for k in "${ours[@]}"; do labels+=("alloc:$k"); kind_of[alloc:$k]=$k; preload_of[alloc:$k]=""; done
# A fresh mapping per block is the baseline of the large workloads only (8 µs a pair otherwise).
runs_on() { [[ $1 != alloc:os-mmap || $2 == large-* ]]; }

pin=(); command -v taskset >/dev/null && pin=(taskset -c "$(($(nproc) - 1))")
dir=build/bench
mkdir -p "$dir"
printf 'round\tworkload\tallocator\tns_per_op\n' >"$dir/alloc.tsv"
printf 'workload\tallocator\tinstructions_per_op\n' >"$dir/alloc-ir.tsv"
printf 'workload\tallocator\treason\n' >"$dir/alloc-refused.tsv"

measure() { # round workload label
  local result
  result=$(LD_PRELOAD="${preload_of[$3]}" "${pin[@]}" "$bin" "${kind_of[$3]}" "$2" 2>&1) ||
    { echo "bench: $3 on $2 failed: $result" >&2; return 1; }
  case $result in
  ns_per_op*) printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(awk '$1 == "ns_per_op" { print $2 }' <<<"$result")" >>"$dir/alloc.tsv" ;;
  unsupported:*)
    if (( $1 == 1 )); then printf '%s\t%s\t%s\n' "$2" "$3" "${result#unsupported: }" >>"$dir/alloc-refused.tsv"; fi ;;
  *) echo "bench: $3 on $2 printed: $result" >&2; return 1 ;;
  esac
}

count=${#labels[@]}
for round in $(seq 1 "$rounds"); do
  for w in "${workloads[@]}"; do
    for i in $(seq 0 $((count - 1))); do
      label=${labels[$(((i + round - 1) % count))]}
      runs_on "$label" "$w" && measure "$round" "$w" "$label"
    done
  done
  echo "bench: round $round/$rounds done" >&2
done

# Instructions per op: the count callgrind collected inside bench_timed_loop over the ops done.
for w in "${workloads[@]}"; do
  for label in "${labels[@]}"; do
    runs_on "$label" "$w" || continue
    grep -qP "^\Q$w\E\t\Q$label\E\t" "$dir/alloc-refused.tsv" && continue
    out=$(LD_PRELOAD="${preload_of[$label]}" valgrind --tool=callgrind --collect-atstart=no \
          --toggle-collect='*bench_timed_loop*' --callgrind-out-file=/dev/null \
          "$bin" "${kind_of[$label]}" "$w" "$cg_divisor" 2>&1) || { echo "bench: callgrind $label $w: $out" >&2; exit 1; }
    awk -v w="$w" -v a="$label" '$1 == "ops" { ops = $2 } /Collected :/ { ir = $NF }
         END { if (ops > 0) printf "%s\t%s\t%.1f\n", w, a, ir / ops }' <<<"$out" >>"$dir/alloc-ir.tsv"
  done
  echo "bench: callgrind $w done" >&2
done

/usr/bin/python3 -B "$(dirname "$0")/report_alloc.py" "$dir" "$rounds" bench/results/alloc.md \
    bench/results/alloc.svg bench/results/alloc-dyn.svg
echo "bench: wrote bench/results/alloc.md, alloc.svg, alloc-dyn.svg" >&2
