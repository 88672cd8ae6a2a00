#!/usr/bin/python3
"""The documentation's compile database: every .c of the repository with the flags it really
builds with. The commands come from make itself (`make -nB` over every test suite, the fuzz
targets and the benchmarks: each compiler line, one entry per .c it compiles, the first build of
a file winning — the plain library build is asked first); a .c that only a shell script compiles
(tests/consumers, tests/namespace) gets the library's flags, and the fixture trees of the
generator's own tests (tests/apidoc/cases, tests/site/fixture: inputs of other trees, one of
them deliberately broken) are left out. Any other .c that no command covers is an error, so the
database cannot silently fall behind the repository.
Usage: tools/docs_ccdb.py MAKE DEFAULT_FLAGS > compile_commands.json"""
import json, os, re, shlex, subprocess, sys

make, default = sys.argv[1], sys.argv[2]
FIXTURES = ("tests/apidoc/cases/", "tests/site/fixture/")
COMPILERS = re.compile(r"^(?:\S*/)?(?:gcc|cc|clang|g\+\+|clang\+\+)(?:-\d+)?$")
DROP_PREFIX = ("-l", "-L", "-Wl,", "-o", "-MF", "-MT", "-MMD", "-MD", "-MP")

def suites():
    out = subprocess.run([make, "-pn", "nothing"], capture_output=True, text=True).stdout
    m = re.search(r"^TEST_SUITES :?= (.*)$", out, re.M)
    return m.group(1).split() if m else []

targets = ["all"] + [f"test-{s}" for s in suites()] + ["fuzz-build", "bench"]
dry = subprocess.run([make, "-nB", "-k", "--no-print-directory"] + targets, capture_output=True, text=True).stdout
root = os.getcwd()
entries, seen = [], set()
for line in dry.replace("\\\n", " ").splitlines():  # continuation lines joined
    try:
        words = shlex.split(line)
    except ValueError:
        continue
    if not words or not COMPILERS.match(words[0]):
        continue
    sources = [w for w in words[1:] if w.endswith(".c") and os.path.isfile(w)]
    if not sources:
        continue
    flags, skip = [], False
    for w in words[1:]:
        if skip:
            skip = False
            continue
        if w in ("-o", "-MF", "-MT"):
            skip = True
            continue
        if w.endswith((".c", ".o", ".a", ".so")) or w == "-c" or w.startswith(DROP_PREFIX):
            continue
        flags.append(w)
    for src in sources:
        rel = os.path.relpath(src, root)
        if rel in seen or rel.startswith(FIXTURES):
            continue
        seen.add(rel)
        entries.append({"directory": root, "file": rel, "arguments": [words[0]] + flags + ["-c", rel]})
listed = subprocess.run(["git", "ls-files", "*.c"], capture_output=True, text=True).stdout.split()
missing = []
for rel in sorted(listed):
    if rel in seen or rel.startswith(FIXTURES):
        continue
    if rel.startswith(("tests/consumers/", "tests/namespace/")):  # compiled by their run.sh
        seen.add(rel)
        extra = []
        if rel == "tests/namespace/user_names.c":  # its run.sh points `#include "ALL_HEADERS"` at every header
            gen = os.path.join(root, "build/docs/namespace")
            os.makedirs(gen, exist_ok=True)
            headers = sorted(f"alloc/{h}" for h in os.listdir("include/alloc") if h.endswith(".h") and h != "Types.h")
            with open(os.path.join(gen, "ALL_HEADERS"), "w") as f:
                f.write("".join(f'#include "{h}"\n' for h in headers))
            extra = [f"-I{gen}"]
        entries.append({"directory": root, "file": rel, "arguments": shlex.split(default) + extra + ["-c", rel]})
    else:
        missing.append(rel)
if missing:
    sys.exit("docs_ccdb: no build command compiles " + ", ".join(missing))
json.dump(entries, sys.stdout, indent=1)
print()
