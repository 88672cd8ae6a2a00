#!/usr/bin/python3
"""Oracle on real Debian headers: apidoc's symbols against libclang's own list, taken
independently through Debian's Python bindings (python3-clang-14), for each header given.
The truth, per header H (declarations whose location is in H itself): functions, variables,
typedefs and macros by (name space, name); struct/union/enum definitions with a tag; enum
constants. The include guard (the macro X of a header's first two directives, `#ifndef X` or
`#if !defined X` then `#define X`, with only comments before them) and compiler built-ins are
not symbols; any other macro is, a fallback `#ifndef API` / `#define API` included. apidoc's
side: its symbols by (namespace, name); a record folded into a typedef counts for its tag too
(`tag_name`); enum constants are the `enum_values` of its enums. Prints one line per header; exits 1 on any difference.
Usage: oracle_headers.py APIDOC TAGS_YML HEADER... (absolute paths; -I/usr/include assumed)"""
import json, os, re, subprocess, sys, tempfile
import clang.cindex as ci

ci.Config.set_library_file("/usr/lib/llvm-14/lib/libclang.so.1")
K = ci.CursorKind
apidoc, tags, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
FLAGS = ["-x", "c", "-std=gnu11", "-I/usr/include", "-I/usr/include/x86_64-linux-gnu"]

def guard_line(text):
    """The line of the `#define` of the header's include guard, or 0."""
    code = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    directives = []
    for number, line in enumerate(code.split("\n"), 1):
        line = line.split("//")[0].strip()
        if not line:
            continue
        if not line.startswith("#"):
            return 0
        directives.append((number, line))
        if len(directives) == 2:
            break
    if len(directives) < 2:
        return 0
    tested = re.fullmatch(r"#\s*(?:ifndef\s+(\w+)|if\s*!\s*defined(?:\s*\(\s*(\w+)\s*\)|\s+(\w+)))", directives[0][1])
    if not tested:
        return 0
    name = next(g for g in tested.groups() if g)
    defined = re.match(rf"#\s*define\s+{name}(?![\w(])", directives[1][1])
    return directives[1][0] if defined else 0

def truth(path):
    tu = ci.Index.create().parse(path, FLAGS, options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    guard = guard_line(open(path, encoding="utf-8", errors="replace").read())
    want = set()
    for c in tu.cursor.get_children():
        if not c.location.file or os.path.realpath(c.location.file.name) != os.path.realpath(path):
            continue
        k, name = c.kind, c.spelling
        if k == K.MACRO_DEFINITION:
            if c.location.line != guard:
                want.add(("macro", name))
        elif k in (K.FUNCTION_DECL, K.VAR_DECL, K.TYPEDEF_DECL):
            want.add(("ordinary", name))
        elif k in (K.STRUCT_DECL, K.UNION_DECL, K.ENUM_DECL) and c.is_definition():
            if name and not c.is_anonymous() and "(" not in name:
                want.add(("tag", name))
            if k == K.ENUM_DECL:
                for e in c.get_children():
                    if e.kind == K.ENUM_CONSTANT_DECL:
                        want.add(("constant", e.spelling))
    return want

def apidoc_symbols(path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "api.json")
        rel = os.path.relpath(path, "/")
        r = subprocess.run([apidoc, "extract", "--root", "/", "--tags", tags, "--header", rel, "-o", out, "--",
                            *FLAGS[2:]], capture_output=True, text=True)
        # documentation diagnostics (exit 1, api.json written) are not this test's business
        if r.returncode not in (0, 1) or not os.path.exists(out):
            sys.exit(f"{path}: apidoc extract failed ({r.returncode}): {r.stderr[:2000]}")
        data = json.load(open(out))
    got, blob = set(), json.dumps(data)
    for s in data["symbols"]:
        got.add((s["namespace"], s["name"]))
        if s["tag_name"] and s["kind"] in ("struct", "union", "enum"):  # a record: its tag is defined here
            got.add(("tag", s["tag_name"]))
        for e in s["enum_values"]:
            got.add(("constant", e["name"]))
    return got, blob

failed = 0
for h in headers:
    want = truth(h)
    got, blob = apidoc_symbols(h)
    got = {g for g in got if not g[1].startswith("<anon enum")}
    lost, extra = sorted(want - got), sorted(got - want)
    absolute = "/usr/include" in blob.replace('"header": "usr/include', "").replace('"include": "usr/include', "") \
        and re.search(r'"type": "[^"]*/usr/include', blob) is not None
    ok = not lost and not extra and not absolute
    failed += not ok
    print(f"{'PASS' if ok else 'FAIL'} {os.path.basename(h)}: {len(want & got)}/{len(want)} of libclang's symbols"
          + (f"; lost {lost[:12]}" if lost else "") + (f"; extra {extra[:12]}" if extra else "")
          + ("; an absolute path in a type" if absolute else ""))
sys.exit(1 if failed else 0)
