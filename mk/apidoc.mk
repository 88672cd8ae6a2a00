# apidoc (tools/apidoc): the documentation generator. `make docs-check` lints the library's
# headers; suites: apidoc (golden cases, error paths, determinism, Doxygen oracle) and docs-check.
APIDOC       := $(BUILD)/apidoc
APIDOC_SRC   := $(sort $(wildcard tools/apidoc/*.c))
APIDOC_HDR   := $(wildcard tools/apidoc/*.h)
LLVM_DIR     := /usr/lib/llvm-14
APIDOC_FLAGS := -O2 -g $(WARN) -D_GNU_SOURCE -I$(LLVM_DIR)/include
APIDOC_LIBS  := -L$(LLVM_DIR)/lib -lclang -ljansson -lpthread -lm -Wl,-rpath,$(LLVM_DIR)/lib

$(APIDOC): $(APIDOC_SRC) $(APIDOC_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(APIDOC_FLAGS) $(APIDOC_SRC) $(APIDOC_LIBS) -o $@

# The file target is what `make docs` (mk/docs.mk) builds from.
.PHONY: apidoc docs-json docs-check bench-docs test-apidoc test-docs-check
apidoc: $(APIDOC)

docs-json: $(BUILD)/docs/api.json
$(BUILD)/docs/api.json: $(APIDOC) $(BUILD)/compile_commands.json $(LIB_HDR) $(CC_SOURCES) docs/tags.yml
	$(APIDOC) extract -p $(BUILD)/compile_commands.json --cache $(BUILD)/docs/cache -o $@

docs-check: $(APIDOC) $(BUILD)/compile_commands.json
	$(APIDOC) lint -p $(BUILD)/compile_commands.json --cache $(BUILD)/docs/cache

TEST_SUITES += apidoc docs-check

test-apidoc: $(APIDOC) $(BUILD)/compile_commands.json
	@tests/run-suite.sh apidoc tests/apidoc/run.sh $(APIDOC)

test-docs-check: $(APIDOC) $(BUILD)/compile_commands.json
	@tests/run-suite.sh docs-check tests/apidoc/docs-check.sh $(APIDOC)

bench-docs: $(APIDOC)
	bench/docs/run.sh $(APIDOC)
