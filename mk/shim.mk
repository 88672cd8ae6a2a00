# The malloc shim: build/liballoc-malloc.so (src/shim/malloc_shim.c on HeapAllocator, for
# LD_PRELOAD), its suite `shim` (tests/shim/run.sh: real programs must print what they print on
# glibc) and `make bench-programs` (bench/run_programs.sh: those programs timed under glibc,
# mimalloc and the shim, into bench/results/programs.md). Needs HeapAllocator (include/alloc/Heap.h).
ifneq ($(wildcard include/alloc/Heap.h),)
SHIM := $(BUILD)/liballoc-malloc.so

$(SHIM): src/shim/malloc_shim.c src/shim/exports.map $(LIB_OBJ) | $(DEPS_TEST)
	$(CLANG) $(CPPFLAGS) $(WARN) -fsyntax-only $<
	$(CC) $(CPPFLAGS) $(CFLAGS) -fvisibility=default -shared -Wl,-soname,liballoc-malloc.so \
	    -Wl,--version-script=src/shim/exports.map $< $(LIB_OBJ) -pthread -o $@

$(BUILD)/shim/shim_api: tests/shim/shim_api.c | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) -D_GNU_SOURCE $(WARN) -fsyntax-only $<
	$(CC) -D_GNU_SOURCE -O1 -g $(WARN) $< -pthread -o $@

.PHONY: shim test-shim bench-programs
shim: $(SHIM)

TEST_SUITES += shim
test-shim: $(SHIM) $(BUILD)/shim/shim_api
	@tests/run-suite.sh shim tests/shim/run.sh $(SHIM) $(BUILD)/shim/shim_api

BENCH_PROGRAM_ROUNDS ?= 5
bench-programs: $(SHIM) | $(DEPS_BENCH)
	bench/run_programs.sh $(SHIM) $(BENCH_PROGRAM_ROUNDS)
endif
