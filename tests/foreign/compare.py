#!/usr/bin/python3
"""The foreign headers' api.json against two independent oracles; prints PASS/FAIL lines and the
agreement figures. Exit 0 when every check passes.

1. Symbols against libclang's own list (libclang_symbols.py): the same set of names (functions,
   macros, typedefs, named records and enums; a typedef and its record of the same name are one
   symbol in apidoc, and a record folded into a typedef of another name is its `tag_name`), a
   macro and a declaration of one name as two symbols, and the same enumeration constants.
2. Briefs and parameter docs against Doxygen 1.9.4's XML of the same headers (JAVADOC_AUTOBRIEF,
   the headers' export macros predefined). Both sides are compared as rendered text (Markdown code
   spans, emphasis and backslash escapes removed, whitespace folded). Known Doxygen behaviours,
   excluded by name and counted, never followed by apidoc:
   - DOXYGEN_ADDS_FULL_STOP: Doxygen appends "." to a brief that does not end with one;
   - DOXYGEN_QUOTE_AS_CODE: Doxygen reads `word' (a backtick closed by an apostrophe) as code and
     drops both marks; Markdown, and apidoc, keep them as written.
   Doxygen's record (struct/union) compound is compared with apidoc's record, its typedef or
   function member with the symbol of that kind.
Usage: compare.py API_JSON LIBCLANG_JSON DOXYGEN_XML_DIR"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

api_path, clang_path, xml_dir = sys.argv[1:4]
api = json.load(open(api_path, encoding="utf-8"))
clang = json.load(open(clang_path, encoding="utf-8"))
failures = 0


def report(ok, what, details=()):
    global failures
    print(("PASS " if ok else "FAIL ") + what)
    if not ok:
        failures += 1
        for d in list(details)[:25]:
            print("    " + str(d))


# ---- 1. symbols against libclang ------------------------------------------------------------
ours = {s["name"]: s for s in api["symbols"]}
covered = set(ours) | {s["tag_name"] for s in api["symbols"] if s.get("tag_name")}  # a folded tag
theirs = {}
for s in clang["symbols"]:
    theirs.setdefault(s["name"], []).append(s)
opaque = sum(1 for decls in theirs.values() if all(d["opaque"] for d in decls))
missing = sorted(n for n in theirs if n not in covered)
extra = sorted(n for n in ours if n not in theirs)
print(f"symbols: libclang lists {len(theirs)} names ({opaque} of them opaque types); apidoc has "
      f"{len(api['symbols'])} symbols covering {len(covered & set(theirs))} of them")
report(theirs and not missing, f"symbols: every libclang symbol is in api.json ({len(missing)} missing)", missing)
report(not extra, f"symbols: every api.json symbol is in libclang's list ({len(extra)} extra)", extra)
# C's namespaces: a macro and a function (or type) of one name are two symbols
count = {}
for s in api["symbols"]:
    count[s["name"]] = count.get(s["name"], 0) + 1
split = [n for n, decls in theirs.items()
         if len({d["kind"] == "macro" for d in decls}) == 2 and count.get(n, 0) < 2]
report(not split, f"symbols: a name that is a macro and a declaration is two symbols ({len(split)} folded)", split)

our_constants = {v["name"] for s in api["symbols"] for v in s["enum_values"]}
their_constants = {c["name"] for c in clang["constants"]}
print(f"enum constants: libclang {len(their_constants)}, apidoc {len(our_constants)}, "
      f"common {len(our_constants & their_constants)}")
report(their_constants and our_constants == their_constants, "enum constants: the same set as libclang's",
       sorted(our_constants ^ their_constants))


# ---- 2. briefs and parameters against Doxygen --------------------------------------------------
def text(e):
    return "" if e is None else re.sub(r"\s+", " ", "".join(e.itertext())).strip()


doxy = {}  # name -> {"kind", "brief", "params": {name: (description, direction)}}
for f in sorted(os.listdir(xml_dir)):
    if not f.endswith(".xml") or f in ("index.xml", "Doxyfile.xml"):
        continue
    for comp in ET.parse(os.path.join(xml_dir, f)).getroot().findall("compounddef"):
        if comp.get("kind") in ("struct", "union"):
            doxy[comp.findtext("compoundname")] = {"kind": "record", "brief": text(comp.find("briefdescription")), "params": {}}
        if comp.get("kind") != "file":
            continue
        for m in comp.iter("memberdef"):
            name = m.findtext("name")
            if name in doxy and doxy[name]["kind"] == "record":
                continue
            params = {}
            for pl in m.iter("parameterlist"):
                if pl.get("kind") == "param":
                    for item in pl.findall("parameteritem"):
                        desc = text(item.find("parameterdescription"))
                        for pn in item.iter("parametername"):
                            params[text(pn)] = (desc, pn.get("direction"))
            doxy.setdefault(name, {"kind": m.get("kind"), "brief": text(m.find("briefdescription")), "params": params})


def rendered(s):
    s = s or ""
    s = re.sub(r"`([^`]*)`", r"\1", s)
    s = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", s)
    s = re.sub(r"\*\*|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)", "", s)
    return re.sub(r"\s+", " ", s).strip()


excluded = {"DOXYGEN_QUOTE_AS_CODE": []}
brief_ok, brief_bad, compared, full_stop, nonempty = 0, [], 0, 0, 0
param_ok, param_bad = 0, []
for s in api["symbols"]:
    d = doxy.get(s["name"])
    if d is None:
        continue
    compared += 1
    mine, theirs_b = rendered((s["doc"] or {}).get("brief")), rendered(d["brief"])
    nonempty += bool(mine or theirs_b)
    if mine == theirs_b:
        brief_ok += 1
    elif mine and not mine.endswith(".") and mine + "." == theirs_b:  # DOXYGEN_ADDS_FULL_STOP
        brief_ok += 1
        full_stop += 1
    elif re.search(r"`\w+'", mine) and re.sub(r"`(\w+)'", r"\1", mine) + "." in (theirs_b, theirs_b + "."):
        excluded["DOXYGEN_QUOTE_AS_CODE"].append(s["name"])
    else:
        brief_bad.append(f"{s['name']}: apidoc {mine!r} / Doxygen {theirs_b!r}")
    documented = {p["name"] for p in s["params"] if p["description"] is not None}
    for name in sorted(documented | set(d["params"])):
        p = next((p for p in s["params"] if p["name"] == name), None)
        mine_p = rendered(p["description"]) if p and p["description"] is not None else None
        theirs_p = rendered(d["params"][name][0]) if name in d["params"] else None
        mine_dir = p["direction"] if p else None
        theirs_dir = d["params"][name][1] if name in d["params"] else None
        theirs_dir = "in,out" if theirs_dir == "inout" else theirs_dir
        if mine_p == theirs_p and mine_dir == theirs_dir:
            param_ok += 1
        else:
            param_bad.append(f"{s['name']}({name}): apidoc {mine_p!r} [{mine_dir}] / Doxygen {theirs_p!r} [{theirs_dir}]")
excl = sum(len(v) for v in excluded.values())
print(f"briefs: {compared} symbols in both, {nonempty} with a brief on either side; agree on {brief_ok} of "
      f"{compared - excl} ({full_stop} once DOXYGEN_ADDS_FULL_STOP is undone); excluded "
      + ", ".join(f"{k} {len(v)}" + (f" ({', '.join(v[:3])})" if v else "") for k, v in excluded.items()))
print(f"parameters: agree on {param_ok} of {param_ok + len(param_bad)} documented parameters")
report(compared == len(api["symbols"]), f"doxygen: every api.json symbol is in Doxygen's XML ({len(api['symbols']) - compared} not)",
       [n for n in ours if n not in doxy])
report(compared and not brief_bad, f"doxygen: briefs agree ({len(brief_bad)} differ)", brief_bad)
report(param_ok and not param_bad, f"doxygen: parameter names, directions and docs agree ({len(param_bad)} differ)", param_bad)
sys.exit(1 if failures else 0)
