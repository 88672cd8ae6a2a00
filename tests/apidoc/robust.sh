#!/usr/bin/env bash
# apidoc on inputs that used to hang or crash it (issue 12, item 2), each run under `timeout` so a
# hang fails the test instead of the suite: a directory symlink loop under include/, a
# 60,000-term expression, 20,000 nested parentheses, a 3,000-macro chain (under ASan+UBSan), the
# per-unit time and memory bounds, and lint of a duplicated FIELDS: item. Ends "N passed, N failed".
# Usage: tests/apidoc/robust.sh build/apidoc build/asan/apidoc
set -uo pipefail
apidoc=$(realpath "$1")
asan=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [[ -n ${2:-} ]] && echo "$2" | head -20; }
export ASAN_OPTIONS=detect_leaks=0
printf 'tags:\n  Query: Reads state.\n' > "$tmp/tags.yml"
doc='///\n/// Doc.\n///\n/// TAGS: Query\n///\n'

# --- a symlink loop: each header once, a warning naming each link, no hang -----------------------
mkdir -p "$tmp/loop/include/sub"
printf "${doc}#ifndef H\n#define H\n${doc}int a(void);\n#endif\n" > "$tmp/loop/include/sub/h.h"
ln -s . "$tmp/loop/include/loop"; ln -s .. "$tmp/loop/include/sub/up"; echo '[]' > "$tmp/loop/db.json"
out=$(cd "$tmp/loop" && timeout 60 "$apidoc" extract --tags "$tmp/tags.yml" -p db.json -o api.json 2>&1; echo "exit $?")
n=$(grep -c '"function:a"' "$tmp/loop/api.json" 2>/dev/null)
if [[ $out == *"include/loop: warning: directory already read as include"* &&
      $out == *"include/sub/up: warning: directory already read as include"* && $out == *"exit 0" && $n == 3 ]]; then
  ok "symlink loop (loop -> ., up -> ..): warnings name both links, the header is read once"
else
  fail "symlink loop (loop -> ., up -> ..): warnings name both links, the header is read once" "$out (ids of function:a: $n; 3 expected: file list, symbol, tag)"
fi

# --- deep trees: the walks are iterative, the parser has stack and bracket depth -----------------
mkdir -p "$tmp/deep/include"
/usr/bin/python3 - "$tmp/deep/include" <<'PY'
import sys
d = sys.argv[1]
doc = "///\n/// Doc.\n///\n/// TAGS: Query\n///\n"
def header(name, body):
    open(f"{d}/{name}.h", "w").write(f"{doc}#ifndef {name.upper()}_H\n#define {name.upper()}_H\n{body}\n#endif\n")
header("sum", doc + "static inline int sum(int a) { return " + " + ".join(["a"] * 60000) + "; }")
header("parens", doc + "static inline int parens(int a) { return " + "(" * 20000 + "a" + ")" * 20000 + "; }")
chain = "\n".join(["#define M0(x) (x)"] + [f"#define M{i}(x) M{i - 1}(x) + 1" for i in range(1, 3000)])
header("chain", chain + "\n" + doc + "static inline int chain(int a) { return M2999(a); }")
PY
for h in sum parens chain; do
  printf '#include "%s.h"\nint use_%s(int);\nint use_%s(int a) { return %s(a); }\n' $h $h $h $h > "$tmp/deep/u_$h.c"
  for bin in "$apidoc" "$asan"; do
    label=$([[ $bin == "$asan" ]] && echo " (ASan+UBSan)")
    out=$(cd "$tmp/deep" && timeout 600 "$bin" extract --tags "$tmp/tags.yml" --header include/$h.h u_$h.c -o $h.json -- -Iinclude 2>&1; echo "exit $?")
    if [[ $out == "exit 0" ]] && grep -q "\"function:$h\"" "$tmp/deep/$h.json" && grep -q '"file": "u_'$h'.c"' "$tmp/deep/$h.json"; then
      ok "$h: extracted, its use found$label"
    else
      fail "$h: extracted, its use found$label" "$out"
    fi
  done
done

# --- the per-unit bounds: a clear diagnostic naming the unit, exit 1 ----------------------------
out=$(cd "$tmp/deep" && timeout 600 "$apidoc" extract -j 1 --unit-time 0.2 --tags "$tmp/tags.yml" --header include/sum.h -o t.json -- -Iinclude 2>&1; echo "exit $?")
if [[ $out == "include/sum.h: error: parsing took longer than 0.2 s (the --unit-time bound); stopped"*"exit 1" ]]; then
  ok "--unit-time: a unit past the bound stops extraction with its name"
else
  fail "--unit-time: a unit past the bound stops extraction with its name" "$out"
fi
out=$(cd "$tmp/deep" && timeout 600 "$apidoc" extract -j 1 --unit-memory 40 --tags "$tmp/tags.yml" --header include/sum.h -o t.json -- -Iinclude 2>&1; echo "exit $?")
if [[ $out == "include/sum.h: error: memory passed 40 MB while parsing it (the --unit-memory bound); stopped"*"exit 1" ]]; then
  ok "--unit-memory: passing the bound stops extraction naming the unit"
else
  fail "--unit-memory: passing the bound stops extraction naming the unit" "$out"
fi

# --- lint: a FIELDS: item listed twice ------------------------------------------------------------
mkdir -p "$tmp/fields"
printf "${doc}#ifndef F_H\n#define F_H\n///\n/// A point.\n///\n/// FIELDS:\n/// - x : Across.\n/// - y : Down.\n/// - x : Again.\n///\n/// TAGS: Query\n///\ntypedef struct P { int x, y; } P;\n#endif\n" > "$tmp/fields/f.h"
out=$(cd "$tmp/fields" && "$apidoc" lint --tags "$tmp/tags.yml" --header f.h -- 2>&1; echo "exit $?")
if [[ $out == *"f.h:14: error: FIELDS: \`x\` is listed twice (also at line 12)"*"exit 1" ]]; then
  ok "lint: a FIELDS: item listed twice is an error at its line"
else
  fail "lint: a FIELDS: item listed twice is an error at its line" "$out"
fi

echo "$passed passed, $failed failed"
