#!/usr/bin/env bash
# Install the Debian packages the build, the tests, the docs and the benchmarks need.
# Fast when everything is present (one dpkg query); otherwise apt-get update + install.
# Usage: tools/deps.sh            (called by the Makefile when build/.deps is missing or older)
set -euo pipefail

packages=(
  gcc clang make pkg-config            # compilers (library is checked under both)
  libcriterion-dev                     # test framework (death tests run in their own process)
  libclang-dev libjansson-dev          # apidoc: libclang parser, JSON model
  libyaml-dev                          # apidoc: docs/tags.yml
  python3-clang-14                     # apidoc oracle: libclang's own symbol list, independently
  zlib1g-dev libjansson-dev libyaml-dev libcjson-dev libcurl4-openssl-dev   # apidoc oracle headers
  libclang-rt-14-dev                   # ASan/UBSan/libFuzzer runtimes for clang
  valgrind
  doxygen                              # oracle test and the Sphinx pipeline
  mkdocs mkdocs-material python3-pygments python3-yaml
  python3-sphinx python3-breathe furo
  libmimalloc-dev libjemalloc-dev libgoogle-perftools-dev   # benchmark peers
  chromium                             # browser tests of the site (playwright-core from npm)
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# node and npm may come from outside Debian (npm upgrades itself); only install them when absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
