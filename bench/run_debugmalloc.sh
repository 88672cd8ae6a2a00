#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Heap bugs, side by side (BENCH.md): the bug corpus (tests/debugmalloc/bugs) and real programs
# under build/liballoc-debug.so and under valgrind memcheck, in the same run.
#   - corpus: does each tool report the bug? (ours: an "alloc: debug: ERROR" or "leak:" line;
#     memcheck: --error-exitcode with definite leaks counted as errors);
#   - real programs: CPU time (user + sys, /usr/bin/time) of glibc, ours and memcheck, ROUNDS
#     interleaved rounds, medians of the per-round ratios to glibc; and the reports each tool
#     makes on them (ours: errors and leaks; memcheck: errors and "definitely lost" bytes);
#   - the unwinders (tests/debugmalloc/tools/unwind_bench.c: frame pointers, libunwind, glibc
#     backtrace) and the symbolisers (addr2line against eu-addr2line on the same 8 addresses).
# Only the first program of a pipeline (gzip of gzip | gunzip) runs under the tool.
# Writes build/bench/debugmalloc.tsv and bench/results/debugmalloc.md.
# Usage: bench/run_debugmalloc.sh LIBALLOC-DEBUG.so CORPUS_DIR UNWIND_BENCH [ROUNDS]
# (mk/debugmalloc.mk builds the corpus -g -O0 into CORPUS_DIR and the unwinder benchmark.)
set -euo pipefail
lib=$(realpath "$1"); corpus=$(realpath "$2"); unwind=$(realpath "$3"); rounds=${4:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ulimit -c 0
raw=$root/build/bench/debugmalloc.tsv
out=$root/bench/results/debugmalloc.md
mkdir -p "$(dirname "$raw")"
memcheck=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
          --show-leak-kinds=definite)

# --- the corpus -------------------------------------------------------------------------------
printf 'kind\tname\ttool\tvalue\n' >"$raw"
for source in "$root"/tests/debugmalloc/bugs/*.c "$root"/tests/debugmalloc/bugs/*.cpp; do
    name=$(basename "${source%.*}")
    LD_PRELOAD=$lib "$corpus/$name" >/dev/null 2>"$work/ours.err" || true
    ours=0; grep -Eq '^alloc: debug: (ERROR|leak):' "$work/ours.err" && ours=1
    status=0; "${memcheck[@]}" "$corpus/$name" >/dev/null 2>"$work/vg.err" || status=$?
    vg=0
    if (( status == 99 )) || grep -Eq 'Invalid (read|write|free)|Mismatched|definitely lost' "$work/vg.err"; then vg=1; fi
    printf 'corpus\t%s\tours\t%s\ncorpus\t%s\tmemcheck\t%s\n' "$name" "$ours" "$name" "$vg" >>"$raw"
    echo "bench: corpus $name: ours $ours, memcheck $vg" >&2
done

# --- real programs ------------------------------------------------------------------------------
awk -v n=200000 -f "$root/bench/programs/lines.awk" >"$work/lines.txt"
programs=(python3 python3-malloc perl sqlite3 gcc sort gzip)
declare -A commands=(
    [python3]="/usr/bin/python3 '$root/tests/shim/workload.py' 12000"
    [python3-malloc]="env PYTHONMALLOC=malloc /usr/bin/python3 '$root/tests/shim/workload.py' 12000"
    [perl]="perl -e 'my %h; \$h{\$_ % 977} .= \"x\" for 1..4000000; print scalar(keys %h), \"\\n\"'"
    [sqlite3]="sqlite3 :memory: 'create table t(a, b); with recursive c(x) as (select 1 union all select x + 1 from c where x < 200000) insert into t select x, x * x % 977 from c; create index tb on t(b); select count(*), sum(a), max(b) from t where b > 100;'"
    [gcc]="gcc -O2 -c -I'$root/include' -I'$root/src/alloc' -D_GNU_SOURCE '$root/src/alloc/Page.c' -o '$work/page.o'"
    [sort]="sort '$work/lines.txt'"
    [gzip]="gzip -c -n -6 '$work/lines.txt' | gunzip -c"
)
tools=(glibc ours memcheck)
run() { # tool program -> prints cpu seconds; stderr kept in $work/TOOL.err
    local tool=$1 name=$2 prefix=""
    case $tool in
        ours)     prefix="LD_PRELOAD='$lib'" ;;
        memcheck) prefix="VALGRIND_OPTS='--trace-children=yes ${memcheck[*]:1}'" ;;
    esac
    local command=${commands[$name]}
    [[ $tool == memcheck ]] && command="valgrind $command"
    /usr/bin/time -f '%U %S' -o "$work/time" sh -c "$prefix $command" >"$work/$tool.out" 2>"$work/$tool.err" || true
    awk '{ print $1 + $2 }' "$work/time" | tail -1
}
for round in $(seq 1 "$rounds"); do
    for name in "${programs[@]}"; do
        for i in 0 1 2; do
            tool=${tools[$(((i + round) % 3))]}
            cpu=$(run "$tool" "$name")
            printf 'cpu\t%s\t%s\t%s\t%s\n' "$name" "$tool" "$cpu" "$round" >>"$raw.rounds"
            if (( round == 1 )); then
                case $tool in
                    ours) n=$(grep -Ec '^alloc: debug: (ERROR|leak):' "$work/ours.err" || true)
                          printf 'reports\t%s\tours\t%s\n' "$name" "$n" >>"$raw" ;;
                    memcheck) n=$(grep -Ec 'Invalid (read|write|free)|Mismatched|definitely lost in' "$work/memcheck.err" || true)
                          printf 'reports\t%s\tmemcheck\t%s\n' "$name" "$n" >>"$raw" ;;
                esac
            fi
        done
    done
    echo "bench: programs round $round/$rounds done" >&2
done

# --- unwinders and symbolisers ----------------------------------------------------------------------
taskset -c "$(($(nproc) - 1))" "$unwind" | while read -r label rest; do
    printf 'unwind\t%s\tns\t%s\n' "$label" "${rest%% ns*}" >>"$raw"
done
addresses=$(nm --defined-only "$corpus/double_free" | awk '$2 ~ /[tT]/ { print "0x" $1 }' | head -8)
for tool in addr2line eu-addr2line; do
    command -v "$tool" >/dev/null || continue
    start=$(date +%s%N)
    for _ in $(seq 20); do "$tool" -f -C -e "$corpus/double_free" $addresses >/dev/null; done
    printf 'symbolise\t%s\tms\t%s\n' "$tool" "$(( ($(date +%s%N) - start) / 20000000 ))" >>"$raw"
done

/usr/bin/python3 - "$raw" "$out" "$lib" "$rounds" <<'PY'
import os, statistics, subprocess, sys
raw, out, lib, rounds = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(raw)][1:]
cpu = [l.rstrip("\n").split("\t") for l in open(raw + ".rounds")]
os.remove(raw + ".rounds")
corpus = {}
for kind, name, tool, value in (r[:4] for r in rows):
    if kind == "corpus": corpus.setdefault(name, {})[tool] = value == "1"
times = {}
for _, name, tool, value, rnd in cpu: times.setdefault(name, {}).setdefault(tool, {})[rnd] = float(value)
def ratio(name, tool):
    t = times[name]; rs = [t[tool][r] / t["glibc"][r] for r in t.get(tool, {}) if t["glibc"].get(r, 0) > 0]
    return statistics.median(rs) if rs else float("nan")
reports = {(r[1], r[2]): r[3] for r in rows if r[0] == "reports"}
cpuinfo = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")]
lines = ["# Heap bugs: liballoc-debug.so and valgrind memcheck side by side", "",
         f"Machine: {cpuinfo[0] if cpuinfo else '?'}, {os.cpu_count()} CPUs; "
         f"`make bench-debugmalloc` (bench/run_debugmalloc.sh, {rounds} interleaved rounds).", "",
         "## The bug corpus (tests/debugmalloc/bugs, built -g -O0, default settings)", "",
         "| program | liballoc-debug.so | memcheck |", "|---|---|---|"]
for name in sorted(corpus):
    c = corpus[name]
    lines.append(f"| {name} | {'found' if c.get('ours') else 'missed'} | {'found' if c.get('memcheck') else 'missed'} |")
found = lambda tool: sum(1 for c in corpus.values() if c.get(tool))
lines += ["", f"Found: liballoc-debug.so {found('ours')}/{len(corpus)}, memcheck {found('memcheck')}/{len(corpus)}.", "",
          "## Real programs (CPU time, median of the per-round ratios to glibc)", "",
          "| program | glibc s | liballoc-debug.so | memcheck | reports (ours / memcheck) |", "|---|---|---|---|---|"]
for name in times:
    g = statistics.median(times[name]["glibc"].values())
    lines.append(f"| {name} | {g:.3f} | {ratio(name, 'ours'):.2f}x | {ratio(name, 'memcheck'):.1f}x | "
                 f"{reports.get((name, 'ours'), '?')} / {reports.get((name, 'memcheck'), '?')} |")
geo = lambda tool: statistics.geometric_mean([r for r in (ratio(n, tool) for n in times) if r == r and r > 0])
lines += ["", f"Geometric mean: liballoc-debug.so {geo('ours'):.2f}x glibc, memcheck {geo('memcheck'):.1f}x glibc.",
          "Reports on the real programs are leaks (blocks no root reaches at exit); memcheck counts its",
          "\"definitely lost\" records: both tools see the same programs leak on purpose.", "",
          "## Unwinders (8 frames, 12 calls deep; ns per trace)", "", "| unwinder | ns |", "|---|---|"]
lines += [f"| {r[1]} | {r[3]} |" for r in rows if r[0] == "unwind"]
lines += ["", "## Symbolisers (8 addresses of a corpus program, one run; ms)", "", "| tool | ms |", "|---|---|"]
lines += [f"| {r[1]} | {r[3]} |" for r in rows if r[0] == "symbolise"]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
