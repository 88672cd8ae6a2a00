# Example programs (examples/*.c): small complete uses of the library, built against
# build/liballoc.a with the project's warning flags, and run by the `examples` suite, which checks
# their output (examples/run_examples.sh against examples/expected/<name>.txt).
#
# examples/*.c are the examples whose allocators are on main and that were checked against them;
# examples/pending/*.c wait for their allocator to land (they stay out of the build and out of
# compile_commands.json, so apidoc never parses a file whose header is missing). As a safety net,
# an example that includes an `alloc/X.h` not in include/alloc/ is skipped rather than failing.

examples_headers = $(shell sed -n 's|^\#include "alloc/\([A-Za-z]*\.h\)".*|\1|p' $(1))
examples_missing = $(filter-out $(notdir $(wildcard include/alloc/*.h)),$(call examples_headers,$(1)))
EXAMPLES := $(foreach f,$(sort $(wildcard examples/*.c)),$(if $(call examples_missing,$f),,$(basename $(notdir $f))))
EXAMPLE_BINS := $(EXAMPLES:%=$(BUILD)/examples/%) $(EXAMPLES:%=$(BUILD)/examples/asan/%)

.PHONY: examples test-examples
examples: $(EXAMPLE_BINS)

# As a user builds them: only the public headers, the static library, the project's warnings.
$(BUILD)/examples/%: examples/%.c $(BUILD)/liballoc.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) -Iinclude -O1 -g $(WARN) $< $(BUILD)/liballoc.a -o $@

# And with clang, ASan and UBSan, like the library's second test run.
$(BUILD)/examples/asan/%: examples/%.c $(ASAN_OBJ) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CLANG) -Iinclude $(WARN) $(SANFLAGS) $< $(ASAN_OBJ) -o $@

ifneq ($(strip $(EXAMPLES)),)
TEST_SUITES += examples
endif
test-examples: $(EXAMPLE_BINS)
	@ASAN_OPTIONS=abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 tests/run-suite.sh examples \
	    examples/run_examples.sh $(BUILD)/examples $(EXAMPLES) $(EXAMPLES:%=asan/%)
