# SPDX-License-Identifier: MIT
# A Python workload for bench/run_programs.sh, allocation-heavy the way real programs are: JSON
# encoded and decoded, dicts and lists built and dropped, strings joined and split. Prints
# checksums that must be identical under every malloc. Run with PYTHONMALLOC=malloc to send every
# object through malloc instead of pymalloc's arenas.
import hashlib
import json

N = 60000
records = [{"id": i, "name": "user-%d" % i, "tags": ["t%d" % (i % 17), "g%d" % (i % 5)],
            "score": (i * 7919) % 1000 / 10.0, "friends": list(range(i % 7))} for i in range(N)]
text = json.dumps(records, sort_keys=True)
back = json.loads(text)
index = {}
for r in back:
    index.setdefault(r["tags"][0], []).append(r["id"])
    if r["id"] % 3 == 0:
        index.pop("t%d" % (r["id"] % 11), None)
words = text.replace('"', " ").replace(",", " ").split()
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
print(len(text), hashlib.sha256(text.encode()).hexdigest())
print(sorted((k, len(v)) for k, v in index.items()))
print(top)
