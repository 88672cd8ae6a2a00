#!/usr/bin/env bash
# The library as a user adopts it (suite `consumers`):
#  1. a copy of the tree builds and installs (make && make install DESTDIR=… PREFIX=/usr) with PATH
#     reduced to gcc, binutils, make and coreutils, and tools/deps.sh never runs;
#  2. out-of-tree projects use that staged install: Make + pkg-config (shared and static link),
#     CMake find_package(alloc CONFIG) (shared, static, C++), C11/C17/C2x under gcc and clang,
#     C++17 under g++ and clang++; each program's output is checked.
# Usage: tests/consumers/run.sh   (from the repository root). Ends with "N passed, N failed".
set -uo pipefail
root=$(pwd)
here=$root/tests/consumers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
ok()   { echo "ok    $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; [[ -n ${2:-} ]] && sed 's/^/      /' <<<"$2" | tail -25; failed=$((failed + 1)); }

# --- 1. minimal toolchain build ------------------------------------------------------------------
bin=$work/bin; mkdir -p "$bin"
for tool in gcc cc as ld ld.bfd ar make; do ln -s "$(command -v $tool)" "$bin/$tool"; done
while read -r f; do
  [[ $f == /usr/bin/* || $f == /bin/* ]] && [[ -x $f && ! -d $f ]] && ln -sf "$f" "$bin/$(basename "$f")"
done < <(dpkg -L coreutils)
src=$work/src; mkdir -p "$src"
git ls-files -co --exclude-standard -z | (cd "$root" && xargs -0 cp --parents -t "$src")
stage=$work/stage
if out=$(cd "$src" && env -i HOME="$work" PATH="$bin" make -j2 2>&1 &&
         env -i HOME="$work" PATH="$bin" make install DESTDIR="$stage" PREFIX=/usr 2>&1); then
  ok "make && make install DESTDIR=… PREFIX=/usr with only gcc, binutils, make and coreutils"
else
  fail "make && make install DESTDIR=… PREFIX=/usr with only gcc, binutils, make and coreutils" "$out"
fi
if ! grep -q 'deps.sh' <<<"$out" && ! compgen -G "$src/build/.deps-*" >/dev/null; then
  ok "tools/deps.sh did not run for make or make install"
else
  fail "tools/deps.sh did not run for make or make install" "$(grep deps.sh <<<"$out"; ls "$src"/build/.deps-* 2>&1)"
fi
libdir=$stage/usr/lib
for f in include/alloc/Heap.h lib/liballoc.a lib/liballoc.so.$(cat VERSION) lib/pkgconfig/alloc.pc \
         lib/cmake/alloc/alloc-config.cmake lib/cmake/alloc/alloc-config-version.cmake; do
  [[ -e $stage/usr/$f ]] || missing+=" $f"
done
if [[ -z ${missing:-} && $(readlink "$libdir/liballoc.so") == liballoc.so.$(cut -d. -f1 VERSION) ]] &&
   grep -q "SONAME.*\[liballoc.so.$(cut -d. -f1 VERSION)\]" <<<"$(readelf -d "$libdir/liballoc.so.$(cat VERSION)")"; then
  ok "the staged tree has headers, both libraries, soname liballoc.so.MAJOR, alloc.pc and the CMake package"
else
  fail "the staged tree has headers, both libraries, soname liballoc.so.MAJOR, alloc.pc and the CMake package" "missing:${missing:-} $(ls -l "$libdir")"
fi

# check NAME COMMAND...: the command builds ./prog-like binary $BIN; run it and compare the output
check_run() {
  local name=$1 binary=$2; shift 2
  local out
  if ! out=$("$@" 2>&1); then fail "$name" "$out"; return; fi
  if out=$(LD_LIBRARY_PATH="$libdir" "$binary" 2>&1) && diff <(echo "$out") "$here/expected.txt" >/dev/null; then
    ok "$name"
  else
    fail "$name" "$(diff <(echo "$out") "$here/expected.txt")"
  fi
}

# --- 2a. Make + pkg-config -----------------------------------------------------------------------
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage
for link in shared static; do
  check_run "Make + pkg-config project, $link link" "$work/pc-$link" \
    make -s -C "$here/make-pkgconfig" LINK=$link SRC="$here/consumer.c" OUT="$work/pc-$link"
done
# (grep reads captured text: `cmd | grep -q` fails under pipefail when grep exits early)
major=$(cut -d. -f1 VERSION)
if grep -q "liballoc.so.$major" <<<"$(ldd "$work/pc-shared" 2>&1)" && ! grep -q liballoc <<<"$(ldd "$work/pc-static" 2>&1)"; then
  ok "the shared build needs liballoc.so.MAJOR at run time, the static one does not"
else
  fail "the shared build needs liballoc.so.MAJOR at run time, the static one does not" "$(ldd "$work/pc-shared" "$work/pc-static" 2>&1)"
fi
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_PATH

# --- 2b. CMake find_package(alloc CONFIG) --------------------------------------------------------
if out=$(cmake -S "$here/cmake" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$stage/usr" 2>&1 &&
         cmake --build "$work/cmake" 2>&1); then
  check_run "CMake find_package(alloc CONFIG), alloc::alloc (shared)" "$work/cmake/consumer_shared" true
  check_run "CMake find_package(alloc CONFIG), alloc::alloc_static" "$work/cmake/consumer_static" true
  check_run "CMake find_package(alloc CONFIG), C++17 on alloc::alloc" "$work/cmake/consumer_cxx" true
else
  fail "CMake find_package(alloc CONFIG) configures and builds" "$out"
fi
# The version file: same major and not newer than the installed one is compatible.
v=$(cat "$root/VERSION"); major=${v%%.*}; minor=$(cut -d. -f2 <<<"$v")
verdicts=""
for want in "$major.$minor" "$major" "$((major + 1))" "$major.$((minor + 1))"; do
  found=$(cmake -S "$here/cmake-version" -B "$work/cmake-version-$want" -DWANT="$want" \
            -DCMAKE_PREFIX_PATH="$stage/usr" 2>&1 | sed -n 's/.*alloc_FOUND=//p')
  verdicts+="$want:${found:-?} "
done
if [[ $verdicts == "$major.$minor:1 $major:1 $((major + 1)):0 $major.$((minor + 1)):0 " ]]; then
  ok "find_package(alloc X CONFIG) accepts the same major, refuses another major or a newer minor"
else
  fail "find_package(alloc X CONFIG) accepts the same major, refuses another major or a newer minor" "$verdicts"
fi

# --- 2c. language standards and compilers --------------------------------------------------------
inc=$stage/usr/include
for cc in gcc clang; do
  for std in c11 c17 c2x; do
    check_run "$cc -std=$std -Wall -Wextra -Werror -pedantic, static link" "$work/$cc-$std" \
      $cc -std=$std -Wall -Wextra -Werror -pedantic -I"$inc" "$here/consumer.c" "$libdir/liballoc.a" -o "$work/$cc-$std"
  done
done
for cxx in g++ clang++; do
  check_run "$cxx -std=c++17 -Wall -Wextra -Werror -pedantic, shared link" "$work/$cxx" \
    $cxx -std=c++17 -Wall -Wextra -Werror -pedantic -I"$inc" "$here/consumer.cpp" -L"$libdir" -lalloc -o "$work/$cxx"
done

echo "consumers: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
