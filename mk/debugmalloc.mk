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

.PHONY: debugmalloc test-debugmalloc bench-debugmalloc
debugmalloc: $(DEBUG_MALLOC)

TEST_SUITES += debugmalloc
test-debugmalloc: $(DEBUG_MALLOC) $(BUILD)/shim/shim_api | $(DEPS_TEST)
	@tests/run-suite.sh debugmalloc tests/debugmalloc/run.sh $(DEBUG_MALLOC) $(BUILD)/shim/shim_api

bench-debugmalloc: $(DEBUG_MALLOC) | $(DEPS_TEST) $(DEPS_BENCH)
	bench/run_debugmalloc.sh $(DEBUG_MALLOC)
