#!/usr/bin/python3
"""Doxygen 1.9.4 as an oracle for api.json: runs Doxygen XML over include/alloc and checks that
both agree on the public symbols (name, kind, file, line) and on struct/union members (name,
line) and enum constants. Where Doxygen is known to be wrong (DOCSITE.md) the difference is
excluded by name and counted, never bent toward Doxygen:
  - anonymous unions/structs get an invented member `@N`        -> DOXYGEN_INVENTED_MEMBER
  - include guards are defines for Doxygen, not symbols for us    -> INCLUDE_GUARD (our choice)
  - `typedef struct X X;` is a typedef for Doxygen; we fold it into the struct -> FOLDED_TYPEDEF
  - a typedef of a struct never defined in include/ (forward)     -> FORWARD_TYPEDEF
  - a function declared in two headers is listed once per header by Doxygen; api.json has one
    home, the documented declaration                              -> REDECLARATION
  - a file-scope `_Static_assert(...)` is a function for Doxygen  -> DOXYGEN_STATIC_ASSERT
Usage: oracle.py api.json WORKDIR"""
import json, os, subprocess, sys
import xml.etree.ElementTree as ET

api_path, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
with open(os.path.join(work, "Doxyfile"), "w") as f:
    # The build macros of alloc/Export.h are predefined as a Doxygen user configures them: without
    # that Doxygen glues ALLOC_API into return types and reads ALLOC_BEGIN_DECLS as a declaration.
    f.write(f"""INPUT = include/alloc
FILE_PATTERNS = *.h
OUTPUT_DIRECTORY = {work}
GENERATE_XML = YES
GENERATE_HTML = NO
GENERATE_LATEX = NO
EXTRACT_ALL = YES
EXTRACT_STATIC = YES
ENABLE_PREPROCESSING = YES
MACRO_EXPANSION = YES
EXPAND_ONLY_PREDEF = YES
PREDEFINED = __GNUC__ ALLOC_API= ALLOC_BEGIN_DECLS= ALLOC_END_DECLS= ALLOC_NORETURN= "ALLOC_STATIC_ASSERT(c,m)="
QUIET = YES
WARNINGS = NO
FULL_PATH_NAMES = YES
STRIP_FROM_PATH = {os.getcwd()}
""")
subprocess.run(["doxygen", os.path.join(work, "Doxyfile")], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
xml = os.path.join(work, "xml")

api = json.load(open(api_path, encoding="utf-8"))
ours = {s["name"]: s for s in api["symbols"]}
kind_map = {"function": "function", "define": "macro", "typedef": "typedef", "enum": "enum"}
ourkind = {"function": "function", "function-macro": "macro", "object-macro": "macro",
           "typedef": "typedef", "enum": "enum", "struct": "struct", "union": "union"}
errors, excluded = [], {}

def exclude(reason, what):
    excluded.setdefault(reason, []).append(what)

def rel(loc, attr="file"):
    p = loc.get(attr, "")
    return p[len(os.getcwd()) + 1:] if p.startswith(os.getcwd()) else p

index = ET.parse(os.path.join(xml, "index.xml")).getroot()
theirs = {}  # (name) -> list of (kind, file, line)
records = {}
for comp in index.findall("compound"):
    kind = comp.get("kind")
    tree = ET.parse(os.path.join(xml, comp.get("refid") + ".xml")).getroot()
    cdef = tree.find("compounddef")
    if kind == "file":
        for m in cdef.iter("memberdef"):
            k = m.get("kind")
            if k not in kind_map:
                continue
            loc = m.find("location")
            # A function declared and then defined inline in one header (a gnu_inline fast path):
            # Doxygen's line is the definition, declline the declaration; api.json's home is the
            # documented declaration.
            if loc.get("declline"):
                entry = (kind_map[k], rel(loc, "declfile"), int(loc.get("declline")), m)
            else:
                entry = (kind_map[k], rel(loc), int(loc.get("line")), m)
            theirs.setdefault(m.findtext("name"), []).append(entry)
    elif kind in ("struct", "union"):
        loc = cdef.find("location")
        members = [(m.findtext("name"), int(m.find("location").get("line")))
                   for m in cdef.iter("memberdef") if m.get("kind") == "variable"]
        records[cdef.findtext("compoundname")] = (kind, rel(loc), int(loc.get("line")), members)

checked = 0
for name, entries in sorted(theirs.items()):
    for kind, path, line, m in entries:
        s = ours.get(name)
        if name == "_Static_assert":
            exclude("DOXYGEN_STATIC_ASSERT", f"{path}:{line}"); continue
        if kind == "macro" and s is None and name.endswith("_H") and not (m.findtext("initializer") or "").strip():
            exclude("INCLUDE_GUARD", name); continue
        if kind == "typedef" and (m.findtext("definition") or "").startswith("typedef struct " + name + " "):
            if s is not None and s["kind"] in ("struct", "union"):
                exclude("FOLDED_TYPEDEF", name); continue
            if name not in records:
                exclude("FORWARD_TYPEDEF", name); continue
        if kind == "typedef" and s is not None and s["kind"] in ("struct", "union", "enum"):
            exclude("FOLDED_TYPEDEF", name); continue
        if s is None:
            errors.append(f"Doxygen has {kind} {name} at {path}:{line}; api.json does not"); continue
        if ourkind[s["kind"]] != kind and not (kind == "enum" and s["kind"] == "enum"):
            errors.append(f"{name}: kind {s['kind']} vs Doxygen {kind}"); continue
        if (s["header"], s["line"]) != (path, line):
            if s["header"] != path and kind == "function":
                exclude("REDECLARATION", f"{name}@{path}"); continue
            errors.append(f"{name}: api.json {s['header']}:{s['line']} vs Doxygen {path}:{line}"); continue
        checked += 1
        if kind == "enum":
            values = [v.findtext("name") for v in m.findall("enumvalue")]
            if values != [v["name"] for v in s["enum_values"]]:
                errors.append(f"{name}: enum constants {[v['name'] for v in s['enum_values']]} vs Doxygen {values}")
for name, (kind, path, line, members) in sorted(records.items()):
    s = ours.get(name)
    if s is None:
        errors.append(f"Doxygen has {kind} {name} at {path}:{line}; api.json does not"); continue
    if s["kind"] != kind or s["header"] != path or s["line"] != line:
        errors.append(f"{name}: api.json {s['kind']} {s['header']}:{s['line']} vs Doxygen {kind} {path}:{line}")
    checked += 1
    real = []
    for mname, mline in members:
        if mname.startswith("@"):
            exclude("DOXYGEN_INVENTED_MEMBER", f"{name}.{mname}"); continue
        real.append((mname, mline))
    mine = [(f["name"], f["line"]) for f in s["fields"]]
    if sorted(real) != sorted(mine):
        errors.append(f"{name}: members {mine} vs Doxygen {real}")
for s in api["symbols"]:
    if s["name"] not in theirs and s["name"] not in records:
        errors.append(f"api.json has {s['kind']} {s['name']} at {s['header']}:{s['line']}; Doxygen does not")
print("\n".join(errors[:40]))
print(f"oracle: {checked} symbols agree; excluded: " +
      ", ".join(f"{k} {len(v)}" for k, v in sorted(excluded.items())))
sys.exit(1 if errors else 0)
