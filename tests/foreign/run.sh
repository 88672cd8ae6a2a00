#!/usr/bin/env bash
# Suite `foreign`: the site `make docs-foreign` built for a Doxygen-commented library (libgit2)
# is complete, and its api.json agrees with libclang's own symbol list and with Doxygen's XML
# for the same headers (tests/foreign/compare.py). Ends with "N passed, N failed".
# Usage: tests/foreign/run.sh FOREIGN_DIR ROOT "HEADERS" -- FLAGS...
set -uo pipefail
dir=$(realpath "$1"); root=$2; read -r -a headers <<<"$3"; shift 3; [[ ${1:-} == -- ]] && shift
here=$(cd "$(dirname "$0")" && pwd)
work=$dir/oracle
rm -rf "$work" && mkdir -p "$work"
passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [[ -n ${2:-} ]] && echo "$2" | head -30; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

api=$dir/api.json
echo "documentation findings in the foreign comments: $(grep -c ': error: ' "$dir/api.json.diagnostics") errors (see $dir/api.json.diagnostics)"

# --- the site --------------------------------------------------------------------------------
check "site: index.html carries the foreign site's name" \
      "grep -q '<title>libgit2 reference' '$dir/site/index.html'"
pages=$(/usr/bin/python3 -c '
import json, os, sys
api = json.load(open(sys.argv[1]))
missing = [s["name"] for s in api["symbols"] if not os.path.isfile(os.path.join(sys.argv[2], "api", s["name"] + ".html"))]
print(len(api["symbols"]), len(missing), " ".join(missing[:10]))' "$api" "$dir/site")
read -r nsym nmissing rest <<<"$pages"
check "site: a page for each of the $nsym symbols ($nmissing missing${rest:+: $rest})" "(( nsym > 0 && nmissing == 0 ))"
check "site: a Doxygen @param table and @return rendered (git_repository_open)" \
      "grep -q 'the path to the repository' '$dir/site/api/git_repository_open.html' && grep -q '0 or an error code' '$dir/site/api/git_repository_open.html'"
check "site: a /**< */ member doc rendered (git_checkout_options.version)" \
      "grep -q 'The version' '$dir/site/api/git_checkout_options.html'"
check "site: @deprecated rendered (git_blob_filtered_content)" \
      "grep -q 'Use git_blob_filter' '$dir/site/api/git_blob_filtered_content.html'"
check "site: no absolute path of the build machine in api.json" "! grep -q '$dir' '$api'"

# --- the oracles ---------------------------------------------------------------------------------
if ! /usr/bin/python3 "$here/libclang_symbols.py" "$root" "${headers[@]}" -- "$@" > "$work/libclang.json" 2> "$work/libclang.err"; then
  fail "libclang lister runs" "$(cat "$work/libclang.err")"
fi
inputs=$(for h in "${headers[@]}"; do printf ' %s/%s' "$root" "$h"; done)
cat > "$work/Doxyfile" <<EOF
INPUT = $inputs
OUTPUT_DIRECTORY = $work
GENERATE_XML = YES
GENERATE_HTML = NO
GENERATE_LATEX = NO
JAVADOC_AUTOBRIEF = YES
QT_AUTOBRIEF = YES
EXTRACT_ALL = YES
ENABLE_PREPROCESSING = YES
MACRO_EXPANSION = YES
EXPAND_ONLY_PREDEF = YES
PREDEFINED = "GIT_EXTERN(x)=x" "GIT_CALLBACK(x)=(*x)" GIT_BEGIN_DECL= GIT_END_DECL= "GIT_DEPRECATED(x)=x" "GIT_FORMAT_PRINTF(a,b)=" __GNUC__=4
QUIET = YES
WARNINGS = NO
FULL_PATH_NAMES = YES
STRIP_FROM_PATH = $root
EOF
if ! doxygen "$work/Doxyfile" > "$work/doxygen.log" 2>&1; then
  fail "doxygen runs" "$(tail -5 "$work/doxygen.log")"
fi
out=$(/usr/bin/python3 "$here/compare.py" "$api" "$work/libclang.json" "$work/xml" 2>&1)
echo "$out" | grep -v '^PASS \|^FAIL \|^    '
passed=$((passed + $(grep -c '^PASS ' <<<"$out")))
failed=$((failed + $(grep -c '^FAIL ' <<<"$out")))
grep '^PASS \|^FAIL \|^    ' <<<"$out"
grep -q '^PASS \|^FAIL ' <<<"$out" || fail "compare.py reports" "$out"

echo "foreign: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
