#!/usr/bin/python3
"""Properties of the references in a real api.json: a _Generic use counts for exactly one arm,
every reference points at an identifier (never a comment or string), examples are one per
enclosing function and contain their use lines. Usage: check_refs.py api.json"""
import json, re, sys

data = json.load(open(sys.argv[1], encoding="utf-8"))
for s in data["symbols"]:  # references are [file, line, column, kind, example] arrays
    s["references"] = [dict(zip(("file", "line", "column", "kind", "example"), r)) for r in s["references"]]
syms = {s["id"]: s for s in data["symbols"]}
errors, lines = [], {}

def src(path):
    if path not in lines:
        lines[path] = open(path, encoding="utf-8").read().split("\n")
    return lines[path]

for e in data["examples"]:  # the shared table: one entry per enclosing function, sorted
    if e["code"].count("\n") != e["end"] - e["start"] + 1:
        errors.append(f"example {e['file']}:{e['start']}: code does not match its span")
keys = [(e["file"], e["start"]) for e in data["examples"]]
if keys != sorted(set(keys)):
    errors.append("the examples table is not one entry per function, sorted by (file, start)")
generic_hits = 0
for s in data["symbols"]:
    arms = [d["function_id"] for d in s["dispatch"] if d["function_id"]]
    if not arms:
        continue
    for r in s["references"]:
        if r["kind"] != "macro-expansion":
            continue
        hit = [a for a in arms if any(x["file"] == r["file"] and x["line"] == r["line"] and
               x["column"] == r["column"] and x["kind"] == "generic-selection"
               for x in syms[a]["references"])]
        generic_hits += 1
        if len(hit) > 1:
            errors.append(f"{s['name']} at {r['file']}:{r['line']} counts for {len(hit)} arms: {hit}")
        if len(hit) == 0 and "alloc" in r["file"]:
            errors.append(f"{s['name']} at {r['file']}:{r['line']}:{r['column']}: no arm selected")
if generic_hits == 0:
    errors.append("no _Generic macro use found at all")
for s in data["symbols"]:
    seen = set()
    for r in s["references"]:
        text = src(r["file"])[r["line"] - 1]
        m = re.match(r"[A-Za-z_]\w*", text[r["column"] - 1:])
        if not m:
            errors.append(f"{s['name']}: {r['file']}:{r['line']}:{r['column']} is not at an identifier: {text.strip()}")
        before = text[:r["column"] - 1]
        if "//" in before or before.count('"') % 2 == 1:
            errors.append(f"{s['name']}: {r['file']}:{r['line']} is in a comment or a string")
    for u in s["examples"]:
        e = dict(data["examples"][u["example"]], use_lines=u["use_lines"])
        key = (e["file"], e["start"])
        if key in seen:
            errors.append(f"{s['name']}: two examples from {key}")
        seen.add(key)
        n = e["end"] - e["start"] + 1
        if e["code"].count("\n") != n or not all(e["start"] <= u <= e["end"] for u in e["use_lines"]):
            errors.append(f"{s['name']}: example {key} code/use_lines do not match its span")
print("\n".join(errors[:30]))
sys.exit(1 if errors else 0)
