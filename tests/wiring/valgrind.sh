#!/usr/bin/env bash
# make test-valgrind-wiring: memcheck (--error-exitcode=1) over the allocators as wired with the
# sanitizer.h hooks, library built with -DALLOC_VALGRIND:
#   - vg_wiring_ok: correct use of Heap, Slab, Arena, Page, Budget and Debug (must exit 0, no
#     error);
#   - vg_wiring_uaf KIND: one use after free or overflow in the allocator's memory (valgrind must
#     exit 1 and report "Invalid read" / "Invalid write" of the expected kind).
# One result per run, then "N passed, N failed". Logs in DIR/logs/.
# Usage: tests/wiring/valgrind.sh DIR     (DIR: build/wiring-vg)
set -uo pipefail
dir=$1
vg=(valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite)
mkdir -p "$dir/logs"
passed=0; failed=0
result() { # name ok(0/1) log
  if (( $2 )); then passed=$((passed + 1)); echo "valgrind-wiring $1: ok"
  else failed=$((failed + 1)); echo "valgrind-wiring $1: FAILED"; tail -30 "$3"; fi
}

log=$dir/logs/ok.log
"${vg[@]}" "$dir/vg_wiring_ok" >"$log" 2>&1
status=$?
result correct-use-is-clean $(( status == 0 )) "$log"

for case in heap-slot:read heap-run:write slab:write arena-last:read arena-reset:read page:read \
    budget-free:read budget-overflow:write debug-quarantine:read debug-overflow:read; do
  kind=${case%%:*}; access=${case##*:}
  log=$dir/logs/uaf-$kind.log
  "${vg[@]}" "$dir/vg_wiring_uaf" "$kind" >"$log" 2>&1
  status=$?
  ok=$(( status == 1 ))
  grep -q "Invalid $access of size 1" "$log" || ok=0
  result "use-after-free-$kind-is-reported" $ok "$log"
done
echo "$passed passed, $failed failed"
(( failed == 0 ))
