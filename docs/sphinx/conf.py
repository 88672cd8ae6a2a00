# SPDX-License-Identifier: MIT
# Sphinx 5.3 + Breathe 4.34 configuration of the classic reference site (site-sphinx/).
# `make docs-sphinx` runs Doxygen (docs/Doxyfile) into build/docs-sphinx/doxygen/xml, then
# gen_pages.py writes one page per header of include/alloc/ and the tag index into
# build/docs-sphinx/src, then `/usr/bin/python3 -m sphinx -c docs/sphinx` builds that tree.
import logging
import os

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))

project = "alloc"
author = "the alloc authors"
copyright = "the alloc authors"  # no year: two builds of one commit must be identical
extensions = ["breathe"]
html_theme = "furo"
html_title = "alloc reference (Sphinx)"
html_last_updated_fmt = None
html_show_sphinx = False
html_copy_source = False
html_show_sourcelink = False
templates_path = []
exclude_patterns = []
primary_domain = "c"
highlight_language = "c"

breathe_projects = {"alloc": os.path.join(root, "build", "docs-sphinx", "doxygen", "xml")}
breathe_default_project = "alloc"
breathe_domain_by_extension = {"h": "c"}
breathe_show_define_initializer = True
breathe_show_enumvalue_initializer = True
breathe_separate_member_pages = False

# Sphinx's C domain rejects a declaration that starts with a keyword it does not know; C11's
# `_Noreturn` (AllocFatal) is one. Listing it here makes the parser accept it as an attribute.
c_id_attributes = ["_Noreturn", "noreturn"]
c_paren_attributes = []


class DuplicateTypedefStructFilter(logging.Filter):
    """Drop exactly one known, harmless Breathe 4.34 warning, and nothing else.

    Every `typedef struct X X;` of the library gives the C domain two declarations named `X`
    (the struct and the typedef): Breathe then logs "Duplicate C declaration ... Declaration is
    '.. c:struct:: X'" (or the typedef's). C allows the pair and both render correctly, so the
    warning says nothing about the docs. Sphinx 5.3 logs it without a type, so `suppress_warnings`
    cannot name it; this filter drops it only when the duplicate is a struct, union, enum or
    typedef. A duplicate function or macro still fails the build (-W).
    """

    def filter(self, record):
        msg = str(record.getMessage())
        if not msg.startswith("Duplicate C declaration"):
            return True
        for kind in (".. c:struct::", ".. c:union::", ".. c:enum::", ".. c:type::"):
            if "Declaration is '" + kind in msg:
                return False
        return True


def link_tags(app, doctree, docname):
    """Turn the text of each "Tags:" section (one paragraph "Log, Debug") into links to the
    tags page, where each tag lists every symbol that carries it."""
    from docutils import nodes
    if "tags" not in app.env.found_docs:
        return
    for term in list(doctree.traverse(nodes.term)):
        if term.astext().strip() != "Tags:":
            continue
        for para in term.parent.traverse(nodes.paragraph):
            names = [t.strip() for t in para.astext().split(",") if t.strip()]
            para.children = []
            for i, name in enumerate(names):
                if i:
                    para += nodes.Text(", ")
                uri = app.builder.get_relative_uri(docname, "tags") + "#tag-" + name.lower()
                para += nodes.reference(name, name, refuri=uri, internal=True)


def setup(app):
    # The C domain logs through the logger "sphinx.sphinx.domains.c"; a filter on that logger
    # runs before Sphinx's handlers count the warning (and -W turns it into an error).
    logging.getLogger("sphinx.sphinx.domains.c").addFilter(DuplicateTypedefStructFilter())
    app.connect("doctree-resolved", link_tags)
