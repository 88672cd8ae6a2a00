#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The `docs-sphinx` suite: build the classic site, then check what it shows.

Usage: check_site.py [--build "COMMAND"] [--site site-sphinx] [--headers include/alloc]

Each check prints "ok" or "FAIL" and a name; the last line is "N passed, N failed" (read by
tests/run-suite.sh). Checks: the filter alone on testdata/grammar.h (line numbers kept, each
section mapped); the build exits 0 with no Doxygen or Sphinx warning; every header has
its page; every symbol Doxygen found in a header has an entry (`id="c.<name>"`) on that header's
page; `AllocatorAlloc` (and `PageAllocator` once Page.h has landed) show their parameters with
directions; SUCCESS and FAILURE render as two separate sections with their own text; USAGE renders
as highlighted C; FIELDS reach the struct members; no raw `///` keyword leaks into the HTML; the
tag index lists symbols under their tags; a second build is byte-identical.
"""
import argparse
import glob
import html
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s %s%s" % ("ok  " if ok else "FAIL", name, (": " + detail) if detail and not ok else ""))


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def site_files(top):
    out = set()
    for dirpath, _, files in os.walk(top):
        for name in files:
            out.add(os.path.relpath(os.path.join(dirpath, name), top))
    return out


def plain(fragment):
    """Text of an HTML fragment, whitespace collapsed."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([,.;:])", r"\1", text)


def entry(page, name):
    """HTML of the <dl> entry whose signature has id="c.<name>", or ""."""
    m = re.search(r'<dl class="c [a-z]+">\s*<dt class="sig[^"]*" id="c\.%s">' % re.escape(name), page)
    if not m:
        return ""
    depth, i = 0, m.start()
    for tag in re.finditer(r"<(/?)dl\b", page[m.start():]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page[m.start():m.start() + tag.end()]
    return page[i:]


def section(fragment, title):
    """Text of the <dd> after <dt><strong>Title:</strong></dt> in an entry, or None."""
    m = re.search(r"<dt><strong>%s:</strong></dt><dd>(.*?)</dd>" % re.escape(title), fragment, re.S)
    return plain(m.group(1)) if m else None


def doxygen_symbols(xml_dir, header):
    """(kind, name) of every member and struct Doxygen located in `header`."""
    out = set()
    for path in glob.glob(os.path.join(xml_dir, "*.xml")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for comp in root.iter("compounddef"):
            record = comp.get("kind") in ("struct", "union")
            scope = comp.findtext("compoundname") + "." if record else ""
            loc = comp.find("location")
            if record and loc is not None and os.path.basename(loc.get("file", "")) == header:
                out.add((comp.get("kind"), comp.findtext("compoundname")))
            for member in comp.iter("memberdef"):
                loc = member.find("location")
                if loc is None or os.path.basename(loc.get("file", "")) != header:
                    continue
                out.add((member.get("kind"), scope + member.findtext("name")))
                for value in member.iter("enumvalue"):  # Sphinx scopes enumerators by their enum
                    out.add(("enumvalue", member.findtext("name") + "." + value.findtext("name")))
    return out


def check_params(page, name, params):
    e = entry(page, name)
    check("%s has an entry" % name, e)
    if not e:
        return
    m = re.search(r"Parameters<span class=\"colon\">:</span></dt>(.*?)</dd>", e, re.S)
    text = plain(m.group(1)) if m else ""
    for pname, direction in params:
        check("%s documents parameter %s [%s]" % (name, pname, direction),
              re.search(r"\b%s – \[%s\]" % (re.escape(pname), direction), text), text[:200])


def check_filter(fixture):
    """The filter alone, on a fixture with every section of the grammar."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import doxygen_filter
    canonical, _ = doxygen_filter.load_tags(doxygen_filter.tags_path())
    src = read(fixture)
    out = doxygen_filter.filter_text(src, canonical)
    src_lines, out_lines = src.split("\n"), out.split("\n")
    check("filter keeps every line number", len(src_lines) == len(out_lines))
    expected = {  # fixture line that contains -> what its filtered line must contain
        "/// ...[in]    : Arguments": "/// \\param[in] ... Arguments for `format`.",
        "/// self[in,out]: The allocator.": "/// \\param[in,out] self The allocator.",
        "/// SUCCESS: Zeroed.": "/// \\success Zeroed.",
        "/// FAILURE: Cannot fail.": "/// \\failure Cannot fail.",
        "/// RETURNS:": "/// \\return The number",
        "/// USAGE:": "/// \\usage \\code{.c}",
        "///     FakeAllocatorDeinit(&f);": "FakeAllocatorDeinit(&f); \\endcode",
        "/// WARN:": "/// \\warning A warning",
        "/// INFO:": "/// \\note Informational",
        "/// DEPRECATED:": "/// \\deprecated Use",
        "/// SEE:": "/// \\sa FakeAllocatorInit, AllocatorAlloc",
        "/// TAGS: Debug, Leaks, Diagnostics": "/// \\tags{tag_Debug} %Debug, %Leak",
        "size canary_bytes;": "///< Bytes of canary after each block; 0 disables. (bytes, multiple of 8)",
        "void (*callback)": "///< Called on each event, with a continuation line.",
        "} u;": "} u; ///< A union of things.",
        "i8 flag; ///< A flag": "i8 flag; ///< A flag documented in place.",
        '"corrupted allocator: <what>"': '"corrupted allocator: \\<what\\>" (100\\% loud, `a<b` kept).',
    }
    for needle, want in expected.items():
        k = next((i for i, line in enumerate(src_lines) if needle in line), None)
        got = out_lines[k] if k is not None and k < len(out_lines) else ""
        check("filter: %s" % needle.strip(), want in got, got)
    k = next(i for i, line in enumerate(src_lines) if line.startswith("_Static_assert"))
    check("filter: _Static_assert blanked", not out_lines[k].strip() and not out_lines[k + 1].strip())
    k = next(i for i, line in enumerate(src_lines) if line.startswith("#define FakeAllocatorInit"))
    check("filter: a continued macro is joined onto its first line",
          out_lines[k] == "#define FakeAllocatorInit(...) ((FakeAllocator){.base = {.alignment = 16},"
          " __VA_ARGS__})" and out_lines[k + 1] == out_lines[k + 2] == "", out_lines[k])
    check("filter: file-top block gets \\file", out_lines[1] == "/// \\file")
    check("filter: tags are folded and not repeated", "%Debug, %Leak\n" in out + "\n"
          and "%Leak, %Debug" not in out)


API_NAME_RE = re.compile(
    r"\b(?:Heap|Page|Arena|Slab|Budget|Debug|Default|Vec|Alloc|Allocator)[A-Z]\w*\b"
    r"|\b[a-z]+_allocator_\w+\b|\ballocator_\w+_dyn\b"
    r"|\b(?:PAGE|HEAP|ARENA|SLAB|BUDGET|DEBUG|ALLOCATOR)_[A-Z_]+\b")


def check_guides(guides_dir, xml_dir):
    """Every API-shaped name the guides mention is a symbol Doxygen found in the headers
    (`<!-- verify: ... -->` comments, which mark what is still to be checked, are skipped)."""
    known = set()
    for path in glob.glob(os.path.join(xml_dir, "*.xml")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for tag in ("memberdef", "enumvalue"):
            known.update(e.findtext("name") for e in root.iter(tag))
        known.update(c.findtext("compoundname") for c in root.iter("compounddef"))
    for guide in sorted(glob.glob(os.path.join(guides_dir, "*.md"))):
        text = re.sub(r"<!--.*?-->", "", read(guide), flags=re.S)
        unknown = sorted(set(API_NAME_RE.findall(text)) - known)
        check("%s names only real symbols" % os.path.basename(guide), not unknown,
              ", ".join(unknown))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build")
    ap.add_argument("--site", default="site-sphinx")
    ap.add_argument("--headers", default="include/alloc")
    ap.add_argument("--work", default="build/docs-sphinx")
    ap.add_argument("--rebuild", help="command that builds the site again into WORK/again")
    args = ap.parse_args()
    check_filter(os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "grammar.h"))

    if args.build:
        run = subprocess.run(args.build, shell=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True)
        check("the site builds", run.returncode == 0, run.stdout[-3000:])
    dox_log = read(os.path.join(args.work, "doxygen-warnings.log"))
    check("Doxygen reports no warning", os.path.exists(os.path.join(args.work, "doxygen-warnings.log"))
          and not dox_log.strip(), dox_log[:2000])
    sphinx_log = read(os.path.join(args.work, "sphinx-warnings.log"))
    check("Sphinx reports no warning or error", not sphinx_log.strip(), sphinx_log[:2000])

    xml_dir = os.path.join(args.work, "doxygen", "xml")
    headers = sorted(os.path.basename(h) for h in glob.glob(os.path.join(args.headers, "*.h")))
    check("include/alloc has headers", headers)
    pages = {}
    for header in headers:
        page = read(os.path.join(args.site, "api", header + ".html"))
        pages[header] = page
        check("%s has a page" % header, page)
        symbols = doxygen_symbols(xml_dir, header)
        missing = sorted(n for k, n in symbols if 'id="c.%s"' % n not in page)
        check("%s: all %d symbols Doxygen found are on the page" % (header, len(symbols)),
              symbols and not missing, "missing " + ", ".join(missing[:10]))
        text = plain(page[page.find("<article"):page.find("</article>")])
        leaked = re.findall(r"\b(?:SUCCESS|FAILURE|USAGE|TAGS|FIELDS|RETURNS)\s*:|\w+\[(?:in|out|in,out)\]\s*:", text)
        check("%s: no raw /// keyword in the HTML" % header, not leaked, ", ".join(leaked[:5]))

    alloc_page = pages.get("Allocator.h", "")
    check_params(alloc_page, "AllocatorAlloc", [("self", "inout"), ("bytes", "in"), ("zeroed", "in")])
    e = entry(alloc_page, "AllocatorAlloc")
    success, failure = section(e, "Success"), section(e, "Failure")
    check("AllocatorAlloc: Success section has its own text",
          success and "aligned to at least" in success and "NULL" not in success, success)
    check("AllocatorAlloc: Failure section has its own text",
          failure and "NULL when" in failure and "aligned to at least" not in failure, failure)
    check("AllocatorAlloc: USAGE is highlighted C",
          re.search(r"<strong>Usage:</strong>.*?<div class=\"highlight-c", e, re.S)
          and "AllocatorAlloc" in plain(e[e.find("Usage:"):]))
    check("AllocatorAlloc: tags shown", section(e, "Tags") == "Allocator, Allocation, Dispatch",
          section(e, "Tags"))
    check("AllocatorAlloc: tags link to the tag index",
          re.search(r'<strong>Tags:</strong>.*?href="\.\./tags\.html#tag-dispatch"', e, re.S))
    check_params(alloc_page, "allocator_remap_dyn",
                 [("self", "inout"), ("ptr", "in"), ("new_size", "in")])
    stats = entry(alloc_page, "AllocatorStats")
    check("AllocatorStats has an entry", stats)
    check("FIELDS reach the members: AllocatorStats.bytes_in_use",
          re.search(r'id="c\.AllocatorStats\.bytes_in_use".*?Effective bytes of the blocks live',
                    alloc_page, re.S))
    check("FIELDS reach enum constants: ALLOCATOR_EFFORT_ONCE",
          re.search(r'id="c\.AllocatorEffort\.ALLOCATOR_EFFORT_ONCE".*?One attempt', alloc_page, re.S))
    check("file description on the page", "The allocator base and its dispatch" in alloc_page)

    page_h = pages.get("Page.h")
    if page_h is not None:  # Page.h lands during the day; once it has, its entry is checked too
        e = entry(page_h, "PageAllocator")
        check("PageAllocator has an entry on Page.h", e)
        for field in ("base", "entries", "len", "cap"):
            check("PageAllocator member %s documented" % field,
                  'id="c.PageAllocator.%s"' % field in page_h)
        fn = next((n for n in ("page_allocator_allocate",) if 'id="c.%s"' % n in page_h), None)
        if fn:
            check_params(page_h, fn, [("self", "inout"), ("bytes", "in"), ("zeroed", "in")])

    check_guides(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "guides"), xml_dir)

    tags = read(os.path.join(args.site, "tags.html"))
    m = re.search(r'id="tag-allocation".*?</section>', tags, re.S)
    check("tag index lists AllocatorAlloc under Allocation",
          m and 'href="api/Allocator.h.html#c.AllocatorAlloc"' in m.group(0))
    index = read(os.path.join(args.site, "index.html"))
    check("home page links every header",
          all('href="api/%s.html"' % h in index for h in headers))
    check("no build date in the HTML", not re.search(r"Last updated|20[0-9]{2}-[01][0-9]-[0-3][0-9]",
                                                     index + alloc_page))

    if args.rebuild:
        again = os.path.join(args.work, "again")
        shutil.rmtree(again, ignore_errors=True)  # always a fresh second build
        run = subprocess.run(args.rebuild, shell=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True)
        differ = [p for p in site_files(args.site) | site_files(again)
                  if read_bytes(os.path.join(args.site, p)) != read_bytes(os.path.join(again, p))]
        check("a second build gives byte-identical HTML", run.returncode == 0 and not differ,
              run.stdout[-1000:] + " differ: " + ", ".join(sorted(differ)[:5]))

    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
