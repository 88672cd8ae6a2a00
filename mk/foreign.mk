# apidoc on other people's headers: a Doxygen-commented library from Debian (libgit2-dev: git2.h and
# git2/*.h), read without rewriting a comment. `make docs-foreign` builds its complete site into
# build/foreign/libgit2/site (api.json -> apidoc markdown -> mkdocs, through mk/docs.mk's site_build).
# Suites: `foreign` checks that site's model against libclang's own symbol list and against
# Doxygen's XML of the same headers; `apidoc-doxygen` runs the Doxygen-dialect parser's unit tests
# (tests/apidoc/doxygen/test_doxygen.c) and its golden cases (tests/apidoc/doxygen/cases).

FOREIGN_DIR   := $(BUILD)/foreign/libgit2
LIBGIT2_ROOT  := /usr/include
LIBGIT2_HDRS   = $(patsubst $(LIBGIT2_ROOT)/%,%,$(sort $(wildcard $(LIBGIT2_ROOT)/git2.h $(LIBGIT2_ROOT)/git2/*.h)))
# libgit2's headers are not all self-contained (email.h uses types it does not include): each one
# is parsed after git2.h, as every program that uses libgit2 includes them.
LIBGIT2_FLAGS := -I$(LIBGIT2_ROOT) -include git2.h

$(FOREIGN_DIR)/api.json: $(APIDOC) tests/foreign/extract.sh tests/foreign/libgit2/tags.yml \
                         $(addprefix $(LIBGIT2_ROOT)/,$(LIBGIT2_HDRS)) | $(DEPS_DOCS)
	tests/foreign/extract.sh $(APIDOC) $@ $(LIBGIT2_ROOT) tests/foreign/libgit2/tags.yml "$(LIBGIT2_HDRS)" -- $(LIBGIT2_FLAGS)

.PHONY: docs-foreign test-foreign test-apidoc-doxygen
docs-foreign: $(FOREIGN_DIR)/api.json $(APIDOC) $(NODE_STAMP)
	rm -rf $(FOREIGN_DIR)/docs && mkdir -p $(FOREIGN_DIR)/docs/assets
	cp tests/foreign/libgit2/index.md $(FOREIGN_DIR)/docs/
	cp docs/assets/*.js docs/assets/*.css $(FOREIGN_DIR)/docs/assets/
	$(call site_build,$(APIDOC) markdown,$(FOREIGN_DIR)/api.json,$(LIBGIT2_ROOT),$(FOREIGN_DIR)/docs,$(FOREIGN_DIR),$(FOREIGN_DIR)/site,tests/foreign/libgit2/mkdocs.yml)

TEST_SUITES += foreign
test-foreign: docs-foreign
	@tests/run-suite.sh foreign tests/foreign/run.sh $(FOREIGN_DIR) $(LIBGIT2_ROOT) "$(LIBGIT2_HDRS)" -- $(LIBGIT2_FLAGS)

# The parser alone (no libclang), also under ASan+UBSan with leak checking.
DOXYGEN_TEST_SRC := tests/apidoc/doxygen/test_doxygen.c tools/apidoc/comment_doxygen.c tools/apidoc/comment.c \
                    tools/apidoc/util.c tools/apidoc/diag.c
DOXYGEN_TEST_HDR := tools/apidoc/comment_doxygen.h tools/apidoc/model.h tools/apidoc/util.h tools/apidoc/diag.h
$(BUILD)/doxygen/test_doxygen: $(DOXYGEN_TEST_SRC) $(DOXYGEN_TEST_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) -D_GNU_SOURCE -Itools/apidoc -O1 -g $(WARN) -Wno-missing-prototypes $(DOXYGEN_TEST_SRC) -lcriterion -o $@

$(BUILD)/doxygen/test_doxygen-asan: $(DOXYGEN_TEST_SRC) $(DOXYGEN_TEST_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) -D_GNU_SOURCE -Itools/apidoc $(WARN) -Wno-missing-prototypes $(SANFLAGS) $(DOXYGEN_TEST_SRC) -lcriterion -o $@

TEST_SUITES += apidoc-doxygen
test-apidoc-doxygen: $(BUILD)/doxygen/test_doxygen $(BUILD)/doxygen/test_doxygen-asan $(APIDOC)
	@tests/run-suite.sh apidoc-doxygen tests/apidoc/doxygen/run.sh $(BUILD)/doxygen/test_doxygen \
	    $(BUILD)/doxygen/test_doxygen-asan $(APIDOC)
