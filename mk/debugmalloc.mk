# The debug malloc: build/liballoc-debug.so (src/debugmalloc/ on DebugAllocator, for LD_PRELOAD;
# built by `make`, installed by `make install`), its suite `debugmalloc` (tests/debugmalloc/run.sh:
# the bug corpus, each report checked line by line, and real programs that must behave as on
# glibc with no report) and `make bench-debugmalloc` (bench/run_debugmalloc.sh: the corpus and the
# programs under liballoc-debug.so and valgrind memcheck, into bench/results/debugmalloc.md).
# The .so needs only a C11 compiler: its objects are built here with frame pointers, so that the
# traces of the program's calls start in the program.
DEBUG_MALLOC     := $(BUILD)/liballoc-debug.so
DEBUG_MALLOC_SRC := $(sort $(wildcard src/debugmalloc/*.c))
DEBUG_MALLOC_OBJ := $(LIB_SRC:src/alloc/%.c=$(BUILD)/debugmalloc/obj/%.o) \
                    $(DEBUG_MALLOC_SRC:src/debugmalloc/%.c=$(BUILD)/debugmalloc/obj/dm_%.o)

$(BUILD)/debugmalloc/obj/%.o: src/alloc/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fno-omit-frame-pointer -c $< -o $@

$(BUILD)/debugmalloc/obj/dm_%.o: src/debugmalloc/%.c src/debugmalloc/debug_malloc.h $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fvisibility=default -fno-omit-frame-pointer -ftls-model=initial-exec \
	    -c $< -o $@

$(DEBUG_MALLOC): $(DEBUG_MALLOC_OBJ) src/debugmalloc/exports.map
	$(CC) -shared -Wl,-soname,liballoc-debug.so -Wl,--version-script=src/debugmalloc/exports.map \
	    $(DEBUG_MALLOC_OBJ) -pthread -ldl -o $@

# The bug corpus, built as a programmer would to debug: -g -O0 (which keeps frame pointers).
DM_BUGS   := $(BUILD)/debugmalloc/bugs
DM_CORPUS := $(patsubst tests/debugmalloc/bugs/%.c,$(DM_BUGS)/%,$(wildcard tests/debugmalloc/bugs/*.c)) \
             $(patsubst tests/debugmalloc/bugs/%.cpp,$(DM_BUGS)/%,$(wildcard tests/debugmalloc/bugs/*.cpp))

$(DM_BUGS)/%: tests/debugmalloc/bugs/%.c | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) -g -O0 -w -pthread $< -o $@

$(DM_BUGS)/%: tests/debugmalloc/bugs/%.cpp | $(DEPS_TEST)
	@mkdir -p $(@D)
	g++ -g -O0 -w $< -o $@

$(BUILD)/debugmalloc/unwind_bench: tests/debugmalloc/tools/unwind_bench.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -fno-omit-frame-pointer $(WARN) $< -ldl -o $@

.PHONY: debugmalloc test-debugmalloc bench-debugmalloc
debugmalloc: $(DEBUG_MALLOC)

TEST_SUITES += debugmalloc
test-debugmalloc: $(DEBUG_MALLOC) $(DM_CORPUS) $(BUILD)/shim/shim_api | $(DEPS_TEST)
	@tests/run-suite.sh debugmalloc tests/debugmalloc/run.sh $(DEBUG_MALLOC) $(DM_BUGS) \
	    $(BUILD)/shim/shim_api

BENCH_DEBUGMALLOC_ROUNDS ?= 3
bench-debugmalloc: $(DEBUG_MALLOC) $(DM_CORPUS) $(BUILD)/debugmalloc/unwind_bench | $(DEPS_TEST) $(DEPS_BENCH)
	bench/run_debugmalloc.sh $(DEBUG_MALLOC) $(DM_BUGS) $(BUILD)/debugmalloc/unwind_bench \
	    $(BENCH_DEBUGMALLOC_ROUNDS)
