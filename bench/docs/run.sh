#!/usr/bin/env bash
# make bench-docs: time `apidoc extract` (cold; warm with one source touched; warm with one
# header touched) against Doxygen XML on the same synthetic tree (gen_tree.py), interleaved
# round by round, and write bench/results/docs.md (medians, spread, ratios taken per round).
# Usage: bench/docs/run.sh build/apidoc [ROUNDS]
set -euo pipefail
apidoc=$(realpath "$1")
rounds=${2:-${BENCH_ROUNDS:-5}}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/build/bench-docs
rm -rf "$work"
mkdir -p "$work"
/usr/bin/python3 "$here/gen_tree.py" "$work/tree"
cat > "$work/Doxyfile" <<DOX
INPUT = $work/tree/include $work/tree/src
RECURSIVE = YES
FILE_PATTERNS = *.h *.c
OUTPUT_DIRECTORY = $work/doxygen
GENERATE_XML = YES
GENERATE_HTML = NO
GENERATE_LATEX = NO
EXTRACT_ALL = YES
QUIET = YES
WARNINGS = NO
DOX
tsv=$work/times.tsv
echo -e "round\ttool\twall_s\tcpu_s\tmax_rss_kb" > "$tsv"
measure() { # round tool command...
  local r=$1 t=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$@" >/dev/null 2>"$work/err.out" || {
    echo "bench-docs: $t failed:"; cat "$work/err.out"; exit 1; }
  read -r wall user sys rss < "$work/time.out"
  echo -e "$r\t$t\t$wall\t$(echo "$user + $sys" | bc)\t$rss" >> "$tsv"
}
cd "$work/tree"
for r in $(seq 1 "$rounds"); do
  rm -rf "$work/cache" "$work/doxygen"
  measure "$r" doxygen doxygen "$work/Doxyfile"
  measure "$r" apidoc-cold "$apidoc" extract -p compile_commands.json --cache "$work/cache" -o "$work/api.json"
  touch src/m050.c
  measure "$r" apidoc-warm-source "$apidoc" extract -p compile_commands.json --cache "$work/cache" -o "$work/api.json"
  touch include/syn/m055.h
  measure "$r" apidoc-warm-header "$apidoc" extract -p compile_commands.json --cache "$work/cache" -o "$work/api.json"
  measure "$r" apidoc-nocache "$apidoc" extract -p compile_commands.json -o "$work/api-nocache.json"
done
cd "$root"
/usr/bin/python3 "$here/report.py" "$tsv" "$work/tree" \
  "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), libclang 14, Doxygen $(doxygen --version)" \
  > bench/results/docs.md
cat bench/results/docs.md
