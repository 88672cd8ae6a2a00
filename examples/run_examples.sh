#!/usr/bin/env bash
# The `examples` suite: run each built example and check its output against
# examples/expected/<name>.txt, one pattern per line (bash glob: `*` stands for numbers that
# depend on the allocator's size classes or page size; avoid `[` in expected lines). Each example
# is one test: it passes when it exits 0 and every expected line appears in its output, in order.
# Usage: examples/run_examples.sh BUILD_DIR NAME...   (NAME may be a path under BUILD_DIR: asan/x)
set -uo pipefail
dir=$1; shift
passed=0; failed=0
for name in "$@"; do
  out=$("$dir/$name" 2>&1); status=$?
  problem=""
  (( status == 0 )) || problem="exit status $status"
  mapfile -t got <<<"$out"
  i=0
  while IFS= read -r pattern || [[ -n $pattern ]]; do
    [[ -z $problem ]] || break
    while (( i < ${#got[@]} )) && [[ ${got[i]} != $pattern ]]; do ((i++)); done
    if (( i == ${#got[@]} )); then problem="missing line: $pattern"; else ((i++)); fi
  done < "examples/expected/$(basename "$name").txt"
  if [[ -z $problem ]]; then
    ((passed++)); echo "ok   $name"
  else
    ((failed++)); echo "FAIL $name: $problem"; sed 's/^/     | /' <<<"$out"
  fi
done
echo "$passed passed, $failed failed"
