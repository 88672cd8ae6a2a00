#!/usr/bin/env bash
# Suite `namespace`: the public headers leave the includer's namespace alone.
#  - a file that defines u8, i8, size and u32 at file scope includes every public header (but the
#    opt-in alloc/Types.h) and compiles and runs, as C11 (gcc, clang) and as C++17 (g++);
#  - every identifier the headers declare carries a documented prefix (check_prefixes.py).
# Usage: tests/namespace/run.sh LIBALLOC_A   (from the repository root)
set -uo pipefail
lib=$1
here=tests/namespace
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok()   { echo "ok    $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; [[ -n ${2:-} ]] && sed 's/^/      /' <<<"$2" | tail -20; failed=$((failed + 1)); }

headers=$(cd include && ls alloc/*.h | grep -v '^alloc/Types.h$')
for h in $headers; do echo "#include \"$h\""; done > "$work/all_headers.h"
sed "s|#include \"ALL_HEADERS\"|#include \"$work/all_headers.h\"|" $here/user_names.c > "$work/user_names.c"
for cc in "gcc -std=c11" "clang -std=c11" "g++ -std=c++17 -x c++"; do
  if out=$($cc -Wall -Wextra -Werror -pedantic -Wno-unused-variable -Iinclude "$work/user_names.c" \
             -x none "$lib" -o "$work/prog" 2>&1) && "$work/prog"; then
    ok "file-scope u8, i8, size, u32 and every public header: $cc"
  else
    fail "file-scope u8, i8, size, u32 and every public header: $cc" "$out"
  fi
done
if out=$(/usr/bin/python3 $here/check_prefixes.py clang include $headers 2>&1); then
  ok "every public identifier has a library prefix ($(head -1 <<<"$out"))"
else
  fail "every public identifier has a library prefix" "$out"
fi
echo "namespace: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
