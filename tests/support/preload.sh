# Sourced by the suites that preload a malloc into real programs (tests/shim/run.sh,
# tests/debugmalloc/run.sh): a scratch directory, the ok/FAIL verdicts with their counters, and
# the "same output as a plain run" check. The sourcing script prints "$passed passed, $failed failed".
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ulimit -c 0
passed=0; failed=0

verdict() { # name ok(0/1) detail
    if (( $2 )); then passed=$((passed + 1)); echo "ok    $1"
    else failed=$((failed + 1)); echo "FAIL  $1: $3"; fi
}

# write_lines N FILE: N deterministic pseudo-random lines ("number word line-i"), input for sort/gzip.
write_lines() {
    awk -v n="$1" -f "$(dirname "${BASH_SOURCE[0]}")/../../bench/programs/lines.awk" >"$2"
}

# same_output_preloaded NAME LIB REPORT_RE [VAR=value...] -- COMMAND...
# Runs COMMAND plainly, then with LIB preloaded and the VAR=value settings. Passes when both exit
# 0, no stderr line of the preloaded run matches REPORT_RE (ld.so's "cannot be preloaded", or the
# malloc's own reports) and both outputs are identical and non-empty.
same_output_preloaded() {
    local name=$1 lib=$2 report=$3; shift 3
    local settings=()
    while [[ $1 != -- ]]; do settings+=("$1"); shift; done
    shift
    "$@" >"$work/plain.out" 2>"$work/plain.err"
    local plain=$?
    env "${settings[@]}" LD_PRELOAD="$lib" "$@" >"$work/preloaded.out" 2>"$work/preloaded.err"
    local status=$?
    if (( status != 0 || plain != 0 )); then
        verdict "$name" 0 "exit status $status (plain $plain): $(head -c 800 "$work/preloaded.err")"
    elif grep -qE "$report" "$work/preloaded.err"; then
        verdict "$name" 0 "stderr: $(head -c 800 "$work/preloaded.err")"
    elif [[ ! -s $work/plain.out ]] || ! cmp -s "$work/plain.out" "$work/preloaded.out"; then
        verdict "$name" 0 "output differs from the plain run"
    else
        verdict "$name" 1
    fi
}
