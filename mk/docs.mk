# The MkDocs reference site (owner: site). `make docs` runs the whole chain into site/:
#   library -> compile_commands.json -> apidoc extract -> apidoc lint -> apidoc markdown
#   -> mkdocs build --strict (Debian's MkDocs + Material, configured by mkdocs.yml).
# `make serve` serves site/ on 127.0.0.1; `make bench-site` measures the library's site, the fixture
# and a synthetic tree (bench/results/site.md). tests/browser/budget.test.js pins the size budgets.
# Suite `browser`: the Markdown stage on the fixture tests/site/fixture/api.json, built into a site
# and driven by headless Chromium through playwright-core (node --test).

MKDOCS      := SOURCE_DATE_EPOCH=0 /usr/bin/python3 -m mkdocs
BROWSER_DIR := tests/browser
NODE_STAMP  := $(BROWSER_DIR)/node_modules/.package-lock.json
MINISEARCH  := $(BROWSER_DIR)/node_modules/minisearch/dist/umd/index.js
GEN_MD_SRC  := $(sort $(wildcard tools/apidoc/gen_md*.c))
GEN_MD_HDR  := $(wildcard tools/apidoc/gen_md*.h)
SITE_HOOKS  := tools/site/mkdocs_hooks.py
APIDOC_HOOKS := tools/apidoc/site_hooks.py
SITE_ASSETS := $(wildcard docs/assets/*.js docs/assets/*.css docs/*.md docs/guides/*.md) mkdocs.yml docs/tags.yml \
               $(SITE_HOOKS) $(APIDOC_HOOKS) VERSION CHANGELOG.md
APIDOC      ?= $(BUILD)/apidoc
APIDOC_UNKNOWN_NAMES ?= warn
SERVE_PORT  ?= 8000
# Where the site is published: the absolute URLs of sitemap.xml (tools/site/mkdocs_hooks.py).
SITE_URL    ?= http://127.0.0.1:$(SERVE_PORT)/

# npm ci from the committed lock file: MiniSearch (vendored into the site) and playwright-core.
$(NODE_STAMP): $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json | $(DEPS_BROWSER)
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The Markdown stage alone (no libclang): what the site tests and bench-site run.
$(BUILD)/site/markdown: tests/site/markdown_main.c $(GEN_MD_SRC) $(GEN_MD_HDR) | $(DEPS_DOCS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itools/apidoc $(CFLAGS) $< $(GEN_MD_SRC) -ljansson -lm -o $@

# The same under clang with ASan+UBSan: the suite regenerates the fixture with it and compares.
$(BUILD)/site/markdown-asan: tests/site/markdown_main.c $(GEN_MD_SRC) $(GEN_MD_HDR) | $(DEPS_DOCS)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -Itools/apidoc $(WARN) $(SANFLAGS) $< $(GEN_MD_SRC) -ljansson -lm -o $@

# $(call site_build,MARKDOWN_CMD,API_JSON,SOURCE_ROOT,DOCS_DIR,CONFIG_DIR,SITE_DIR[,EXTRA_YML]): generated
# Markdown into DOCS_DIR, MiniSearch vendored, CONFIG_DIR/mkdocs.yml (mkdocs.yml + the hooks +
# generated nav, plus the settings of EXTRA_YML when given, e.g. another site_name), then mkdocs
# build --strict into SITE_DIR, API_JSON published as SITE_DIR/api.json. Paths in the config are
# relative to CONFIG_DIR. The hooks: tools/site/mkdocs_hooks.py (publishing) and
# tools/apidoc/site_hooks.py (highlighting, guides <-> reference links; both read API_JSON).
# APIDOC_UNKNOWN_NAMES=ignore stops a backticked unknown API-shaped name in the guides from being a
# warning: for sites that pair the library's guides with another api.json (the fixture).
define site_build
	rm -rf $(4)/api $(4)/tags $(4)/assets/vendor $(6)
	@mkdir -p $(4)/assets/vendor $(5)
	cp $(MINISEARCH) $(4)/assets/vendor/minisearch.js
	$(1) --out $(4) --tags docs/tags.yml --source-root $(3) --nav $(5)/nav.yml $(2)
	{ echo "INHERIT: $$(realpath --relative-to=$(5) mkdocs.yml)"; \
	  echo "docs_dir: $$(realpath -m --relative-to=$(5) $(4))"; \
	  echo "site_dir: $$(realpath -m --relative-to=$(5) $(6))"; \
	  echo "hooks: [$$(realpath $(SITE_HOOKS)), $$(realpath $(APIDOC_HOOKS))]"; $(if $(7),cat $(7);) cat $(5)/nav.yml; } > $(5)/mkdocs.yml
	SITE_URL='$(SITE_URL)' APIDOC_API_JSON='$(2)' APIDOC_UNKNOWN_NAMES='$(APIDOC_UNKNOWN_NAMES)' $(MKDOCS) build --quiet --strict -f $(5)/mkdocs.yml
endef

.PHONY: docs serve bench-site site-fixture test-browser
# lint reads $(BUILD)/compile_commands.json too (to name the files it checks): make it first.
docs: $(BUILD)/docs/api.json $(APIDOC) $(NODE_STAMP) $(BUILD)/compile_commands.json
	$(APIDOC) lint $(BUILD)/docs/api.json
	$(call site_build,$(APIDOC) markdown,$(BUILD)/docs/api.json,.,docs,$(BUILD)/docs,site)

serve:
	@test -f site/index.html || { echo "serve: no site/ yet, run make docs first"; exit 1; }
	/usr/bin/python3 -m http.server --bind 127.0.0.1 --directory site $(SERVE_PORT)

# The fixture site the browser tests drive: docs/assets/, the hand-written pages of
# tests/site/fixture/docs/ (a home page and a guide naming the fixture's symbols) and the pages
# of tests/site/fixture/api.json (PageAllocator, AllocatorFree, a hostile comment...).
FIXTURE_DIR := $(BUILD)/site-fixture
site-fixture: $(FIXTURE_DIR)/site/index.html
$(FIXTURE_DIR)/site/index.html: APIDOC_UNKNOWN_NAMES = ignore
$(FIXTURE_DIR)/site/index.html: $(BUILD)/site/markdown $(NODE_STAMP) $(SITE_ASSETS) \
                                $(wildcard tests/site/fixture/*.json tests/site/fixture/*/* tests/site/fixture/*/*/*)
	rm -rf $(FIXTURE_DIR)/docs && mkdir -p $(FIXTURE_DIR)/docs/assets
	cp -rL docs/*.md docs/guides $(FIXTURE_DIR)/docs/  # -L: the guides' charts are links into bench/results
	cp -r tests/site/fixture/docs/. $(FIXTURE_DIR)/docs/  # a guide naming the fixture's symbols
	cp docs/assets/*.js docs/assets/*.css $(FIXTURE_DIR)/docs/assets/
	$(call site_build,$(BUILD)/site/markdown,tests/site/fixture/api.json,tests/site/fixture,$(FIXTURE_DIR)/docs,$(FIXTURE_DIR),$(FIXTURE_DIR)/site)

TEST_SUITES += browser
# pages.test.js drives the library's own site, built from its api.json.
test-browser: $(NODE_STAMP) $(BUILD)/site/markdown $(BUILD)/site/markdown-asan $(BUILD)/docs/api.json
	@tests/run-suite.sh browser tests/browser/run.sh

# bench.js runs `make docs` itself (timed) and measures the library's site/ as well.
bench-site: $(NODE_STAMP) $(BUILD)/site/markdown
	node tests/browser/bench.js
