#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real programs under five mallocs: glibc's (nothing preloaded), mimalloc, jemalloc, tcmalloc and
# this library's shim build/liballoc-malloc.so (each through LD_PRELOAD). Each program runs ROUNDS
# times per malloc, interleaved (round 1: every program under every malloc, each program starting
# one malloc further down the list; then round 2, ...), so load on a shared machine hits all alike.
# Every run's output is compared with glibc's (a difference stops the benchmark). Records wall time
# (date +%s%N), user + sys CPU time and minor page faults (/usr/bin/time) per run into
# build/bench/programs.tsv; report_programs.py writes bench/results/programs.md and programs.svg.
# Usage: bench/run_programs.sh SHIM.so [ROUNDS]
set -euo pipefail
shim=$(realpath "$1"); rounds=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
lib=/usr/lib/$(gcc -print-multiarch)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
raw=$root/build/bench/programs.tsv
mkdir -p "$(dirname "$raw")"

# Inputs: 500k pseudo-random lines (16 MB, deterministic), its first 4 MB, and a source for gcc.
awk -v n=500000 -f "$root/bench/programs/lines.awk" >"$work/lines.txt"
head -n 125000 "$work/lines.txt" >"$work/lines-4mb.txt" # xz is slow: a quarter of the file

programs=(python3 python3-malloc perl sqlite3 gcc sort gzip xz)
declare -A commands=(
    [python3]="/usr/bin/python3 '$root/bench/programs/workload.py'"
    [python3-malloc]="PYTHONMALLOC=malloc /usr/bin/python3 '$root/bench/programs/workload.py'"
    [perl]="perl '$root/bench/programs/workload.pl'"
    [sqlite3]="sqlite3 :memory: <'$root/bench/programs/workload.sql'"
    [gcc]="gcc -O2 -g -c -I'$root/include' -I'$root/src/alloc' -D_GNU_SOURCE '$root/src/alloc/Debug.c' -o /dev/stdout"
    [sort]="sort '$work/lines.txt'"
    [gzip]="gzip -c -6 '$work/lines.txt' | gunzip -c"
    [xz]="xz -c -3 -T1 '$work/lines-4mb.txt' | xz -dc"
)
mallocs=(glibc mimalloc jemalloc tcmalloc shim)
declare -A preload=([glibc]="" [mimalloc]="$lib/libmimalloc.so.2" [jemalloc]="$lib/libjemalloc.so.2"
                    [tcmalloc]="$lib/libtcmalloc_minimal.so.4" [shim]="$shim")

printf 'round\tprogram\tmalloc\twall_s\tcpu_s\tminor_faults\n' >"$raw"
for name in "${programs[@]}"; do # reference outputs
    sh -c "${commands[$name]}" >"$work/$name.expected" 2>/dev/null
done
for round in $(seq 1 "$rounds"); do
    for p in "${!programs[@]}"; do
        name=${programs[$p]}
        for i in "${!mallocs[@]}"; do
            m=${mallocs[$(((i + p + round) % ${#mallocs[@]}))]}
            start=$(date +%s%N)
            LD_PRELOAD=${preload[$m]} /usr/bin/time -f '%U %S %R' -o "$work/usage" \
                sh -c "${commands[$name]}" >"$work/got" 2>"$work/err"
            end=$(date +%s%N)
            if ! cmp -s "$work/got" "$work/$name.expected"; then
                echo "bench: $name under $m printed something else than under glibc" >&2
                cat "$work/err" >&2; exit 1
            fi
            read -r user sys faults <"$work/usage"
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$m" \
                "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')" \
                "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "$faults" >>"$raw"
        done
    done
    echo "bench-programs: round $round/$rounds done" >&2
done

/usr/bin/python3 -B "$root/bench/report_programs.py" "$raw" "$rounds" "$root/bench/results/programs.md" \
    "$root/bench/results/programs.svg"
echo "bench-programs: wrote bench/results/programs.md, programs.svg" >&2
