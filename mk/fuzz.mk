# Fuzzing (libFuzzer, clang -fsanitize=fuzzer,address,undefined). `make fuzz` runs every target
# for FUZZ_SECONDS each; the `fuzz-short` suite of `make test` runs each for FUZZ_SHORT_SECONDS.
# Targets are fuzz/fuzz_<target>.c; fuzz/fuzz_ops.c is the op-stream engine they share. The
# library is rebuilt for fuzzing with -DALLOC_FAULT_INJECTION so inputs can make mappings fail.

FUZZ_SECONDS       ?= 60
FUZZ_SHORT_SECONDS ?= 3
FUZZ_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJ    := $(LIB_SRC:src/alloc/%.c=$(BUILD)/fuzz/obj/%.o) $(BUILD)/fuzz/obj/fuzz_ops.o
FUZZ_SRC    := $(filter-out fuzz/fuzz_ops.c,$(wildcard fuzz/fuzz_*.c))
FUZZ_BINS   := $(sort $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%))

$(BUILD)/fuzz/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -DALLOC_FAULT_INJECTION $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/obj/fuzz_ops.o: fuzz/fuzz_ops.c fuzz/fuzz_ops.h $(LIB_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -DALLOC_FAULT_INJECTION $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_ops.h $(FUZZ_OBJ)
	$(CLANG) $(CPPFLAGS) -DALLOC_FAULT_INJECTION -Ifuzz $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    $< $(FUZZ_OBJ) -o $@

.PHONY: fuzz fuzz-build test-fuzz-short
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

TEST_SUITES += fuzz-short
test-fuzz-short: $(FUZZ_BINS)
	@tests/run-suite.sh fuzz-short fuzz/run.sh $(FUZZ_SHORT_SECONDS) $(FUZZ_BINS)
.SECONDARY: $(FUZZ_OBJ)
