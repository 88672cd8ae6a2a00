#!/usr/bin/env bash
# apidoc on hostile input: unterminated comments, a huge doc block, a 1 MB line, deep nesting,
# binary bytes, NUL bytes. Each input runs through the ASan+UBSan build of `apidoc extract`, which
# must end with a documented exit code (0, 1 or 3), never a signal or a sanitizer report, and
# every failure must come with a `file:line:` diagnostic. Ends with "N passed, N failed".
# Usage: tests/apidoc/hostile.sh build/asan/apidoc
set -uo pipefail
apidoc=$(realpath "$1")
tags=$(realpath "$(dirname "$0")/../../docs/tags.yml")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0

# make_case NAME: writes $tmp/NAME/include/h.h (from stdin) and a unit that includes it.
make_case() {
  mkdir -p "$tmp/$1/include"
  cat > "$tmp/$1/include/h.h"
  printf '#include "h.h"\n' > "$tmp/$1/use.c"
}

check() { # name expected-exit-codes (space separated)
  local name=$1 allowed=$2 status
  (cd "$tmp/$name" && ASAN_OPTIONS=detect_leaks=0 "$apidoc" extract --root . --tags "$tags" --header include/h.h \
      -o out.json use.c -- -Iinclude >stdout 2>stderr)
  status=$?
  local why=""
  [[ " $allowed " == *" $status "* ]] || why="exit $status, expected one of: $allowed"
  grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$tmp/$name/stderr" && why="sanitizer report"
  if [[ $status -ne 0 && -z $why ]] && ! grep -qE '^[^ ]+:[0-9]+: (error|warning)' "$tmp/$name/stderr"; then
    why="failed without a file:line diagnostic"
  fi
  if [[ -z $why ]]; then
    passed=$((passed + 1)); echo "PASS $name (exit $status: $(head -1 "$tmp/$name/stderr"))"
  else
    failed=$((failed + 1)); echo "FAIL $name: $why"; head -5 "$tmp/$name/stderr"
  fi
}

printf '/* a block comment that never ends\nint f(void);\n' | make_case unterminated_comment
check unterminated_comment "1"

printf '///\n/// A block at the end of the file that documents nothing.\n///\n/// USAGE:\n///     f();\n' |
  make_case unattached_usage_at_eof
check unattached_usage_at_eof "1"

printf 'const char *s = "a string that never closes;\nint g(void);\n' | make_case unterminated_string
check unterminated_string "1"

/usr/bin/python3 - <<'PY' | make_case huge_block
print("///\n/// A function with a 2 MB description.\n///")
for i in range(20000):
    print("/// " + ("word%05d " % i) * 9)
print("///\n/// TAGS: Allocator\n///\nvoid huge(void);")
PY
check huge_block "0 1"

/usr/bin/python3 - <<'PY' | make_case megabyte_line
print("///\n/// " + "x" * (1 << 20) + "\n///\n/// TAGS: Allocator\n///\nvoid wide(void);")
PY
check megabyte_line "0 1"

/usr/bin/python3 - <<'PY' | make_case deep_nesting
print("int deep = " + "(" * 5000 + "1" + ")" * 5000 + ";")
PY
check deep_nesting "0"  # valid C: gcc takes it, and so does apidoc (-fbracket-depth raised, issue 12)

/usr/bin/python3 - <<'PY' | make_case binary
import random, sys
random.seed(6)
sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(65536)))
PY
check binary "1 3"

printf '///\n/// Has a NUL \0 byte.\n///\n/// TAGS: Allocator\n///\nvoid nul(void);\n' | make_case nul_byte
check nul_byte "0 1 3"

echo "$passed passed, $failed failed"
(( failed == 0 ))
