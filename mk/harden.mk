# Hardening: the allocation-failure injection suite (`fault-injection`). Its own copy of the
# library is built with -DALLOC_FAULT_INJECTION (clang, ASan+UBSan), so the production library
# keeps no global mutable state; tests/harden/fault/*.c replay the allocators' multi-allocation
# paths once per mapping call, failing that call (see src/alloc/fault_injection.h).

FAULT_OBJ      := $(LIB_SRC:src/alloc/%.c=$(BUILD)/fault/obj/%.o)
FAULT_TEST_SRC := $(sort $(wildcard tests/harden/fault/*.c)) tests/support/death.c
FAULT_TEST_HDR := $(wildcard tests/harden/fault/*.h tests/support/*.h)

$(BUILD)/fault/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_STAMP)
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
