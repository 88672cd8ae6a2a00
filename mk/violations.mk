# The violation catalogue (tests/violations/): one program per allocator kind, each a table of
# misuse cases; tests/violations/run.sh runs every case in its own process, checks the exact fatal
# line (or the documented behaviour) and that docs/guides/violation-catalogue.md matches.
VIOL_DRIVER := tests/violations/driver.c
VIOL_KINDS  := $(patsubst tests/violations/%.c,%,$(filter-out $(VIOL_DRIVER),$(wildcard tests/violations/*.c)))
VIOL_BINS   := $(VIOL_KINDS:%=$(BUILD)/violations/%)

$(BUILD)/violations/%: tests/violations/%.c $(VIOL_DRIVER) tests/violations/violations.h $(BUILD)/liballoc.a | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -Itests/violations $(WARN) -fsyntax-only $< $(VIOL_DRIVER)
	$(CC) $(CPPFLAGS) -Itests/violations -O1 -g $(WARN) $< $(VIOL_DRIVER) $(BUILD)/liballoc.a \
	    -pthread -o $@

TEST_SUITES += violations
.PHONY: test-violations violation-catalogue
test-violations: $(VIOL_BINS)
	@tests/run-suite.sh violations tests/violations/run.sh $(VIOL_BINS)

# Rewrite the generated part of the doc from what the cases really print.
violation-catalogue: $(VIOL_BINS)
	tests/violations/run.sh --write-doc $(VIOL_BINS)
