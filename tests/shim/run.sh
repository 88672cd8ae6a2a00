#!/usr/bin/env bash
# The shim suite: build/liballoc-malloc.so preloaded into real programs (sort, gzip | gunzip,
# python3 with a dict/list workload and every object through malloc, gcc -c) whose output must be
# identical to a plain run, plus the malloc-family contract test (tests/shim/shim_api.c) and the
# fatal line of a foreign free. Each check prints "ok NAME" or "FAIL NAME"; the last line is
# "N passed, N failed".   Usage: tests/shim/run.sh SHIM.so SHIM_API_PROGRAM
set -uo pipefail
shim=$(realpath "$1"); api=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../support/preload.sh"

# The shim run must be silent on stderr (ld.so complains there when it cannot preload).
same_output() { # name command...
    local name=$1; shift
    same_output_preloaded "$name" "$shim" . -- "$@"
}

# Inputs: 100k pseudo-random lines (deterministic), and a C file for gcc.
write_lines 100000 "$work/lines.txt"
cp "$here/../../src/alloc/Page.c" "$work/page.c"

same_output sort_matches_glibc sort "$work/lines.txt"
same_output gzip_and_gunzip_match_glibc sh -c 'gzip -c -n -6 "$1" >"$2/z.gz" && cat "$2/z.gz" && gunzip -c "$2/z.gz"' sh "$work/lines.txt" "$work"
same_output python_dict_list_workload_matches_glibc env PYTHONMALLOC=malloc /usr/bin/python3 "$here/workload.py" 8000
maps=$(LD_PRELOAD=$shim /usr/bin/python3 -c 'print("liballoc-malloc.so" in open("/proc/self/maps").read())' 2>&1)
verdict python_really_runs_on_the_shim "$([[ $maps == True ]] && echo 1 || echo 0)" "$maps"
same_output gcc_object_matches_glibc sh -c 'gcc -O2 -g -c -I"$1/include" -I"$1/src/alloc" -D_GNU_SOURCE "$2/page.c" -o "$2/page.o" && cat "$2/page.o"' sh "$here/../.." "$work"

# The malloc-family contract, with glibc (the test's own sanity) and with the shim.
"$api" >"$work/api.out" 2>&1
verdict shim_api_holds_for_glibc "$(grep -Eqx '[1-9][0-9]* passed, 0 failed' "$work/api.out" && echo 1 || echo 0)" \
    "$(grep FAIL "$work/api.out" | head -5)"
LD_PRELOAD=$shim "$api" >"$work/api.out" 2>&1
verdict shim_api_holds_for_the_shim "$(grep -Eqx '[1-9][0-9]* passed, 0 failed' "$work/api.out" && echo 1 || echo 0)" \
    "$(grep FAIL "$work/api.out" | head -5; tail -3 "$work/api.out")"

# Misuse stops the program with the heap's fatal line, naming the pointer the program printed.
dies_with() { # name shim_api-argument reason
    local status pointer line expected
    { LD_PRELOAD=$shim "$api" "$2" >"$work/die.out" 2>"$work/die.err"; status=$?; } 2>/dev/null
    pointer=$(sed -n 's/^pointer: //p' "$work/die.out")
    line=$(head -1 "$work/die.err")
    expected="alloc: fatal: heap_allocator_deallocate: $3 $pointer"
    verdict "$1" "$([[ $status == 134 && -n $pointer && $line == "$expected" ]] && echo 1 || echo 0)" \
        "status $status, expected \"$expected\", got \"$line\""
}
dies_with free_of_a_stack_address_aborts_with_the_heap_line die-foreign "foreign pointer"
dies_with double_free_aborts_with_the_heap_line die-double "double free"

echo "$passed passed, $failed failed"
(( failed == 0 ))
