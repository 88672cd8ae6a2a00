#!/usr/bin/env python3
# Every identifier a public header declares (functions, types, tags, enum constants, variables,
# macros) starts with one of the library's documented prefixes (README, "Names"). The opt-in
# alloc/Types.h is the one documented exception and is not read. Declarations come from clang's
# own AST (-ast-dump=json), macros from `clang -dM -E` minus those the system headers define.
# Usage: check_prefixes.py CLANG INCLUDE_DIR HEADER...
import json, re, subprocess, sys

PREFIXES = ("Alloc", "ALLOC_", "alloc_", "Allocator", "ALLOCATOR_", "allocator_",
            "Page", "PAGE_", "page_", "Heap", "HEAP_", "heap_", "Arena", "ARENA_", "arena_",
            "Slab", "SLAB_", "slab_", "Budget", "BUDGET_", "budget_", "Debug", "DEBUG_", "debug_",
            "DefaultAllocator", "Vec", "VEC_", "vec_")
clang, include, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
unit = "".join(f'#include "{h}"\n' for h in headers)

def run(*args, text=unit):
    return subprocess.run([clang, "-std=c11", "-I", include, *args, "-x", "c", "-"], input=text,
                          capture_output=True, text=True, check=True).stdout

def macros(text):
    return {m.group(1) for m in re.finditer(r"^#define (\w+)", run("-dM", "-E", text=text), re.M)}

names = {}
def walk(node, in_header):
    loc = node.get("loc", {})
    file = loc.get("file") or loc.get("spellingLoc", {}).get("file")
    if file is not None:
        in_header = "/alloc/" in file
    if in_header and node.get("name") and not node.get("isImplicit") and node.get("kind") in (
            "FunctionDecl", "VarDecl", "TypedefDecl", "RecordDecl", "EnumDecl", "EnumConstantDecl"):
        names.setdefault(node["name"], node["kind"])
    if node.get("kind") in ("TranslationUnitDecl", "EnumDecl"):
        for child in node.get("inner", []):
            walk(child, in_header)
        return in_header
    return in_header

tu = json.loads(run("-fsyntax-only", "-Xclang", "-ast-dump=json"))
state = False
for child in tu.get("inner", []):
    state = walk(child, state)  # clang omits the file when it is the previous node's
system = macros("#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n#include <string.h>\n")
for m in macros(unit) - system:
    names.setdefault(m, "macro")

bad = sorted(f"{n} ({k})" for n, k in names.items() if not n.startswith(PREFIXES))
print(f"{len(names)} public identifiers checked")
if bad:
    print("without a library prefix:\n  " + "\n  ".join(bad))
    sys.exit(1)
