# Fuzzing (libFuzzer, clang -fsanitize=fuzzer,address,undefined). `make fuzz` runs every target
# for FUZZ_SECONDS each; the `fuzz-short` suite of `make test` runs each for FUZZ_SHORT_SECONDS.
# Targets are fuzz/fuzz_<target>.c; fuzz/fuzz_ops.c is the op-stream engine they share. The
# library is rebuilt for fuzzing with -DALLOC_FAULT_INJECTION so inputs can make mappings fail.

FUZZ_SECONDS       ?= 60
FUZZ_SHORT_SECONDS ?= 3
FUZZ_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJ    := $(LIB_SRC:src/alloc/%.c=$(BUILD)/fuzz/obj/%.o) $(BUILD)/fuzz/obj/fuzz_ops.o
# A target whose code under test has not landed yet is skipped: fuzz_<t>.c needs FUZZ_NEEDS_<t>.
FUZZ_NEEDS_vec     := include/alloc/Vec.h
FUZZ_NEEDS_comment := tools/apidoc/comment.c
FUZZ_NEEDS_tu      := tools/apidoc/stages.h
fuzz_landed = $(if $(FUZZ_NEEDS_$(1:fuzz/fuzz_%.c=%)),$(if $(wildcard $(FUZZ_NEEDS_$(1:fuzz/fuzz_%.c=%))),$(1)),$(1))
FUZZ_SRC    := $(foreach f,$(filter-out fuzz/fuzz_ops.c,$(wildcard fuzz/fuzz_*.c)),$(call fuzz_landed,$(f)))
FUZZ_BINS   := $(sort $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%))

# apidoc's `///` parser: the comment target links that stage of the tool, not the library.
APIDOC_COMMENT_SRC := tools/apidoc/comment.c tools/apidoc/comment_doxygen.c tools/apidoc/model.c tools/apidoc/diag.c \
                      tools/apidoc/util.c
# apidoc over whole translation units: every stage but the command line and the Markdown pages.
APIDOC_TU_SRC := $(filter-out tools/apidoc/main.c tools/apidoc/cli.c tools/apidoc/gen_md%,$(wildcard tools/apidoc/*.c))

$(BUILD)/fuzz/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -DALLOC_FAULT_INJECTION $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/obj/fuzz_ops.o: fuzz/fuzz_ops.c fuzz/fuzz_ops.h $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -DALLOC_FAULT_INJECTION $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_ops.h $(FUZZ_OBJ)
	$(CLANG) $(CPPFLAGS) -DALLOC_FAULT_INJECTION -Ifuzz $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    $< $(FUZZ_OBJ) -o $@

$(BUILD)/fuzz/fuzz_comment: fuzz/fuzz_comment.c $(APIDOC_COMMENT_SRC) tools/apidoc/model.h | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) -D_GNU_SOURCE -Itools/apidoc $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(APIDOC_COMMENT_SRC) -o $@

$(BUILD)/fuzz/fuzz_tu: fuzz/fuzz_tu.c $(APIDOC_TU_SRC) $(wildcard tools/apidoc/*.h) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) -D_GNU_SOURCE -Itools/apidoc -I/usr/lib/llvm-14/include $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer $< \
	    $(APIDOC_TU_SRC) -L/usr/lib/llvm-14/lib -lclang -ljansson -lyaml -lpthread -Wl,-rpath,/usr/lib/llvm-14/lib -o $@

.PHONY: fuzz fuzz-build test-fuzz-short
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

TEST_SUITES += fuzz-short
test-fuzz-short: $(FUZZ_BINS)
	@tests/run-suite.sh fuzz-short fuzz/run.sh $(FUZZ_SHORT_SECONDS) $(FUZZ_BINS)
.SECONDARY: $(FUZZ_OBJ)
