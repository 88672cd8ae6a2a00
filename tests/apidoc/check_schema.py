#!/usr/bin/python3
"""Check that api.json files have exactly the keys docs/api-json.md documents, in its order,
and that every such key is named in the document. Usage: check_schema.py DOC FILE.json..."""
import json, sys

KEYS = {
    "root": ["format_version", "generator", "files", "symbols", "examples", "tags"],
    "file": ["path", "include", "doc", "symbols"],
    "symbol": ["id", "name", "kind", "namespace", "header", "include", "line", "end_line", "declaration",
               "deprecated", "doc", "return_type", "params", "fields", "enum_values", "dispatch",
               "tag_name", "same_name", "basic", "use_count", "references", "examples", "uses"],
    "doc": ["line", "end_line", "brief", "description", "params", "fields", "success", "failure",
            "returns", "usage", "notes", "deprecated", "see", "tags", "tags_written"],
    "docparam": ["name", "direction", "description", "line"],
    "docfield": ["name", "description", "line"],
    "note": ["kind", "text"],
    "param": ["name", "type", "direction", "description"],
    "field": ["name", "type", "bits", "description", "line", "group", "fields"],
    "enum_value": ["name", "value", "description", "line"],
    "dispatch": ["type", "function", "function_id", "expression"],
    "reference": ["file", "line", "column", "kind", "example"],  # an array in this order
    "example": ["file", "function", "start", "end", "origin", "misuse", "code"],
    "example_use": ["example", "use_lines", "via"],
    "tag": ["name", "description", "synonyms", "symbols"],
}
KINDS = {"function", "function-macro", "object-macro", "struct", "union", "enum", "typedef", "variable"}
errors = []

def keys(obj, what, where):
    if list(obj.keys()) != KEYS[what]:
        errors.append(f"{where}: {what} keys {list(obj.keys())} != {KEYS[what]}")

def doc(d, where):
    if d is None:
        return
    keys(d, "doc", where)
    for p in d["params"]: keys(p, "docparam", where)
    for f in d["fields"]: keys(f, "docfield", where)
    for n in d["notes"]:
        keys(n, "note", where)
        if n["kind"] not in ("info", "note", "warn"): errors.append(f"{where}: note kind {n['kind']}")

text = open(sys.argv[1], encoding="utf-8").read()
for group in KEYS.values():
    for k in group:
        if f"`{k}`" not in text:
            errors.append(f"{sys.argv[1]}: key `{k}` is not documented")
for path in sys.argv[2:]:
    data = json.load(open(path, encoding="utf-8"))
    keys(data, "root", path)
    if data["format_version"] != 2: errors.append(f"{path}: format_version")
    for e in data["examples"]:
        keys(e, "example", path)
        if e["origin"] not in ("example", "test", "bench", "library", "header"): errors.append(f"{path}: origin {e['origin']}")
    ids = {s["id"] for s in data["symbols"]}
    for f in data["files"]:
        keys(f, "file", path); doc(f["doc"], path)
        for i in f["symbols"]:
            if i not in ids: errors.append(f"{path}: file lists unknown id {i}")
    for s in data["symbols"]:
        w = f"{path}: {s['id']}"
        keys(s, "symbol", w); doc(s["doc"], w)
        if s["kind"] not in KINDS: errors.append(f"{w}: kind {s['kind']}")
        for x in s["params"]: keys(x, "param", w)
        todo = list(s["fields"])
        while todo:
            x = todo.pop()
            keys(x, "field", w)
            todo += x["fields"]
        if s["namespace"] not in ("ordinary", "tag", "macro"): errors.append(f"{w}: namespace {s['namespace']}")
        if s["use_count"] != len(s["references"]): errors.append(f"{w}: use_count {s['use_count']}")
        if s["basic"] and s["examples"]: errors.append(f"{w}: a basic typedef lists examples")
        for i in s["same_name"]:
            if i not in ids: errors.append(f"{w}: same_name unknown id {i}")
        for x in s["enum_values"]: keys(x, "enum_value", w)
        for x in s["dispatch"]: keys(x, "dispatch", w)
        for x in s["references"]:
            if not (isinstance(x, list) and len(x) == 5 and isinstance(x[0], str) and isinstance(x[1], int)
                    and isinstance(x[2], int) and isinstance(x[3], str) and (x[4] is None or isinstance(x[4], int))):
                errors.append(f"{w}: reference {x} is not [file, line, column, kind, example]")
            elif x[4] is not None and not 0 <= x[4] < len(data["examples"]): errors.append(f"{w}: example index")
        for x in s["examples"]:
            keys(x, "example_use", w)
            if not 0 <= x["example"] < len(data["examples"]): errors.append(f"{w}: example index")
        for u in s["uses"]:
            if u not in ids: errors.append(f"{w}: uses unknown id {u}")
    for t in data["tags"]:
        keys(t, "tag", path)
print("\n".join(errors[:30]))
sys.exit(1 if errors else 0)
