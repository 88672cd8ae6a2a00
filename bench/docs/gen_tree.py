#!/usr/bin/python3
"""Write a synthetic tree in the library's style for the documentation benchmark (BENCH.md), at
a scale K (default 1): 100*K modules, each a header with a record, an enum, 20 documented
functions, a `_Generic` macro, two object-like and two function-like macros (28 symbols), a
source defining the functions, and a test file calling them directly and through the macros
(one death test); one example program per 10 modules; a shared `syn/types.h` with basic typedefs
(`size`, `u8`…) that every prototype uses. Every module includes its group's first header and
calls into module (h + 37) % H, so the include and call graphs grow linearly with K.
Usage: gen_tree.py OUTDIR [K]   (writes OUTDIR/include/syn/*.h, src/, tests/, examples/,
compile_commands.json, docs/tags.yml)"""
import json, os, sys

out = sys.argv[1]
K = int(sys.argv[2]) if len(sys.argv) > 2 else 1
H, F = 100 * K, 20
for d in ("include/syn", "src", "tests", "examples", "docs"):
    os.makedirs(f"{out}/{d}", exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "../../docs/tags.yml")) as src, open(f"{out}/docs/tags.yml", "w") as dst:
    dst.write(src.read())

TYPES = [("size", "unsigned long"), ("u8", "unsigned char"), ("u16", "unsigned short"), ("u32", "unsigned int"),
         ("u64", "unsigned long long"), ("i8", "signed char"), ("i16", "short"), ("i32", "int"), ("i64", "long long")]

def types_header():
    L = ["///", "/// Basic types of the synthetic library.", "///", "/// TAGS: Allocator", "///",
         "#ifndef SYN_TYPES_H", "#define SYN_TYPES_H", ""]
    for name, c in TYPES:
        L += ["///", f"/// `{c}` under a short name.", "///", "/// TAGS: Memory", "///", f"typedef {c} {name};", ""]
    return "\n".join(L + ["#endif", ""])

def header(h):
    base = h - h % 10
    L = ["///", f"/// Synthetic module {h}: a record type and {F} functions over it.", "///",
         "/// TAGS: Allocator", "///", f"#ifndef SYN_M{h:04d}_H", f"#define SYN_M{h:04d}_H", "",
         '#include "syn/types.h"', ""]
    if h != base:
        L.append(f'#include "syn/m{base:04d}.h"')
    L += ["", "///", f"/// State of module {h}.", "///", "/// FIELDS:",
          "/// - count : Number of items.", "/// - bytes : Bytes in use.",
          "/// - flags : Option bits.", "/// - next  : Next record.", "///", "/// TAGS: Stats", "///",
          f"typedef struct Rec{h} {{", "    size count;", "    size bytes;", "    u32 flags;",
          f"    struct Rec{h} *next;", f"}} Rec{h};", "",
          "///", f"/// Modes of module {h}.", "///", "/// TAGS: Query", "///",
          f"typedef enum Mode{h} {{", f"    M{h}_FAST, ///< Fast.", f"    M{h}_SAFE, ///< Safe.",
          f"    M{h}_OFF,  ///< Off.", f"}} Mode{h};", "",
          "///", f"/// Largest count of module {h}.", "///", "/// TAGS: Query", "///", f"#define M{h}_LIMIT 64", "",
          "///", f"/// Default flags of module {h}.", "///", "/// TAGS: Query", "///", f"#define M{h}_FLAGS 3u", ""]
    for f in range(F):
        L += ["///", f"/// Operation {f} of module {h}: updates `Rec{h}` and returns the new count.", "///",
              "/// More text: a list", "/// - first,", "/// - second.", "///",
              "/// self[in,out] : The record.", "/// n[in]        : Amount to add.", "///",
              "/// SUCCESS: The new count.", "/// FAILURE: Returns 0 when `self` is NULL.", "///",
              "/// USAGE:", f"///     Rec{h} r = {{0}};", f"///     m{h}_op{f}(&r, 1);", "///",
              "/// NOTE: Not thread-safe.", f"/// SEE: m{h}_op{(f + 1) % F}", "/// TAGS: Allocation, Stats", "///",
              f"size m{h}_op{f}(Rec{h} *self, size n);", ""]
    L += ["///", f"/// Count of a module-{h} record, by `_Generic`.", "///", "/// x[in] : A record pointer.", "///",
          "/// SUCCESS: The count.", "/// FAILURE: Does not compile for other types.", "///",
          "/// TAGS: Dispatch", "///", f"#define M{h}_COUNT(x) _Generic((x), Rec{h} *: m{h}_op0)((x), 0)", "",
          "///", f"/// A zeroed module-{h} record.", "///", "/// SUCCESS: The record.", "/// FAILURE: None.", "///",
          "/// TAGS: Init", "///", f"#define M{h}_INIT() ((Rec{h}){{0}})", "",
          "///", f"/// Adds `n` to a module-{h} record twice.", "///", "/// r[in,out] : The record.",
          "/// n[in] : Amount.", "///", "/// SUCCESS: The new count.", "/// FAILURE: 0 when `r` is NULL.", "///",
          "/// TAGS: Allocation", "///", f"#define M{h}_TWICE(r, n) (m{h}_op1((r), (n)) + m{h}_op2((r), (n)))", "",
          "#endif", ""]
    return "\n".join(L)

def source(h):
    other = (h + 37) % H
    L = [f'#include "syn/m{h:04d}.h"', ""]
    for f in range(F):
        L += [f"size m{h}_op{f}(Rec{h} *self, size n) {{", "    if (!self) return 0;",
              "    u8 step = (u8)(n & 0xff);", "    self->count += n + step;", "    self->bytes += n * 8;",
              "    return self->count;", "}", ""]
    L += [f'#include "syn/m{other:04d}.h"', "", f"size m{h}_demo(void);", f"size m{h}_demo(void) {{",
          f"    Rec{h} r = M{h}_INIT();", f"    Rec{other} o = {{0}};", f"    size t = M{h}_COUNT(&r);"]
    for f in range(0, F, 2):
        L.append(f"    t += m{h}_op{f}(&r, {f}) + m{other}_op{f}(&o, 1);")
    L += ["    return t;", "}", ""]
    return "\n".join(L)

def test(h):
    L = [f'#include "syn/m{h:04d}.h"', "", "void expect_death(void (*body)(void), const char *message);", ""]
    for t in range(4):
        L += [f"int test_m{h}_{t}(void);", f"int test_m{h}_{t}(void) {{", f"    Rec{h} r = M{h}_INIT();",
              f"    size got = M{h}_TWICE(&r, {t + 1});", f"    got += m{h}_op{3 + t}(&r, M{h}_LIMIT);",
              f"    return got == 0 || r.flags == M{h}_FLAGS;", "}", ""]
    L += [f"static void misuse_m{h}(void) {{ m{h}_op9((Rec{h} *)1, 1); }}", f"int test_m{h}_death(void);",
          f"int test_m{h}_death(void) {{", f'    expect_death(misuse_m{h}, "fatal");', "    return 0;", "}", ""]
    return "\n".join(L)

def example(h):
    L = ["#include <stdio.h>", f'#include "syn/m{h:04d}.h"', "", "int main(void) {", f"    Rec{h} r = M{h}_INIT();"]
    L += [f"    m{h}_op{f}(&r, {f});" for f in range(0, F, 4)]
    L += ['    printf("%zu\\n", (size_t)M' + str(h) + '_COUNT(&r));', "    return 0;", "}", ""]
    return "\n".join(L)

db = []
def unit(path):
    db.append({"directory": os.path.abspath(out), "file": path, "command": f"cc -std=c11 -Iinclude -c {path}"})
with open(f"{out}/include/syn/types.h", "w") as f:
    f.write(types_header())
for h in range(H):
    with open(f"{out}/include/syn/m{h:04d}.h", "w") as f:
        f.write(header(h))
    with open(f"{out}/src/m{h:04d}.c", "w") as f:
        f.write(source(h))
    unit(f"src/m{h:04d}.c")
    with open(f"{out}/tests/test_m{h:04d}.c", "w") as f:
        f.write(test(h))
    unit(f"tests/test_m{h:04d}.c")
    if h % 10 == 0:
        with open(f"{out}/examples/ex_m{h:04d}.c", "w") as f:
            f.write(example(h))
        unit(f"examples/ex_m{h:04d}.c")
with open(f"{out}/compile_commands.json", "w") as f:
    json.dump(db, f, indent=1)
