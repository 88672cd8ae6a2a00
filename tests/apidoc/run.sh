#!/usr/bin/env bash
# apidoc tests: golden cases (tests/apidoc/cases/<case>.h [+ .c] [+ .args] -> <case>.json and
# <case>.stderr, which ends with the exit code), the api.json schema, determinism (two
# extractions byte-identical, also across thread counts) and the Doxygen oracle. Ends with the
# line "N passed, N failed". UPDATE=1 rewrites the golden files.
# Usage: tests/apidoc/run.sh build/apidoc [build/asan/apidoc]   (the second one runs the cases too)
set -uo pipefail
apidoc=$(realpath "$1")
asan=${2:+$(realpath "$2")}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [[ -n ${2:-} ]] && echo "$2" | head -40; }

# --- golden cases ---------------------------------------------------------------------------
cd "$here/cases"
run_cases() { # binary label
local apidoc=$1 label=$2
for header in *.h; do
  case=${header%.h}
  if [[ -f $case.args ]]; then
    read -r -a args < "$case.args"
  else
    args=(--header "$header")
    [[ -f $case.c ]] && args+=("$case.c")
    args+=(-- -I.)
  fi
  "$apidoc" lint --tags ../../../docs/tags.yml -o "$tmp/$case.json" "${args[@]}" 2> "$tmp/$case.stderr"
  echo "exit: $?" >> "$tmp/$case.stderr"
  [[ -f $tmp/$case.json ]] || : > "$tmp/$case.json"
  if [[ ${UPDATE:-0} == 1 ]]; then
    cp "$tmp/$case.json" "$case.json"; cp "$tmp/$case.stderr" "$case.stderr"
  fi
  if d=$(diff -u "$case.json" "$tmp/$case.json" 2>&1) && e=$(diff -u "$case.stderr" "$tmp/$case.stderr" 2>&1); then
    ok "case $case$label"
  else
    fail "case $case$label" "$d${e:-}"
  fi
done
}
run_cases "$apidoc" ""
if [[ -n $asan ]]; then UPDATE=0 run_cases "$asan" " (ASan+UBSan)"; fi
cd "$root"

# --- schema: every documented key is present, in the documented order ------------------------
if out=$(/usr/bin/python3 "$here/check_schema.py" docs/api-json.md tests/apidoc/cases/kinds.json \
           tests/apidoc/cases/sections.json tests/apidoc/cases/example.json 2>&1); then
  ok "schema: golden files have exactly the documented keys"
else
  fail "schema: golden files have exactly the documented keys" "$out"
fi

# --- the library: extraction works, deterministic across runs and thread counts --------------
if "$apidoc" extract -p build/compile_commands.json -o "$tmp/a.json" 2> "$tmp/a.err"; then
  ok "extract over the library succeeds"
else
  fail "extract over the library succeeds" "$(cat "$tmp/a.err")"
fi
"$apidoc" extract -j 1 -p build/compile_commands.json -o "$tmp/c.json" 2>/dev/null
"$apidoc" extract --cache "$tmp/cache" -p build/compile_commands.json -o "$tmp/cold.json" 2>/dev/null
if cmp -s "$tmp/a.json" "$tmp/cold.json" && cmp -s "$tmp/a.json" "$tmp/c.json"; then
  ok "determinism: three extractions (-j 2, -j 1, -j 2 filling a cache) are byte-identical"
else
  fail "determinism: three extractions (-j 2, -j 1, -j 2 filling a cache) are byte-identical"
fi
if out=$(/usr/bin/python3 "$here/check_schema.py" docs/api-json.md "$tmp/a.json" 2>&1); then
  ok "schema: the library's api.json has exactly the documented keys"
else
  fail "schema: the library's api.json has exactly the documented keys" "$out"
fi
if out=$(/usr/bin/python3 "$here/check_refs.py" "$tmp/a.json" 2>&1); then
  ok "references: _Generic picks one arm, macro uses land at the call site, examples one per function"
else
  fail "references: _Generic picks one arm, macro uses land at the call site, examples one per function" "$out"
fi

# --- the per-unit cache: warm equals cold; a changed header is seen ----------------------------
"$apidoc" extract --cache "$tmp/cache" -p build/compile_commands.json -o "$tmp/warm.json" 2>/dev/null
if cmp -s "$tmp/a.json" "$tmp/cold.json" && cmp -s "$tmp/a.json" "$tmp/warm.json"; then
  ok "cache: cold and warm extractions equal the uncached one"
else
  fail "cache: cold and warm extractions equal the uncached one"
fi
mkdir -p "$tmp/tree"
cp tests/apidoc/cases/kinds.h tests/apidoc/cases/kinds.c "$tmp/tree/"
(cd "$tmp/tree" && "$apidoc" extract --tags "$root/docs/tags.yml" --cache c --header kinds.h kinds.c -o one.json -- -I. 2>/dev/null
 sed -i 's/^#endif$/int added_later(void);\n#endif/' kinds.h
 "$apidoc" extract --tags "$root/docs/tags.yml" --cache c --header kinds.h kinds.c -o two.json -- -I. 2>/dev/null)
if ! grep -q added_later "$tmp/tree/one.json" && grep -q '"function:added_later"' "$tmp/tree/two.json"; then
  ok "cache: an edited header is parsed again"
else
  fail "cache: an edited header is parsed again"
fi

# --- Doxygen oracle -----------------------------------------------------------------------------
if out=$(/usr/bin/python3 "$here/oracle.py" "$tmp/a.json" "$tmp/doxygen" 2>&1); then
  ok "oracle: symbols, lines and members agree with Doxygen XML"
  echo "$out" | tail -3
else
  fail "oracle: symbols, lines and members agree with Doxygen XML" "$out"
fi

echo "apidoc: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
