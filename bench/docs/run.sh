#!/usr/bin/env bash
# make bench-docs: `apidoc extract` against Doxygen XML on the synthetic tree (gen_tree.py) at
# 1x, 2x, 4x, 8x and 16x (BENCH_SCALES), each in every one of ROUNDS rounds: median CPU, wall,
# peak RSS and api.json size of each, the ratio per doubling, and callgrind's instruction count
# at 1x, 2x, 4x (BENCH_CALLGRIND_SCALES); at 1x also warm (one source, one header touched)
# against cold with the per-unit cache (interleaved) and the shard check (3 shards + merge must
# equal one run, byte for byte). Writes bench/results/docs.md and bench/results/docs-scale.svg.
# Usage: bench/docs/run.sh build/apidoc [ROUNDS]
set -euo pipefail
apidoc=$(realpath "$1")
rounds=${2:-${BENCH_ROUNDS:-3}}
scales=${BENCH_SCALES:-1 2 4 8 16}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/build/bench-docs
rm -rf "$work"
mkdir -p "$work"
tsv=$work/times.tsv
echo -e "scale\tround\ttool\twall_s\tcpu_s\tmax_rss_kb\tbytes" > "$tsv"
measure() { # scale round tool output command...
  local k=$1 r=$2 t=$3 o=$4; shift 4
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$@" >/dev/null 2>"$work/err.out" || {
    echo "bench-docs: $t failed:"; cat "$work/err.out"; exit 1; }
  read -r wall user sys rss < "$work/time.out"
  local bytes=0
  [[ -n $o && -e $o ]] && bytes=$(du -sb "$o" | cut -f1)
  echo -e "$k\t$r\t$t\t$wall\t$(echo "$user + $sys" | bc)\t$rss\t$bytes" >> "$tsv"
}
doxyfile() { # tree out
  cat <<DOX
INPUT = $1/include $1/src $1/tests $1/examples
RECURSIVE = YES
FILE_PATTERNS = *.h *.c
OUTPUT_DIRECTORY = $2
GENERATE_XML = YES
GENERATE_HTML = NO
GENERATE_LATEX = NO
EXTRACT_ALL = YES
QUIET = YES
WARNINGS = NO
DOX
}
for k in $scales; do
  /usr/bin/python3 "$here/gen_tree.py" "$work/tree-$k" "$k"
  doxyfile "$work/tree-$k" "$work/doxygen-$k" > "$work/Doxyfile-$k"
done
# Every scale in every round, so a burst of load from other jobs hits one round, not one scale;
# the report takes the median over the rounds.
for r in $(seq 1 "$rounds"); do
  for k in $scales; do
    cd "$work/tree-$k"
    measure "$k" "$r" doxygen "$work/doxygen-$k/xml" doxygen "$work/Doxyfile-$k"
    rm -rf "$work/doxygen-$k"
    measure "$k" "$r" apidoc "$work/api-$k.json" "$apidoc" extract -p compile_commands.json -o "$work/api-$k.json"
    [[ $k == 1 ]] || rm -f "$work/api-$k.json"
    cd "$root"
  done
done
# instructions (callgrind, one thread): the measure of cost that does not move with the machine's load
for k in ${BENCH_CALLGRIND_SCALES:-1 2 4}; do
  [[ -d $work/tree-$k ]] || /usr/bin/python3 "$here/gen_tree.py" "$work/tree-$k" "$k"
  (cd "$work/tree-$k" && valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-$k.out" \
     "$apidoc" extract -j 1 -p compile_commands.json -o "$work/api-cg.json" 2> "$work/callgrind-$k.log" >/dev/null)
  ir=$(grep -oE 'refs: +[0-9,]+' "$work/callgrind-$k.log" | tr -dc 0-9)
  echo -e "$k\t1\tapidoc-instructions\t0\t$ir\t0\t0" >> "$tsv"
done
# warm against cold at 1x, with the per-unit cache
cd "$work/tree-1"
for r in $(seq 1 "$rounds"); do
  rm -rf "$work/cache"
  measure 1 "$r" apidoc-cold "" "$apidoc" extract -p compile_commands.json --cache "$work/cache" -o "$work/api-cold.json"
  touch src/m0050.c
  measure 1 "$r" apidoc-warm-source "" "$apidoc" extract -p compile_commands.json --cache "$work/cache" -o "$work/api-warm.json"
  touch include/syn/m0055.h
  measure 1 "$r" apidoc-warm-header "" "$apidoc" extract -p compile_commands.json --cache "$work/cache" -o "$work/api-warm.json"
done
# shards: 3 parts merged must be the single run's api.json
for i in 1 2 3; do "$apidoc" extract --shard "$i/3" -p compile_commands.json -o "$work/part-$i.part" 2>/dev/null; done
"$apidoc" merge -p compile_commands.json -o "$work/api-merged.json" "$work"/part-*.part 2>/dev/null
shards=no
cmp -s "$work/api-1.json" "$work/api-merged.json" && shards=yes
cd "$root"
/usr/bin/python3 "$here/report.py" "$tsv" "$work/tree-1" "$shards" bench/results/docs-scale.svg \
  "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), libclang 14, Doxygen $(doxygen --version)" \
  > bench/results/docs.md
cat bench/results/docs.md
