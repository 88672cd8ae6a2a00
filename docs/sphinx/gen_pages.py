#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write the Sphinx source tree of the classic reference site.

Usage: gen_pages.py DOXYGEN_XML_DIR HEADER_DIR TAGS_YML OUT_DIR

Copies the hand-written pages of docs/sphinx/ (*.rst) into OUT_DIR, then writes
  api/<Header>.rst  one page per header found in HEADER_DIR (Breathe `doxygenfile`), so a header
                    that lands in include/alloc/ gets its page without editing anything here;
  headers.inc       the list of headers with their summaries, for index.rst;
  tags.rst          every tag of TAGS_YML with its description and the symbols that carry it,
                    read from the "Tags:" paragraphs Doxygen wrote into its XML (Doxygen groups
                    hold a member in one group only, so the groups cannot list every tag).
Output is sorted and has no dates: two runs on the same tree write the same bytes.
"""
import glob
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from doxygen_filter import load_tags  # noqa: E402  (same folding of tag synonyms)

ROLE = {"function": "c:func", "define": "c:macro", "typedef": "c:type", "struct": "c:struct",
        "union": "c:union", "enum": "c:enum", "enumvalue": "c:enumerator", "variable": "c:var"}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    if old != text:  # keep mtimes, so Sphinx rebuilds only what changed
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def title(text):
    return "%s\n%s\n" % (text, "=" * len(text))


def header_page(header):
    lines = [title(header), ""]
    lines.append(".. code-block:: c\n\n   #include \"alloc/%s\"\n" % header)
    lines.append(".. doxygenfile:: %s\n   :project: alloc\n" % header)
    return "\n".join(lines)


def text_of(elem):
    return " ".join("".join(elem.itertext()).split()) if elem is not None else ""


def tags_of(elem):
    """Tags listed in the "Tags:" paragraph of a memberdef or compounddef."""
    detail = elem.find("detaileddescription")
    if detail is None:
        return []
    for sect in detail.iter("simplesect"):
        if sect.get("kind") == "par" and text_of(sect.find("title")) == "Tags:":
            body = "".join(text_of(p) for p in sect.findall("para"))
            return [t.strip() for t in body.split(",") if t.strip()]
    return []


def collect(xml_dir, headers):
    """(tag -> set of (role, name)), (header -> brief) from Doxygen's XML."""
    by_tag, briefs = {}, {}
    for path in sorted(glob.glob(os.path.join(xml_dir, "*.xml"))):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for comp in root.iter("compounddef"):
            kind = comp.get("kind")
            name = text_of(comp.find("compoundname"))
            if kind == "file":
                if name in headers:
                    briefs[name] = text_of(comp.find("briefdescription"))
                continue
            if kind in ROLE:
                for tag in tags_of(comp):
                    by_tag.setdefault(tag, set()).add((ROLE[kind], name))
        for member in root.iter("memberdef"):
            kind = member.get("kind")
            loc = member.find("location")
            if kind not in ROLE or loc is None:
                continue
            if os.path.basename(loc.get("file", "")) not in headers:
                continue
            for tag in tags_of(member):
                by_tag.setdefault(tag, set()).add((ROLE[kind], text_of(member.find("name"))))
    return by_tag, briefs


def tags_page(by_tag, tags_yml):
    canonical, descriptions = load_tags(tags_yml)
    lines = [title("Tags"), "",
             "Every public symbol carries tags from the vocabulary in ``docs/tags.yml``. "
             "A tag that no symbol uses yet is listed without entries.", ""]
    names = sorted(set(descriptions) | set(by_tag))
    for tag in names:
        entries = sorted(by_tag.get(tag, ()), key=lambda e: (e[1].lower(), e[0]))
        lines.append(".. _tag-%s:\n" % tag.lower())
        lines.append("%s\n%s\n" % (tag, "-" * len(tag)))
        lines.append("%s (%d symbol%s)\n" % (descriptions.get(tag, "Not in docs/tags.yml."),
                                            len(entries), "" if len(entries) == 1 else "s"))
        for role, name in entries:
            lines.append("- :%s:`%s`" % (role, name))
        lines.append("")
    return "\n".join(lines)


def rst_escape(text):
    return re.sub(r"([\\`*_|])", r"\\\1", text)


def headers_list(headers, briefs):
    """The list of headers with their summaries, included by index.rst."""
    lines = []
    for header in headers:
        brief = briefs.get(header, "")
        lines.append("- :doc:`api/%s`%s" % (header, (": " + rst_escape(brief)) if brief else ""))
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) != 5:
        sys.stderr.write("usage: gen_pages.py DOXYGEN_XML_DIR HEADER_DIR TAGS_YML OUT_DIR\n")
        return 2
    xml_dir, header_dir, tags_yml, out = argv[1:]
    headers = sorted(os.path.basename(h) for h in glob.glob(os.path.join(header_dir, "*.h")))
    if not headers:
        sys.stderr.write("gen_pages.py: no header in %s\n" % header_dir)
        return 1
    for rst in sorted(glob.glob(os.path.join(HERE, "*.rst"))):
        with open(rst, encoding="utf-8") as f:
            write(os.path.join(out, os.path.basename(rst)), f.read())
    api = os.path.join(out, "api")
    for stale in glob.glob(os.path.join(api, "*.rst")):
        if os.path.basename(stale)[:-4] not in headers:
            os.remove(stale)
    by_tag, briefs = collect(xml_dir, set(headers))
    for header in headers:
        write(os.path.join(api, header + ".rst"), header_page(header))
    write(os.path.join(out, "tags.rst"), tags_page(by_tag, tags_yml))
    write(os.path.join(out, "headers.inc"), headers_list(headers, briefs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
