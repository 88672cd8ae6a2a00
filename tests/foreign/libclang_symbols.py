#!/usr/bin/python3
"""An independent list of the public symbols of a set of headers, from libclang's own AST through
Debian's python3-clang-14 bindings (not through apidoc's code): every function, macro (include
guards left out), typedef and named struct/union/enum declared in each header, and every
enumeration constant with the name of its enum ("" when anonymous). Each header is parsed on its
own with the given flags, as apidoc parses it.
Prints one JSON object: {"symbols": [{"name", "kind", "header", "line", "opaque"}],
"constants": [{"name", "enum", "header", "line"}]}; `opaque` marks a record that none of the
headers defines, or a typedef of one.
Usage: libclang_symbols.py ROOT HEADER... -- FLAGS...   (HEADER relative to ROOT)"""
import json
import os
import sys

import clang.cindex as ci

ci.Config.set_library_file("/usr/lib/llvm-14/lib/libclang.so.1")

args = sys.argv[1:]
split = args.index("--") if "--" in args else len(args)
root, headers, flags = args[0], args[1:split], args[split + 1:]

K = ci.CursorKind
KINDS = {K.FUNCTION_DECL: "function", K.TYPEDEF_DECL: "typedef", K.STRUCT_DECL: "struct",
         K.UNION_DECL: "union", K.ENUM_DECL: "enum", K.MACRO_DEFINITION: "macro"}


def include_guard(path, name):
    """`#ifndef NAME` / `#define NAME` as the first directives of the file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        directives = [l.split() for l in f if l.lstrip().startswith("#")][:2]
    return (len(directives) == 2 and directives[0][:2] == ["#ifndef", name]
            and directives[1][:2] == ["#define", name])


listed = {os.path.realpath(os.path.join(root, h)) for h in headers}
index = ci.Index.create()
symbols, constants, seen = [], [], set()
for header in headers:
    path = os.path.realpath(os.path.join(root, header))
    tu = index.parse(path, ["-x", "c"] + flags,
                     options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    if errors:
        sys.exit(f"{header}: does not compile: {errors[0].spelling}")
    for c in tu.cursor.get_children():
        loc = c.location
        if not loc.file or os.path.realpath(loc.file.name) != path or c.kind not in KINDS:
            continue
        name = c.spelling
        anonymous = c.kind in (K.STRUCT_DECL, K.UNION_DECL, K.ENUM_DECL) and (
            not name or c.is_anonymous() or "(unnamed" in name or "(anonymous" in name)
        if c.kind == K.ENUM_DECL:
            for e in c.get_children():
                if e.kind == K.ENUM_CONSTANT_DECL:
                    constants.append({"name": e.spelling, "enum": "" if anonymous else name,
                                      "header": header, "line": e.location.line})
        if anonymous:
            continue
        if c.kind == K.MACRO_DEFINITION and include_guard(path, name):
            continue
        # opaque: a record (or a typedef of one) that none of these headers defines
        record = c.underlying_typedef_type.get_declaration() if c.kind == K.TYPEDEF_DECL else c
        definition = record.get_definition() if record.kind in (K.STRUCT_DECL, K.UNION_DECL) else c
        opaque = definition is None or not definition.location.file or \
            os.path.realpath(definition.location.file.name) not in listed
        key = (KINDS[c.kind], name)
        if key in seen:  # a redeclaration (forward declaration, then the definition)
            continue
        seen.add(key)
        symbols.append({"name": name, "kind": KINDS[c.kind], "header": header, "line": loc.line,
                        "opaque": opaque})
json.dump({"symbols": symbols, "constants": constants}, sys.stdout, indent=1)
print()
