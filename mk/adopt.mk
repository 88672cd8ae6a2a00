# The library as others adopt it (issue 9): suites
#   consumers  a minimal-toolchain build and staged install, then out-of-tree Make + pkg-config,
#              CMake find_package, C11/C17/C2x (gcc, clang) and C++17 (g++, clang++) programs;
#   namespace  the headers leave an includer's names alone, every public name has a prefix;
#   abi        the exported symbols equal abi/liballoc.symbols, soname from VERSION, abidiff
#              against the last release tag when there is one.
# `make abi-symbols` rewrites abi/liballoc.symbols after a deliberate change of the exports.
TEST_SUITES += consumers namespace abi
.PHONY: test-consumers test-namespace test-abi abi-symbols

test-consumers: | $(DEPS_TEST)
	@tests/run-suite.sh consumers tests/consumers/run.sh

test-namespace: $(BUILD)/liballoc.a | $(DEPS_TEST)
	@tests/run-suite.sh namespace tests/namespace/run.sh $(BUILD)/liballoc.a

test-abi: $(BUILD)/liballoc.so | $(DEPS_TEST)
	@tests/run-suite.sh abi tests/abi/run.sh $(BUILD)/liballoc.so

abi-symbols: $(BUILD)/liballoc.so
	nm -D --defined-only $< | awk '{print $$3}' | sort > abi/liballoc.symbols
