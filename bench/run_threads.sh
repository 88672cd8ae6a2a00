#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two-thread workloads with cross-thread frees (bench/threads/bench_threads.c) under glibc, the
# peers (mimalloc, jemalloc, tcmalloc through LD_PRELOAD) and this library's malloc shim
# (build/liballoc-malloc.so, LD_PRELOAD), interleaved round by round. Not pinned: the two threads
# need both cores. Raw results: build/bench/threads.tsv (wall and CPU ns per op per round);
# report_threads.py writes bench/results/threads.md and threads.svg.
# Usage: bench/run_threads.sh BENCH_THREADS SHIM.so [ROUNDS]
set -euo pipefail
bin=$1; shim=$(realpath "$2"); rounds=${3:-5}
lib=/usr/lib/$(gcc -print-multiarch)
declare -A preload=([glibc]="" [mimalloc]="$lib/libmimalloc.so.2" [jemalloc]="$lib/libjemalloc.so.2"
                    [tcmalloc]="$lib/libtcmalloc_minimal.so.4" [shim]="$shim")
mallocs=(glibc mimalloc jemalloc tcmalloc shim)
mapfile -t workloads < <("$bin" --list | awk '$1 == "workload" { print $2 }')
out=build/bench/threads.tsv
mkdir -p "$(dirname "$out")"
printf 'round\tworkload\tmalloc\twall_ns_per_op\tcpu_ns_per_op\n' >"$out"
for round in $(seq 1 "$rounds"); do
  for w in "${workloads[@]}"; do
    for i in "${!mallocs[@]}"; do
      m=${mallocs[$(((i + round - 1) % ${#mallocs[@]}))]}
      result=$(LD_PRELOAD=${preload[$m]} "$bin" "$w" 2>&1) || { echo "bench: $w under $m: $result" >&2; exit 1; }
      awk -v r="$round" -v w="$w" -v m="$m" '$1 == "wall_ns_per_op" { wall = $2 } $1 == "cpu_ns_per_op" { cpu = $2 }
           END { printf "%s\t%s\t%s\t%s\t%s\n", r, w, m, wall, cpu }' <<<"$result" >>"$out"
    done
  done
  echo "bench-threads: round $round/$rounds done" >&2
done

/usr/bin/python3 -B "$(dirname "$0")/report_threads.py" "$out" "$rounds" bench/results/threads.md \
    bench/results/threads.svg
echo "bench-threads: wrote bench/results/threads.md, threads.svg" >&2
