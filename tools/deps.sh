#!/usr/bin/env bash
# Install the Debian packages a group of make targets needs, and nothing else.
#   tools/deps.sh GROUP...    groups: test docs browser bench (no group: all of them)
# The library itself (`make`, `make install`) needs no group: a C11 compiler, make and coreutils.
# Fast when everything is present (one dpkg query); otherwise apt-get update + install.
set -euo pipefail

declare -A group=(
  # the suites of `make test`: second compiler and sanitizers, Criterion, valgrind, and the
  # out-of-tree consumer checks (pkg-config, CMake, C++, the ABI comparison)
  [test]="gcc g++ clang make pkg-config cmake libcriterion-dev libclang-rt-14-dev valgrind abigail-tools binutils"
  # apidoc (libclang, jansson, libyaml), the Doxygen oracle, MkDocs + Material, Sphinx + Breathe
  # apidoc's oracle test: libclang's own symbol list (python3-clang-14) over real Debian headers,
  # and the foreign Doxygen-commented headers of make docs-foreign (libgit2-dev)
  [docs]="libclang-dev libjansson-dev libyaml-dev doxygen mkdocs mkdocs-material python3-pygments python3-yaml python3-sphinx python3-breathe furo python3-clang-14 zlib1g-dev libcjson-dev libcurl4-openssl-dev libmimalloc-dev libgit2-dev"
  # the browser tests of the site: Debian's chromium driven by playwright-core (npm)
  [browser]="chromium"
  # benchmark peers and the real programs timed on the shim
  [bench]="libmimalloc-dev libjemalloc-dev libgoogle-perftools-dev valgrind sqlite3 xz-utils perl gzip gcc python3 time util-linux"
)

wanted=("$@")
((${#wanted[@]})) || wanted=(test docs browser bench)
packages=()
for g in "${wanted[@]}"; do
  [[ -n ${group[$g]+set} ]] || { echo "deps: unknown group '$g' (known: ${!group[*]})" >&2; exit 2; }
  read -ra list <<<"${group[$g]}"
  packages+=("${list[@]}")
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# node and npm may come from outside Debian (npm upgrades itself); only install them when absent.
if [[ " ${wanted[*]} " == *" browser "* ]]; then
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
fi

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
