#!/usr/bin/env bash
# Run the violation catalogue: every case of every program in its own process, each expected to
# end as its table says (SIGABRT with the exact line "alloc: fatal: <function>: <reason> <ptr>",
# where <ptr> is what the case printed as "pointer: ..." just before the misuse; or SIGSEGV with
# no fatal line; or a clean exit after the case checked the documented behaviour). Then check that
# the generated part of docs/guides/violation-catalogue.md is what this run observed.
# Usage: tests/violations/run.sh [--write-doc] PROGRAM...   (ends with "N passed, N failed")
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
doc=docs/guides/violation-catalogue.md
write_doc=0
if [[ ${1-} == --write-doc ]]; then write_doc=1; shift; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ulimit -c 0
passed=0; failed=0
: >"$tmp/results.tsv"

# Lines of a file into the array named $2, and the first line starting with $3 into $4, and how
# many lines start with it into $5: bash builtins only (a fork costs tens of ms on a loaded box).
scan() { # file array prefix first count
    local -n lines=$2 first=$4 count=$5
    mapfile -t lines <"$1"
    first=""; count=0
    local line
    for line in "${lines[@]}"; do
        [[ $line == "$3"* ]] || continue
        (( count++ == 0 )) && first=$line
    done
}

run_case() { # prog kind name row label outcome function reason note
    local prog=$1 kind=$2 name=$3 row=$4 label=$5 outcome=$6 function=$7 reason=$8 note=$9
    local status pointer fatal nfatal expected observed verdict=ok why="" out err notes ignored
    # The braces take bash's own "Aborted" notice away from the log. The driver sets alarm(30).
    { "$prog" "$name" >"$tmp/out" 2>"$tmp/err" </dev/null; status=$?; } 2>/dev/null
    scan "$tmp/out" out "pointer: " pointer ignored
    pointer=${pointer#pointer: }
    scan "$tmp/err" err "alloc: fatal: " fatal nfatal
    case $outcome in
    fatal)
        expected="alloc: fatal: $function: $reason $pointer"
        observed=${fatal% *}
        if [[ -z $pointer ]]; then verdict=FAIL why="the case printed no pointer"
        elif (( status != 134 )); then verdict=FAIL why="exit status $status, not SIGABRT"
        elif (( nfatal != 1 )); then verdict=FAIL why="$nfatal fatal lines"
        elif [[ $fatal != "$expected" ]]; then verdict=FAIL why="expected \"$expected\""
        fi ;;
    sigsegv)
        observed="SIGSEGV"
        if (( status != 139 )); then verdict=FAIL why="exit status $status, not SIGSEGV"
        elif (( nfatal != 0 )); then verdict=FAIL why="unexpected fatal line: $fatal"
        fi ;;
    survives)
        local line survived=0; notes=""
        for line in "${out[@]}"; do
            [[ $line == "note: "* ]] && notes+="${notes:+ }${line#note: }"
            [[ $line == survived ]] && survived=1
        done
        observed="survived: $notes"
        if (( status != 0 || ! survived )); then
            verdict=FAIL why="exit status $status, expected a clean exit after \"survived\""
        fi ;;
    *) verdict=FAIL why="unknown outcome $outcome" ;;
    esac
    if [[ $verdict == ok ]]; then
        passed=$((passed + 1))
        printf 'ok    %-16s %-28s %s\n' "$kind" "$name" "$observed"
    else
        failed=$((failed + 1))
        printf 'FAIL  %-16s %-28s %s; got: %s\n' "$kind" "$name" "$why" "${fatal:-no fatal line}"
        printf '      | %s\n' "${err[@]:0:20}"
        observed="FAILED"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${prog##*/}" "$kind" "$name" "$row" \
        "$label" "$outcome" "$function" "$reason" "$note" "$observed" >>"$tmp/results.tsv"
}

for prog in "$@"; do
    if ! "$prog" --list >"$tmp/list"; then
        echo "FAIL  $prog --list"; failed=$((failed + 1)); continue
    fi
    while IFS=$'\t' read -r kind name row label outcome function reason note; do
        run_case "$prog" "$kind" "$name" "$row" "$label" "$outcome" "$function" "$reason" "$note"
    done <"$tmp/list"
done

/usr/bin/python3 "$here/catalogue.py" "$tmp/results.tsv" >"$tmp/generated.md"
if (( write_doc )); then
    if (( failed )); then echo "not writing $doc: $failed case(s) failed"; exit 1; fi
    /usr/bin/python3 "$here/catalogue.py" --splice "$doc" "$tmp/generated.md"
    echo "wrote $doc"
fi
# The doc's generated part must be exactly what this run saw.
if /usr/bin/python3 "$here/catalogue.py" --extract "$doc" >"$tmp/committed.md" 2>"$tmp/extract.err" &&
    diff -u "$tmp/committed.md" "$tmp/generated.md" >"$tmp/doc.diff"; then
    passed=$((passed + 1)); echo "ok    $doc matches the observed output"
else
    failed=$((failed + 1))
    echo "FAIL  $doc differs from the observed output (make violation-catalogue rewrites it):"
    cat "$tmp/extract.err" "$tmp/doc.diff" | head -60
fi
echo "$passed passed, $failed failed"
(( failed == 0 ))
