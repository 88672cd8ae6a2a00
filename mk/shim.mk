# The malloc shim: build/liballoc-malloc.so (src/shim/*.c on HeapAllocator, for
# LD_PRELOAD), its suite `shim` (tests/shim/run.sh: real programs must print what they print on
# glibc) and `make bench-programs` (bench/run_programs.sh: those programs timed under glibc,
# mimalloc and the shim, into bench/results/programs.md). Needs HeapAllocator (include/alloc/Heap.h).
ifneq ($(wildcard include/alloc/Heap.h),)
SHIM := $(BUILD)/liballoc-malloc.so

SHIM_SRC := $(sort $(wildcard src/shim/*.c))

$(SHIM): $(SHIM_SRC) src/shim/shim_internal.h src/shim/exports.map $(LIB_OBJ) | $(DEPS_TEST)
	$(CLANG) $(CPPFLAGS) $(WARN) -fsyntax-only $(SHIM_SRC)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fvisibility=default -shared -Wl,-soname,liballoc-malloc.so \
	    -Wl,--version-script=src/shim/exports.map $(SHIM_SRC) $(LIB_OBJ) -pthread -o $@

$(BUILD)/shim/shim_api: tests/shim/shim_api.c | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) -D_GNU_SOURCE $(WARN) -fsyntax-only $<
	$(CC) -D_GNU_SOURCE -O1 -g $(WARN) $< -pthread -o $@

.PHONY: shim test-shim bench-programs
shim: $(SHIM)

TEST_SUITES += shim
test-shim: $(SHIM) $(BUILD)/shim/shim_api
	@tests/run-suite.sh shim tests/shim/run.sh $(SHIM) $(BUILD)/shim/shim_api

# The shim under ThreadSanitizer (suite shim-tsan): its sources and the library's built with
# clang -fsanitize=thread, the malloc family renamed tested_* (TSan's own malloc would win over a
# preloaded one), driven by a 2-thread differential run with cross-thread frees and reallocs.
SHIM_RENAME := $(foreach f,malloc free calloc realloc posix_memalign aligned_alloc memalign \
                 valloc pvalloc malloc_usable_size,-D$(f)=tested_$(f))
TSAN_FLAGS  := -O1 -g -fsanitize=thread
TSAN_OBJ    := $(LIB_SRC:src/alloc/%.c=$(BUILD)/tsan/obj/%.o)
SHIM_TSAN_OPS ?= 20000

$(BUILD)/tsan/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) $(WARN) $(TSAN_FLAGS) -c $< -o $@

$(BUILD)/tsan/shim_differential: tests/shim/tsan_differential.c $(SHIM_SRC) src/shim/shim_internal.h $(TSAN_OBJ)
	$(CLANG) $(CPPFLAGS) $(WARN) $(TSAN_FLAGS) $(SHIM_RENAME) tests/shim/tsan_differential.c \
	    $(SHIM_SRC) $(TSAN_OBJ) -pthread -o $@

TEST_SUITES += shim-tsan
.PHONY: test-shim-tsan
test-shim-tsan: $(BUILD)/tsan/shim_differential
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" tests/run-suite.sh shim-tsan $< $(SHIM_TSAN_OPS)

BENCH_PROGRAM_ROUNDS ?= 5
bench-programs: $(SHIM) | $(DEPS_BENCH)
	bench/run_programs.sh $(SHIM) $(BENCH_PROGRAM_ROUNDS)
endif
