# The violation catalogue (tests/violations/): one program per allocator kind, each the shared
# misuses of cases.c (compiled for that kind with kinds/<kind>.h) plus the kind's table and own
# cases (kinds/<kind>.c), run by driver.c through the death harness (tests/support/death.c).
# tests/violations/run.sh runs every program and checks docs/guides/violation-catalogue.md.
VIOL_KINDS := $(patsubst tests/violations/kinds/%.c,%,$(wildcard tests/violations/kinds/*.c))
VIOL_BINS  := $(VIOL_KINDS:%=$(BUILD)/violations/%)
VIOL_COMMON := tests/violations/cases.c tests/violations/driver.c tests/support/death.c
VIOL_FLAGS  = $(CPPFLAGS) -Itests/violations -Itests/violations/kinds -Itests/support \
              -DVIOLATION_KIND_HEADER='"$*.h"'

$(BUILD)/violations/%: tests/violations/kinds/%.c tests/violations/kinds/%.h $(VIOL_COMMON) \
                       tests/violations/violations.h tests/support/death.h $(BUILD)/liballoc.a
	@mkdir -p $(@D)
	$(CLANG) $(VIOL_FLAGS) $(WARN) -fsyntax-only $< $(VIOL_COMMON)
	$(CC) $(VIOL_FLAGS) -O1 -g $(WARN) $< $(VIOL_COMMON) $(BUILD)/liballoc.a -pthread -o $@

TEST_SUITES += violations
.PHONY: test-violations violation-catalogue
test-violations: $(VIOL_BINS)
	@tests/run-suite.sh violations tests/violations/run.sh $(VIOL_BINS)

# Rewrite the generated part of the doc from what the cases really print.
violation-catalogue: $(VIOL_BINS)
	tests/violations/run.sh --write-doc $(VIOL_BINS)
