#!/usr/bin/env bash
# `apidoc extract` over a foreign tree (headers relative to ROOT, each parsed on its own with
# FLAGS). Documentation errors in the foreign comments (a block that attaches to nothing, a symbol
# documented twice) are findings, not failures: they are written to OUT.diagnostics and counted;
# the step fails only when no api.json is written (a header does not compile, an I/O error).
# Usage: tests/foreign/extract.sh APIDOC OUT ROOT TAGS "HEADERS" -- FLAGS...
set -uo pipefail
apidoc=$(realpath "$1"); out=$(realpath -m "$2"); root=$3; tags=$(realpath "$4"); read -r -a headers <<<"$5"
shift 5; [[ ${1:-} == -- ]] && shift
args=()
for h in "${headers[@]}"; do args+=(--header "$h"); done
mkdir -p "$(dirname "$out")"
rm -f "$out"
"$apidoc" extract --root "$root" --tags "$tags" "${args[@]}" -o "$out" -- "$@" 2> "$out.diagnostics"
rc=$?
errors=$(grep -c ': error: ' "$out.diagnostics")
warnings=$(grep -c ': warning: ' "$out.diagnostics")
if [[ ! -f $out ]] || (( rc != 0 && rc != 1 )); then
  cat "$out.diagnostics" >&2
  echo "extract.sh: apidoc extract failed (exit $rc), no api.json" >&2
  exit 1
fi
echo "extract.sh: ${#headers[@]} headers -> $out; $errors documentation errors, $warnings warnings in the foreign comments ($out.diagnostics)"
