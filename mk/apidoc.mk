# apidoc (tools/apidoc): the documentation generator. `make docs-check` lints the library's
# headers; suites: apidoc (golden cases, error paths, determinism, Doxygen oracle) and docs-check.
APIDOC       := $(BUILD)/apidoc
APIDOC_SRC   := $(sort $(wildcard tools/apidoc/*.c))
APIDOC_HDR   := $(wildcard tools/apidoc/*.h)
LLVM_DIR     := /usr/lib/llvm-14
APIDOC_FLAGS := -O2 -g $(WARN) -D_GNU_SOURCE -I$(LLVM_DIR)/include
APIDOC_LIBS  := -L$(LLVM_DIR)/lib -lclang -ljansson -lyaml -lpthread -lm -Wl,-rpath,$(LLVM_DIR)/lib

$(APIDOC): $(APIDOC_SRC) $(APIDOC_HDR) | $(DEPS_DOCS)
	@mkdir -p $(@D)
	$(CC) $(APIDOC_FLAGS) $(APIDOC_SRC) $(APIDOC_LIBS) -o $@

# The same under clang with ASan+UBSan: the suite runs the golden cases with it too.
$(BUILD)/asan/apidoc: $(APIDOC_SRC) $(APIDOC_HDR) | $(DEPS_DOCS)
	@mkdir -p $(@D)
	$(CLANG) $(WARN) $(SANFLAGS) -D_GNU_SOURCE -I$(LLVM_DIR)/include $(APIDOC_SRC) $(APIDOC_LIBS) -o $@

# The documentation's own compile database: every .c of the repository with the flags it really
# builds with, read from make's own commands (tools/docs_ccdb.py; the fixture trees of apidoc's
# tests are left out, a .c nothing builds is an error). `make`, not $(MAKE): a recipe naming
# $(MAKE) would run under the dry run it starts, and start it again.
DOCS_CCDB    := $(BUILD)/docs/compile_commands.json
DOCS_SOURCES := $(sort $(shell git ls-files '*.c' 2>/dev/null))
$(DOCS_CCDB): tools/docs_ccdb.py Makefile $(wildcard mk/*.mk) $(DOCS_SOURCES)
	@mkdir -p $(@D)
	tools/docs_ccdb.py make "$(CC) $(CPPFLAGS) $(WARN) -Itests/support" > $@.tmp && mv $@.tmp $@

# The file target is what `make docs` (mk/docs.mk) builds from.
.PHONY: apidoc docs-json docs-check bench-docs test-apidoc test-docs-check
apidoc: $(APIDOC)

docs-json: $(BUILD)/docs/api.json
# Extracted in DOCS_SHARDS shards at once (one per local core), then merged: the same commands a
# CI matrix runs on separate machines (docs/apidoc.md).
DOCS_SHARDS ?= $(shell nproc)
$(BUILD)/docs/api.json: $(APIDOC) $(DOCS_CCDB) $(LIB_HDR) $(DOCS_SOURCES) docs/tags.yml
	@rm -f $(BUILD)/docs/api-*-of-*.part
	@pids=; for i in $$(seq 1 $(DOCS_SHARDS)); do \
	  $(APIDOC) extract -j 1 --shard $$i/$(DOCS_SHARDS) -p $(DOCS_CCDB) --cache $(BUILD)/docs/cache \
	    -o $(BUILD)/docs/api-$$i-of-$(DOCS_SHARDS).part & pids="$$pids $$!"; \
	done; fail=0; for p in $$pids; do wait $$p || fail=1; done; exit $$fail
	$(APIDOC) merge -p $(DOCS_CCDB) -o $@ $(BUILD)/docs/api-*-of-$(DOCS_SHARDS).part

docs-check: $(APIDOC) $(DOCS_CCDB)
	$(APIDOC) lint -p $(DOCS_CCDB) --cache $(BUILD)/docs/cache

TEST_SUITES += apidoc docs-check

test-apidoc: $(APIDOC) $(BUILD)/asan/apidoc $(BUILD)/compile_commands.json
	@ASAN_OPTIONS=detect_leaks=0 tests/run-suite.sh apidoc tests/apidoc/run.sh $(APIDOC) $(BUILD)/asan/apidoc

test-docs-check: $(APIDOC) $(DOCS_CCDB)
	@tests/run-suite.sh docs-check tests/apidoc/docs-check.sh $(APIDOC) $(DOCS_CCDB)

bench-docs: $(APIDOC)
	bench/docs/run.sh $(APIDOC)

# apidoc on hostile input (unterminated, huge, deeply nested, binary), under ASan+UBSan.
TEST_SUITES += apidoc-hostile
.PHONY: test-apidoc-hostile
test-apidoc-hostile: $(BUILD)/asan/apidoc
	@tests/run-suite.sh apidoc-hostile tests/apidoc/hostile.sh $(BUILD)/asan/apidoc

# apidoc on inputs that used to hang or crash it (symlink loop, deep expressions and macro
# chains under ASan), the per-unit bounds and lint of duplicated FIELDS: items.
TEST_SUITES += apidoc-robust
.PHONY: test-apidoc-robust
test-apidoc-robust: $(APIDOC) $(BUILD)/asan/apidoc
	@tests/run-suite.sh apidoc-robust tests/apidoc/robust.sh $(APIDOC) $(BUILD)/asan/apidoc
