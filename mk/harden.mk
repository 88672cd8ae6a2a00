# Hardening: the allocation-failure injection suite (`fault-injection`). Its own copy of the
# library is built with -DALLOC_FAULT_INJECTION (clang, ASan+UBSan), so the production library
# keeps no global mutable state; tests/harden/fault/*.c replay the allocators' multi-allocation
# paths once per mapping call, failing that call (see src/alloc/fault_injection.h).

FAULT_OBJ      := $(LIB_SRC:src/alloc/%.c=$(BUILD)/fault/obj/%.o)
FAULT_TEST_SRC := $(sort $(wildcard tests/harden/fault/*.c)) tests/support/death.c
ifeq ($(wildcard include/alloc/Vec.h),) # Vec has not landed yet
FAULT_TEST_SRC := $(filter-out tests/harden/fault/test_fault_vec.c,$(FAULT_TEST_SRC))
endif
FAULT_TEST_HDR := $(wildcard tests/harden/fault/*.h tests/support/*.h)

$(BUILD)/fault/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -DALLOC_FAULT_INJECTION $(WARN) $(SANFLAGS) -c $< -o $@

$(BUILD)/fault/test_fault: $(FAULT_TEST_SRC) $(FAULT_TEST_HDR) $(FAULT_OBJ)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -DALLOC_FAULT_INJECTION -Itests/support -Itests/harden/fault $(WARN) \
	    -Wno-missing-prototypes $(SANFLAGS) $(FAULT_TEST_SRC) $(FAULT_OBJ) -lcriterion -o $@

TEST_SUITES += fault-injection
.PHONY: test-fault-injection
test-fault-injection: $(BUILD)/fault/test_fault
	@ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	    tests/run-suite.sh fault-injection $< --jobs 2

# --- Sanitizer hooks (src/alloc/sanitizer.h) --------------------------------------------------
# sanitizer-asan: the ASan side, a Criterion suite built with clang ASan+UBSan.
SAN_TEST_SRC := $(sort $(wildcard tests/harden/sanitizer/*.c)) tests/support/death.c

$(BUILD)/harden/test_sanitizer_asan: $(SAN_TEST_SRC) src/alloc/sanitizer.h tests/support/death.h | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -Itests/support $(WARN) -Wno-missing-prototypes $(SANFLAGS) $(SAN_TEST_SRC) -lcriterion -o $@

TEST_SUITES += sanitizer-asan
.PHONY: test-sanitizer-asan
test-sanitizer-asan: $(BUILD)/harden/test_sanitizer_asan
	@ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 tests/run-suite.sh sanitizer-asan $< --jobs 2

# valgrind: memcheck over the hook checks, a must-be-caught use after free, and the fuzz targets
# replaying their seed corpora (tests/harden/valgrind.sh). Plain gcc builds with -DALLOC_VALGRIND.
VG_FLAGS    := -O1 -g -DALLOC_VALGRIND -DALLOC_FAULT_INJECTION
VG_OBJ      := $(LIB_SRC:src/alloc/%.c=$(BUILD)/valgrind/obj/%.o) $(BUILD)/valgrind/obj/fuzz_ops.o
# fuzz_tu replays whole units through libclang: ASan covers it in fuzz-short; memcheck over
# libclang would take minutes per input.
VG_REPLAYS  := $(sort $(patsubst fuzz/fuzz_%.c,$(BUILD)/valgrind/replay_%,$(filter-out fuzz/fuzz_tu.c,$(FUZZ_SRC))))
VG_PROGRAMS := $(BUILD)/valgrind/vg_hooks $(BUILD)/valgrind/vg_uaf $(VG_REPLAYS)

$(BUILD)/valgrind/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(VG_FLAGS) -c $< -o $@

$(BUILD)/valgrind/obj/fuzz_ops.o: fuzz/fuzz_ops.c fuzz/fuzz_ops.h $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(VG_FLAGS) -c $< -o $@

$(BUILD)/valgrind/replay_%: fuzz/fuzz_%.c fuzz/replay.c fuzz/fuzz_ops.h $(VG_OBJ)
	$(CC) $(CPPFLAGS) -Ifuzz $(WARN) $(VG_FLAGS) $< fuzz/replay.c $(VG_OBJ) -o $@

$(BUILD)/valgrind/replay_comment: fuzz/fuzz_comment.c fuzz/replay.c $(APIDOC_COMMENT_SRC) tools/apidoc/model.h
	@mkdir -p $(@D)
	$(CC) -D_GNU_SOURCE -Itools/apidoc $(CPPFLAGS) -Ifuzz $(WARN) -O1 -g $< fuzz/replay.c $(APIDOC_COMMENT_SRC) -o $@

$(BUILD)/valgrind/vg_%: tests/harden/valgrind/vg_%.c src/alloc/sanitizer.h | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(VG_FLAGS) $< -o $@

.SECONDARY: $(VG_OBJ)

TEST_SUITES += valgrind
.PHONY: test-valgrind
test-valgrind: $(VG_PROGRAMS)
	@tests/run-suite.sh valgrind tests/harden/valgrind.sh $(BUILD)/valgrind
