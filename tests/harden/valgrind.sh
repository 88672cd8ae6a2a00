#!/usr/bin/env bash
# make test-valgrind: memcheck (--error-exitcode=1) over
#   - vg_hooks: the sanitizer.h valgrind requests, checked byte by byte (must pass);
#   - vg_uaf: a use after free inside an allocator-owned region (memcheck must report it);
#   - replay_<target>: every fuzz target replaying its committed seed corpus, library built with
#     -DALLOC_VALGRIND so wired hooks are live (must be clean).
# One result per program, then "N passed, N failed". Logs in DIR/logs/.
# Usage: tests/harden/valgrind.sh DIR     (DIR: build/valgrind)
set -uo pipefail
dir=$1
vg=(valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite)
mkdir -p "$dir/logs"
passed=0; failed=0
result() { # name ok(0/1) log
  if (( $2 )); then passed=$((passed + 1)); echo "valgrind $1: ok"
  else failed=$((failed + 1)); echo "valgrind $1: FAILED"; tail -30 "$3"; fi
}

log=$dir/logs/hooks.log
"${vg[@]}" "$dir/vg_hooks" >"$log" 2>&1
status=$?
result hooks $(( status == 0 && $(grep -c '^FAIL' "$log") == 0 )) "$log"

log=$dir/logs/uaf.log
"${vg[@]}" "$dir/vg_uaf" >"$log" 2>&1
status=$?
result use-after-free-in-pool-is-reported $(( status == 1 )) "$log"
grep -q 'Invalid read of size 1' "$log" || { echo "  (no 'Invalid read' in $log)"; passed=$((passed - 1)); failed=$((failed + 1)); }

for replay in "$dir"/replay_*; do
  target=${replay##*/replay_}
  log=$dir/logs/replay_$target.log
  "${vg[@]}" "$replay" fuzz/corpus/"$target"/* >"$log" 2>&1
  status=$?
  result "replay-$target" $(( status == 0 )) "$log"
done
echo "$passed passed, $failed failed"
(( failed == 0 ))
