#!/usr/bin/env bash
# Write a compile_commands.json (to stdout) for the given sources, all built with one command line.
# Usage: tools/compile_commands.sh "CC FLAGS..." file.c...
set -euo pipefail
command=$1; shift
dir=$(pwd)
json_escape() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' <<<"$1"; }
echo "["
first=1
for file in "$@"; do
  ((first)) || echo ","
  first=0
  printf '  {"directory": "%s", "file": "%s", "command": "%s -c %s"}' \
    "$(json_escape "$dir")" "$(json_escape "$file")" "$(json_escape "$command")" "$(json_escape "$file")"
done
echo
echo "]"
