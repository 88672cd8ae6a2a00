# The classic reference build: Doxygen XML (docs/Doxyfile, with docs/sphinx/doxygen_filter.py
# rewriting the `///` grammar) -> Breathe -> Sphinx 5.3 (furo) into site-sphinx/.
# `make docs-sphinx` builds it; the `docs-sphinx` suite builds it and checks the HTML
# (docs/sphinx/check_site.py). Debian's tools are called through /usr/bin/python3 on purpose:
# the python3 first on PATH may be another build that cannot import Debian's Sphinx.

SPHINX_PY    := /usr/bin/python3
SPHINX_BUILD := $(BUILD)/docs-sphinx
SPHINX_SRC   := $(SPHINX_BUILD)/src
SPHINX_XML   := $(SPHINX_BUILD)/doxygen/xml
SPHINX_HDR   := $(sort $(wildcard include/alloc/*.h))
SPHINX_OWN   := $(wildcard docs/sphinx/*.py docs/sphinx/*.rst) docs/Doxyfile docs/tags.yml
SPHINX_SITE  ?= site-sphinx

.PHONY: docs-sphinx test-docs-sphinx
docs-sphinx: $(SPHINX_SITE)/index.html

$(SPHINX_BUILD)/tags.dox: docs/tags.yml docs/sphinx/doxygen_filter.py | $(DEPS_DOCS)
	@mkdir -p $(@D)
	$(SPHINX_PY) docs/sphinx/doxygen_filter.py --groups $< > $@

# Doxygen needs the header list in the rule: a header that lands or leaves reruns it.
$(SPHINX_BUILD)/headers.list: FORCE_SPHINX_HDRS
	@mkdir -p $(@D)
	@echo '$(SPHINX_HDR)' | cmp -s - $@ || echo '$(SPHINX_HDR)' > $@
.PHONY: FORCE_SPHINX_HDRS

$(SPHINX_XML)/index.xml: $(SPHINX_HDR) $(SPHINX_OWN) $(SPHINX_BUILD)/tags.dox $(SPHINX_BUILD)/headers.list
	rm -rf $(SPHINX_BUILD)/doxygen
	doxygen docs/Doxyfile
	@if [ -s $(SPHINX_BUILD)/doxygen-warnings.log ]; then cat $(SPHINX_BUILD)/doxygen-warnings.log; fi

# -E: a fresh environment each time (Breathe does not track every XML file); -W: any warning
# fails the build (the one known Breathe warning is filtered in conf.py, see there why).
# SPHINX_SITE=dir builds into another directory (the suite builds twice to check reproducibility).
$(SPHINX_SITE)/index.html: $(SPHINX_XML)/index.xml
	$(SPHINX_PY) docs/sphinx/gen_pages.py $(SPHINX_XML) include/alloc docs/tags.yml $(SPHINX_SRC)
	rm -rf $(SPHINX_SITE)
	$(SPHINX_PY) -m sphinx -b html -q -E -W --keep-going -w $(SPHINX_BUILD)/sphinx-warnings.log \
	    -d $(SPHINX_BUILD)/doctrees -c docs/sphinx $(SPHINX_SRC) $(SPHINX_SITE)

TEST_SUITES += docs-sphinx
test-docs-sphinx:
	@tests/run-suite.sh docs-sphinx $(SPHINX_PY) docs/sphinx/check_site.py --build "$(MAKE) --no-print-directory docs-sphinx" \
	    --rebuild "$(MAKE) --no-print-directory docs-sphinx SPHINX_SITE=$(SPHINX_BUILD)/again"
