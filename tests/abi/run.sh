#!/usr/bin/env bash
# Suite `abi`: what liballoc.so exports is a deliberate, reviewed list.
#  - the dynamic symbols of build/liballoc.so equal abi/liballoc.symbols (after a deliberate
#    change: `make abi-symbols` rewrites the list, and the diff is reviewed with the commit);
#  - every listed symbol is declared ALLOC_API in a public header;
#  - the soname is liballoc.so.MAJOR from VERSION;
#  - with a release tag (v*), abidiff compares the ABI with that release: an incompatible change
#    within the same major version fails: any change to what existed (a struct layout, a
#    signature, a removed symbol) — users embed the allocator structs by value, so a layout change
#    breaks them. Added functions are fine. Without a tag there is nothing to compare (said).
# Usage: tests/abi/run.sh LIBALLOC_SO   (from the repository root)
set -uo pipefail
so=$1
passed=0; failed=0
ok()   { echo "ok    $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; [[ -n ${2:-} ]] && sed 's/^/      /' <<<"$2" | tail -30; failed=$((failed + 1)); }

exported=$(nm -D --defined-only "$so" | awk '{print $3}' | sort)
if out=$(diff abi/liballoc.symbols <(echo "$exported")); then
  ok "exported symbols equal abi/liballoc.symbols ($(wc -l <abi/liballoc.symbols) symbols)"
else
  fail "exported symbols equal abi/liballoc.symbols (< listed only, > exported only)" "$out"
fi
undeclared=$(while read -r name; do
  grep -qE "^ALLOC_(NORETURN )?(API )?.*[ *]$name\(" include/alloc/*.h || echo "$name"
done < abi/liballoc.symbols)
if [[ -z $undeclared ]]; then ok "every listed symbol is an ALLOC_API declaration of a public header"
else fail "every listed symbol is an ALLOC_API declaration of a public header" "$undeclared"; fi

major=$(cut -d. -f1 VERSION)
if grep -q "SONAME.*\[liballoc.so.$major\]" <<<"$(readelf -d "$so")"; then ok "soname is liballoc.so.$major (VERSION $(cat VERSION))"
else fail "soname is liballoc.so.$major (VERSION $(cat VERSION))" "$(readelf -d "$so" | grep SONAME)"; fi

tag=$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)
if [[ -z $tag ]]; then
  echo "note  no release tag (v*) yet: no earlier ABI to compare with abidiff"
else
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  git archive "$tag" | tar -x -C "$work"
  if ! out=$(make -C "$work" -s lib 2>&1); then
    fail "the release $tag builds for the ABI comparison" "$out"
  else
    abidiff --no-added-syms --headers-dir1 "$work/include/alloc" --headers-dir2 include/alloc "$work/build/liballoc.so" "$so" >"$work/abidiff.txt" 2>&1
    status=$?
    old_major=$(cut -d. -f1 "$work/VERSION" 2>/dev/null || echo "?")
    if (( status & 12 )) && [[ $old_major == "$major" ]]; then
      fail "abidiff $tag: no change to the existing ABI within major version $major" "$(cat "$work/abidiff.txt")"
    elif (( status & 1 || status & 2 )); then
      fail "abidiff $tag ran" "$(cat "$work/abidiff.txt")"
    else
      ok "abidiff $tag: the existing ABI is unchanged, or the major version changed (abidiff status $status)"
    fi
  fi
fi
echo "abi: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
