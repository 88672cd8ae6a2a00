#!/usr/bin/python3
"""Write a synthetic tree in the library's style for the documentation benchmark (BENCH.md):
100 headers + 100 sources, 2000 documented functions (20 per header), 100 structs, one _Generic
macro per header, `///` blocks with every section, and call sites in the sources.
Usage: gen_tree.py OUTDIR   (writes OUTDIR/include/syn/*.h, OUTDIR/src/*.c, compile_commands.json,
docs/tags.yml)"""
import json, os, sys

out = sys.argv[1]
H, F = 100, 20
os.makedirs(f"{out}/include/syn", exist_ok=True)
os.makedirs(f"{out}/src", exist_ok=True)
os.makedirs(f"{out}/docs", exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "../../docs/tags.yml")) as src, open(f"{out}/docs/tags.yml", "w") as dst:
    dst.write(src.read())

def header(h):
    L = ["///", f"/// Synthetic module {h}: a record type and {F} functions over it.", "///",
         "/// TAGS: Allocator", "///", f"#ifndef SYN_M{h:03d}_H", f"#define SYN_M{h:03d}_H", "",
         '#include <stddef.h> // size_t', ""]
    if h % 10:  # a shallow include graph, like Page.h -> Allocator.h -> Types.h
        L.append(f'#include "syn/m{h - h % 10:03d}.h"')
    L += ["", "///", f"/// State of module {h}.", "///", "/// FIELDS:",
          "/// - count : Number of items.", "/// - bytes : Bytes in use.",
          "/// - flags : Option bits.", "/// - next  : Next record.", "///", "/// TAGS: Stats", "///",
          f"typedef struct Rec{h} {{", "    size_t count;", "    size_t bytes;", "    unsigned flags;",
          f"    struct Rec{h} *next;", f"}} Rec{h};", ""]
    for f in range(F):
        L += ["///", f"/// Operation {f} of module {h}: updates `Rec{h}` and returns the new count.", "///",
              "/// More text: a list", "/// - first,", "/// - second.", "///",
              "/// self[in,out] : The record.", "/// n[in]        : Amount to add.", "///",
              "/// SUCCESS: The new count.", "/// FAILURE: Returns 0 when `self` is NULL.", "///",
              "/// USAGE:", f"///     Rec{h} r = {{0}};", f"///     m{h}_op{f}(&r, 1);", "///",
              "/// NOTE: Not thread-safe.", f"/// SEE: m{h}_op{(f + 1) % F}", "/// TAGS: Allocation, Stats", "///",
              f"size_t m{h}_op{f}(Rec{h} *self, size_t n);", ""]
    L += ["///", f"/// Count of a module-{h} record, by `_Generic`.", "///", "/// x[in] : A record pointer.", "///",
          "/// SUCCESS: The count.", "/// FAILURE: Does not compile for other types.", "///",
          "/// TAGS: Dispatch", "///", f"#define M{h}_COUNT(x) _Generic((x), Rec{h} *: m{h}_op0)((x), 0)", "",
          "#endif", ""]
    return "\n".join(L)

def source(h):
    L = [f'#include "syn/m{h:03d}.h"', ""]
    for f in range(F):
        L += [f"size_t m{h}_op{f}(Rec{h} *self, size_t n) {{", "    if (!self) return 0;",
              "    self->count += n;", "    self->bytes += n * 8;", "    return self->count;", "}", ""]
    other = (h + 37) % H
    L += [f'#include "syn/m{other:03d}.h"', "", f"size_t m{h}_demo(void);", f"size_t m{h}_demo(void) {{",
          f"    Rec{h} r = {{0}};", f"    Rec{other} o = {{0}};", f"    size_t t = M{h}_COUNT(&r);"]
    for f in range(0, F, 2):
        L.append(f"    t += m{h}_op{f}(&r, {f}) + m{other}_op{f}(&o, 1);")
    L += ["    return t;", "}", ""]
    return "\n".join(L)

db = []
for h in range(H):
    with open(f"{out}/include/syn/m{h:03d}.h", "w") as f:
        f.write(header(h))
    with open(f"{out}/src/m{h:03d}.c", "w") as f:
        f.write(source(h))
    db.append({"directory": os.path.abspath(out), "file": f"src/m{h:03d}.c",
               "command": f"cc -std=c11 -Iinclude -c src/m{h:03d}.c"})
with open(f"{out}/compile_commands.json", "w") as f:
    json.dump(db, f, indent=1)
