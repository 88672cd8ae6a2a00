#!/usr/bin/python3
"""Compares the documentation apidoc extracted from a Doxygen-dialect case with the case's
expected model: for each symbol its brief, description, parameter rows (name, direction, text),
returns, success, failure, usage, notes, see-also, deprecated, tags and member descriptions, and
the header's file block. Only these parts of api.json are compared, so the golden file does not
change with unrelated schema keys. --write prints the model instead (to refresh a golden file).
Usage: check_case.py API_JSON EXPECTED_JSON [--write]"""
import json
import sys

KEYS = ("brief", "description", "returns", "success", "failure", "usage", "deprecated")


def doc_model(doc):
    if not doc:
        return None
    m = {k: doc[k] for k in KEYS if doc.get(k) is not None}
    if doc["params"]:
        m["params"] = [[p["name"], p["direction"], p["description"]] for p in doc["params"]]
    if doc["notes"]:
        m["notes"] = [[n["kind"], n["text"]] for n in doc["notes"]]
    for k in ("see", "tags_written"):
        if doc[k]:
            m[k] = doc[k]
    return m


def model(api):
    out = {"file": doc_model(api["files"][0]["doc"]) if api["files"] else None, "symbols": {}}
    for s in api["symbols"]:
        m = {"kind": s["kind"], "doc": doc_model(s["doc"])}
        members = [[f["name"], f["description"]] for f in s["fields"] + s["enum_values"]]
        if members:
            m["members"] = members
        out["symbols"][s["name"]] = m
    return out


got = model(json.load(open(sys.argv[1], encoding="utf-8")))
if "--write" in sys.argv:
    json.dump(got, sys.stdout, indent=1, ensure_ascii=False)
    print()
    sys.exit(0)
want = json.load(open(sys.argv[2], encoding="utf-8"))
bad = []
for name in sorted(set(want["symbols"]) | set(got["symbols"])):
    if want["symbols"].get(name) != got["symbols"].get(name):
        bad.append(f"{name}:\n  expected {json.dumps(want['symbols'].get(name))}\n  got      {json.dumps(got['symbols'].get(name))}")
if want["file"] != got["file"]:
    bad.append(f"file block:\n  expected {json.dumps(want['file'])}\n  got      {json.dumps(got['file'])}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
