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

# --- no absolute path anywhere in api.json (types of unnamed records included) -------------------
if ! grep -qF "$root" "$tmp/a.json" && ! grep -qF "$root" "$here/cases/model.json" && grep -q '"type": "<anon struct>"' "$here/cases/model.json"; then
  ok "no absolute path: the repository's directory appears in no api.json; unnamed records are <anon struct>"
else
  fail "no absolute path: the repository's directory appears in no api.json; unnamed records are <anon struct>" "$(grep -nF "$root" "$tmp/a.json" | head -3)"
fi

# --- oracle on real Debian headers: apidoc's symbol set equals libclang's own list -------------
if out=$(/usr/bin/python3 "$here/oracle_headers.py" "$apidoc" "$root/docs/tags.yml" /usr/include/zlib.h \
           /usr/include/jansson.h /usr/include/yaml.h /usr/include/mimalloc.h /usr/include/cjson/cJSON.h \
           /usr/include/x86_64-linux-gnu/curl/curl.h 2>&1); then
  ok "oracle (python3-clang-14): zlib.h, jansson.h, yaml.h, mimalloc.h, cJSON.h, curl.h symbol sets equal libclang's"
  echo "$out"
else
  fail "oracle (python3-clang-14): zlib.h, jansson.h, yaml.h, mimalloc.h, cJSON.h, curl.h symbol sets equal libclang's" "$out"
fi

# --- one name in two of C's namespaces: two pages that link each other (markdown stage) ---------
mkdir -p "$tmp/names/include"
cat > "$tmp/names/include/names.h" <<'EOF_H'
/// Read one character.
int getch(int file);
/// Read one character, inline.
#define getch(f) getch(f)
/// Kinds of failure.
enum failure { failure_none, failure_io };
/// The failure of call c.
enum failure failure(int c);
EOF_H
(cd "$tmp/names" && "$apidoc" extract --tags "$root/docs/tags.yml" --header include/names.h -o api.json -- -Iinclude 2>/dev/null &&
 "$apidoc" markdown --out docs api.json 2> md.err)
md=$tmp/names/docs/api
if [[ -f $md/getch.md && -f $md/getch-macro.md && -f $md/failure.md && -f $md/failure-enum.md ]] &&
   grep -q 'also declared as the function-like macro \[`getch`\](getch-macro.md)' "$md/getch.md" &&
   grep -q 'also declared as the function \[`getch`\](getch.md)' "$md/getch-macro.md" &&
   grep -q 'also declared as the enum \[`failure`\](failure-enum.md)' "$md/failure.md" &&
   grep -q '"getch",[0-9]*,[0-9]*,"#define getch(f) getch(f)",[^]]*\],[0-9]*,[0-9]*,"getch-macro"' "$md/search-index.js"; then
  ok "markdown: a function and a macro (an enum and a function) of one name get two pages linked both ways"
else
  fail "markdown: a function and a macro (an enum and a function) of one name get two pages linked both ways" \
       "$(cat "$tmp/names/md.err" 2>/dev/null; ls "$md" 2>&1)"
fi
# --- include guards: only the macro of a header's first two directives is left out --------------
mkdir -p "$tmp/guards/include"
printf '%s\n' '/* A header written with tabs and spaced directives. */' '# ifndef	GUARDED_H' \
  '#	define	GUARDED_H 1' '#ifndef GUARDED_API' '#define GUARDED_API' '#endif' \
  '#if !defined(GUARDED_NORETURN)' '#define GUARDED_NORETURN' '#endif' \
  '/// Open a file.' 'GUARDED_API int guarded_open(int flags);' '#endif' > "$tmp/guards/include/guarded.h"
printf '%s\n' 'int unguarded_before;' '#ifndef UNGUARDED_H' '#define UNGUARDED_H' '#endif' > "$tmp/guards/include/unguarded.h"
printf '%s\n' '#if !defined(COMBINED_H) && !defined(NO_COMBINED)' '#define COMBINED_H' '#endif' > "$tmp/guards/include/combined.h"
printf '%s\n' '#ifndef TRAILING_H /* the guard */' '#define TRAILING_H // it is' 'int trailing;' '#endif' > "$tmp/guards/include/trailing.h"
guards=$( (cd "$tmp/guards" && "$apidoc" extract --tags "$root/docs/tags.yml" --header include/guarded.h \
            --header include/unguarded.h --header include/combined.h --header include/trailing.h \
            -o api.json -- -Iinclude 2>/dev/null
           /usr/bin/python3 -c 'import json, sys
print(" ".join(sorted(s["name"] for s in json.load(open(sys.argv[1]))["symbols"] if s["kind"].endswith("macro"))))' api.json) 2>&1)
if [[ $guards == "COMBINED_H GUARDED_API GUARDED_NORETURN UNGUARDED_H" ]]; then
  ok "include guards: only the first #ifndef/#define pair of a header is a guard (fallback definitions, a guard after code, a compound #if, trailing comments, tabs and '# ifndef' handled)"
else
  fail "include guards: only the first #ifndef/#define pair of a header is a guard" "$guards"
fi
# --- a compile error under --root / names the header relative to the root, as every diagnostic does
printf 'int broken(void)\n' > "$tmp/guards/include/broken.h"
rel=${tmp#/}/guards/include/broken.h
rooted=$( (cd / && "$apidoc" extract --root / --tags "$root/docs/tags.yml" --header "$rel" -o "$tmp/broken.json" --) 2>&1)
if grep -qxF "$rel:1: error: does not compile: expected function body after function declarator" <<<"$rooted"; then
  ok "diagnostics: a compile error under --root / names the header as $rel:1"
else
  fail "diagnostics: a compile error under --root / names the header relative to the root" "$rooted"
fi
zlib_md=$( (cd "$tmp" && "$apidoc" extract --root / --tags "$root/docs/tags.yml" --header usr/include/zlib.h -o "$tmp/zlib.json" -- 2>/dev/null
            "$apidoc" markdown --out "$tmp/zlib-docs" "$tmp/zlib.json" 2>&1 &&
            /usr/bin/python3 -c 'import json, os, sys; a = json.load(open(sys.argv[1]))
pages = {f[:-3] for f in os.listdir(sys.argv[2]) if f.endswith(".md")} - {"index"}
print(len(a["symbols"]), len(pages), "gzgetc-macro" in pages)' "$tmp/zlib.json" "$tmp/zlib-docs/api") 2>&1)
read -r zn zpages zmacro <<<"$zlib_md"
if [[ -n $zn && $zn == "$zpages" && $zmacro == True ]]; then
  ok "markdown: zlib.h's reference builds, a page for each of its $zn symbols (gzgetc and its macro apart)"
else
  fail "markdown: zlib.h's reference builds, a page for each of its symbols" "$zlib_md"
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

# --- shards: extract --shard I/N + merge equals one run, byte for byte ---------------------------
for n in 1 2 3 7; do
  parts=()
  for i in $(seq 1 $n); do
    "$apidoc" extract --shard "$i/$n" -p build/compile_commands.json -o "$tmp/part-$i-of-$n.part" 2>/dev/null
    parts+=("$tmp/part-$i-of-$n.part")
  done
  "$apidoc" merge -p build/compile_commands.json -o "$tmp/merged-$n.json" "${parts[@]}" 2>/dev/null
  if cmp -s "$tmp/a.json" "$tmp/merged-$n.json"; then ok "shards: $n part(s) merged are byte-identical to one run"
  else fail "shards: $n part(s) merged are byte-identical to one run"; fi
done
out=$("$apidoc" merge -p build/compile_commands.json -o "$tmp/short.json" "$tmp/part-1-of-3.part" "$tmp/part-2-of-3.part" 2>&1; echo "exit $?")
if [[ $out == *"this unit is in none of the parts given: merge every shard 1..N"*"exit 3" && ! -e $tmp/short.json ]]; then
  ok "shards: a merge missing a part names its units and writes nothing"
else
  fail "shards: a merge missing a part names its units and writes nothing" "$out"
fi

# --- each header is parsed with the flags of a unit that includes it -----------------------------
mkdir -p "$tmp/flags/include/f" "$tmp/flags/src" "$tmp/flags/other"
printf '///\n/// Feature.\n///\n/// TAGS: Query\n///\n#ifndef F_H\n#define F_H\n#ifdef WITH_FEATURE\n///\n/// Only with the feature.\n///\n/// TAGS: Query\n///\nint feature_on(void);\n#endif\n#endif\n' > "$tmp/flags/include/f/feature.h"
printf 'int plain(void);\nint plain(void) { return 0; }\n' > "$tmp/flags/other/plain.c"
printf '#include "f/feature.h"\nint use(void);\nint use(void) { return feature_on(); }\n' > "$tmp/flags/src/use.c"
cat > "$tmp/flags/db.json" <<JSON
[{"directory": "$tmp/flags/other", "file": "plain.c", "command": "cc -c plain.c"},
 {"directory": "$tmp/flags/src", "file": "use.c", "command": "cc -DWITH_FEATURE -I../include -c use.c"}]
JSON
(cd "$tmp/flags" && "$apidoc" extract --tags "$root/docs/tags.yml" -p db.json -o api.json 2>/dev/null)
if grep -q '"function:feature_on"' "$tmp/flags/api.json" 2>/dev/null && grep -q '"file": "src/use.c"' "$tmp/flags/api.json"; then
  ok "flags: a header is parsed with the flags of the unit that includes it (-D, -I, its directory)"
else
  fail "flags: a header is parsed with the flags of the unit that includes it (-D, -I, its directory)"
fi

# --- apidoc lint api.json: the rules over that very file ---------------------------------------
for case in sections kinds rank; do
  want=$(grep -v '^exit:\|documentation error' "tests/apidoc/cases/$case.stderr" | grep -v 'never attaches\|malformed\|unknown section' | sed 's/^\([^:]*\):[0-9]*:/\1:/' | sort)
  got=$(cd tests/apidoc/cases && "$apidoc" lint "$case.json" 2>&1 | grep -v 'documentation error' | sed 's/^\([^:]*\):[0-9]*:/\1:/' | sort)
  if [[ "$want" == "$got" ]]; then ok "lint $case.json: the model's diagnostics of linting its sources"
  else fail "lint $case.json: the model's diagnostics of linting its sources" "$(diff <(echo "$want") <(echo "$got"))"; fi
done
/usr/bin/python3 - "$here/cases/kinds.json" "$tmp/edited.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["symbols"]:
    if s["doc"] and s["doc"]["params"]:
        s["doc"]["params"].pop(0); break
json.dump(d, open(sys.argv[2], "w"))
PY
out=$(cd "$tmp" && "$apidoc" lint edited.json 2>&1; echo "exit $?")
if [[ $out == *"parameter \`p\` is not documented"*"exit 1" ]]; then
  ok "lint api.json: a parameter row removed from the file is reported"
else
  fail "lint api.json: a parameter row removed from the file is reported"
fi

# --- docs/tags.yml through libyaml: any valid YAML shape; errors with line and column --------
mkdir -p "$tmp/yaml"
cp tests/apidoc/cases/kinds.h tests/apidoc/cases/kinds.c "$tmp/yaml/"
/usr/bin/python3 - docs/tags.yml "$tmp/yaml/block.yml" <<'PY'
import re, sys
out = ["# the same vocabulary in block style, plain and quoted scalars mixed", "tags:"]
for line in open(sys.argv[1]):
    m = re.match(r'\s+(\w+):\s*\{description: "(.*)", synonyms: \[(.*)\]\}', line)
    if not m: continue
    name, desc, syns = m.groups()
    out += [f"  {name}:", f"    description: '{desc.replace(chr(39), chr(39) * 2)}'"]
    syns = [x.strip() for x in syns.split(",") if x.strip()]
    out += ["    synonyms:"] + [f"      - {x}" for x in syns] if syns else []
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
(cd "$tmp/yaml" && "$apidoc" extract --tags "$root/docs/tags.yml" --header kinds.h kinds.c -o flow.json -- -I. 2>/dev/null
 "$apidoc" extract --tags block.yml --header kinds.h kinds.c -o block.json -- -I. 2>/dev/null)
if [[ -s $tmp/yaml/flow.json ]] && cmp -s "$tmp/yaml/flow.json" "$tmp/yaml/block.json"; then
  ok "tags.yml: block style gives the same api.json as flow style"
else
  fail "tags.yml: block style gives the same api.json as flow style"
fi
printf 'tags:\n  Query:\n  Init: Creates things.\n  Alloc:\n    synonyms: Allocate\n' > "$tmp/yaml/short.yml"
if (cd "$tmp/yaml" && "$apidoc" extract --tags short.yml --header kinds.h kinds.c -o short.json -- -I. 2>/dev/null) &&
   /usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tags"]; sys.exit(0 if [(x["name"],x["description"],x["synonyms"]) for x in t]==[("Query","",[]),("Init","Creates things.",[]),("Alloc","",["Allocate"])] else 1)' "$tmp/yaml/short.json"; then
  ok "tags.yml: entries without synonyms or description are read"
else
  fail "tags.yml: entries without synonyms or description are read"
fi
printf 'tags:\n  Query: {description: "x", synonyms: [A, B}\n' > "$tmp/yaml/broken.yml"
printf 'tags:\n  Query:\n    colour: red\n' > "$tmp/yaml/shape.yml"
e1=$(cd "$tmp/yaml" && "$apidoc" extract --tags broken.yml --header kinds.h -o x.json -- -I. 2>&1; echo "exit $?")
e2=$(cd "$tmp/yaml" && "$apidoc" extract --tags shape.yml --header kinds.h -o x.json -- -I. 2>&1; echo "exit $?")
if [[ $e1 == *"broken.yml:2: error: column "*"not valid YAML"*"exit 3" && $e2 == "shape.yml:3: error: column 5: unknown key in a tag"*"exit 3" ]]; then
  ok "tags.yml: a YAML error and a wrong shape are file:line diagnostics with the column"
else
  fail "tags.yml: a YAML error and a wrong shape are file:line diagnostics with the column" "$e1"$'\n'"$e2"
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
