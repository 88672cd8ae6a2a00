#!/usr/bin/env bash
# The debugmalloc suite: build/liballoc-debug.so preloaded into
#   - the bug corpus (tests/debugmalloc/bugs/*.c, *.cpp, built -g -O0 into CORPUS_DIR by
#     mk/debugmalloc.mk): each program has one heap
#     bug, and its report must equal bugs/NAME.expected line by line (first line: the exit
#     status) once addresses read ADDR, the corpus directory SRC/, and frames outside the corpus
#     "(outside the corpus)";
#   - real programs with no bug (sort, gzip | gunzip, python3, perl, sqlite3, gcc -c): the same
#     output as a plain run, exit status 0 and no report. sort, perl and gcc leak blocks on
#     purpose at exit (valgrind memcheck calls them "definitely lost" too: see
#     bench/results/debugmalloc.md), so they run with leaks=0; the others with every check on;
#   - the malloc-family contract (tests/shim/shim_api.c: alignment, errno, threads, fork).
# Each check prints "ok NAME" or "FAIL NAME"; the last line is "N passed, N failed".
# Usage: tests/debugmalloc/run.sh LIBALLOC-DEBUG.so CORPUS_DIR [SHIM_API_PROGRAM]
set -uo pipefail
lib=$(realpath "$1"); corpus=$(realpath "$2"); api=${3:+$(realpath "$3")}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../support/preload.sh"

# The stable form of a report: see the header.
normalise() { # src-dir < report
    sed -E -e "s|$1/|SRC/|g" -e 's/0x[0-9a-f]+/ADDR/g' \
        -e '/^alloc: debug:     #[0-9]+ /{/ SRC\//!s/^(alloc: debug:     #[0-9]+ ADDR).*/\1 (outside the corpus)/}'
}

# --- the corpus -----------------------------------------------------------------------------
for source in "$here"/bugs/*.c "$here"/bugs/*.cpp; do
    name=$(basename "${source%.*}")
    [[ -x $corpus/$name ]] || { verdict "corpus_$name" 0 "not built in $corpus"; continue; }
    LD_PRELOAD=$lib "$corpus/$name" >"$work/$name.out" 2>"$work/$name.err"
    status=$?
    { echo "status $status"; normalise "$here/bugs" <"$work/$name.err"; } >"$work/$name.got"
    if diff -u "$here/bugs/$name.expected" "$work/$name.got" >"$work/$name.diff"; then
        verdict "corpus_$name" 1
    else
        verdict "corpus_$name" 0 "report differs:
$(head -40 "$work/$name.diff")"
    fi
done

# --- ALLOC_DEBUG_OPTIONS ---------------------------------------------------------------------------------
ALLOC_DEBUG_OPTIONS=log=$work/report.txt LD_PRELOAD=$lib "$corpus/double_free" 2>"$work/log.err"
verdict log_sends_the_report_to_the_file \
    "$([[ $(head -1 "$work/report.txt" 2>/dev/null) == "alloc: debug: ERROR: double free at 0x"* && \
          $(tail -1 "$work/report.txt") == "alloc: fatal: free: double free 0x"* ]] && \
          ! grep -q '^alloc:' "$work/log.err" && echo 1 || echo 0)" "$(head -3 "$work/report.txt" 2>&1)"
ALLOC_DEBUG_OPTIONS=leaks=0 LD_PRELOAD=$lib "$corpus/leak" 2>"$work/leaks.err"
status=$?
verdict leaks_0_turns_the_leak_report_off "$( (( status == 0 )) && [[ ! -s $work/leaks.err ]] && echo 1 || echo 0)" \
    "status $status: $(head -3 "$work/leaks.err")"
ALLOC_DEBUG_OPTIONS=leak_exitcode=0 LD_PRELOAD=$lib "$corpus/leak" 2>"$work/leaks.err"
status=$?
verdict leak_exitcode_0_keeps_the_status "$( (( status == 0 )) && grep -q '^alloc: debug: 4 leaked blocks, 145 bytes$' "$work/leaks.err" && echo 1 || echo 0)" \
    "status $status: $(tail -2 "$work/leaks.err")"
ALLOC_DEBUG_OPTIONS=bogus=1,sample=x LD_PRELOAD=$lib "$corpus/use_after_free_read" >/dev/null 2>"$work/bad.err"
verdict a_bad_item_is_named_and_ignored \
    "$(grep -qx 'alloc: debug: ALLOC_DEBUG_OPTIONS: ignored "bogus=1": unknown name' "$work/bad.err" && \
       grep -qx 'alloc: debug: ALLOC_DEBUG_OPTIONS: ignored "sample=x": not a number' "$work/bad.err" && \
       grep -q '^alloc: debug: ERROR: use after free (read)' "$work/bad.err" && echo 1 || echo 0)" "$(head -3 "$work/bad.err")"
# Without sampling the written freed block is a heap block: its fill is checked at exit.
ALLOC_DEBUG_OPTIONS=sample=0 LD_PRELOAD=$lib "$corpus/use_after_free_write" 2>"$work/fill.err"
status=$?
verdict without_sampling_a_write_after_free_is_found_by_the_fill \
    "$( (( status == 134 )) && grep -q '^alloc: debug: ERROR: use after free (freed block written) at 0x[0-9a-f]*: offset 0 in a block of 16 bytes at 0x[0-9a-f]*, freed$' "$work/fill.err" && \
        grep -q '^alloc: fatal: exit: use after free: freed block written 0x' "$work/fill.err" && echo 1 || echo 0)" \
    "status $status: $(head -3 "$work/fill.err")"
ALLOC_DEBUG_OPTIONS=sample=0 LD_PRELOAD=$lib "$corpus/use_after_free_read" >/dev/null 2>"$work/read.err"
status=$?
verdict without_sampling_a_read_after_free_goes_unseen "$( (( status == 0 )) && [[ ! -s $work/read.err ]] && echo 1 || echo 0)" \
    "status $status: $(head -3 "$work/read.err")"
ALLOC_DEBUG_OPTIONS=unwind=full LD_PRELOAD=$lib "$corpus/double_free" 2>"$work/full.err"
# Frame pointers stop at main (libc has none): only the allocation trace has a frame #1.
verdict unwind_full_traces_through_libc "$(grep -c '^alloc: debug:     #1 ' "$work/full.err" | awk '{ print ($1 >= 3) }')" \
    "$(head -12 "$work/full.err")"

# --- real programs ----------------------------------------------------------------------------
same_output() { # name ALLOC_DEBUG_OPTIONS command...: no report may appear
    local name=$1 options=$2; shift 2
    same_output_preloaded "$name" "$lib" '^alloc: ' ALLOC_DEBUG_OPTIONS="$options" -- "$@"
}

write_lines 50000 "$work/lines.txt"
cp "$here/../../src/alloc/Page.c" "$work/page.c"
same_output sort_matches_glibc leaks=0 sort "$work/lines.txt"
same_output gzip_and_gunzip_match_glibc "" sh -c 'gzip -c -n -6 "$1" >"$2/z.gz" && cat "$2/z.gz" && gunzip -c "$2/z.gz"' sh "$work/lines.txt" "$work"
same_output python_workload_matches_glibc "" env PYTHONMALLOC=malloc /usr/bin/python3 "$here/../shim/workload.py" 4000
same_output perl_hash_workload_matches_glibc leaks=0 perl -e 'my %h; $h{$_ % 977} .= "x" for 1..50000; my $n = 0; $n += length($h{$_}) for keys %h; print scalar(keys %h), " $n\n"'
same_output sqlite3_workload_matches_glibc "" sqlite3 :memory: "create table t(a, b); with recursive c(x) as (select 1 union all select x + 1 from c where x < 20000) insert into t select x, x * x % 977 from c; create index tb on t(b); select count(*), sum(a), max(b) from t where b > 100;"
same_output gcc_object_matches_glibc leaks=0 sh -c 'gcc -O2 -g -c -I"$1/include" -I"$1/src/alloc" -D_GNU_SOURCE "$2/page.c" -o "$2/page.o" && cat "$2/page.o"' sh "$here/../.." "$work"
maps=$(LD_PRELOAD=$lib /usr/bin/python3 -c 'print("liballoc-debug.so" in open("/proc/self/maps").read())' 2>&1)
verdict python_really_runs_on_the_debug_malloc "$([[ $maps == True ]] && echo 1 || echo 0)" "$maps"

# --- the malloc-family contract ------------------------------------------------------------------
if [[ -n $api ]]; then
    LD_PRELOAD=$lib "$api" >"$work/api.out" 2>&1
    verdict shim_api_holds_for_the_debug_malloc "$(grep -Eqx '[1-9][0-9]* passed, 0 failed' "$work/api.out" && echo 1 || echo 0)" \
        "$(grep FAIL "$work/api.out" | head -5; tail -3 "$work/api.out")"
fi

echo "$passed passed, $failed failed"
(( failed == 0 ))
