# A dict/list/str workload for the shim suite and bench/run_programs.sh: prints checksums that
# must be identical with and without LD_PRELOAD. Run with PYTHONMALLOC=malloc so every object
# goes through malloc, not only the large ones.
import hashlib
import sys
import threading

# Scale: entries per thread (the shim suite passes a small one; the benchmark uses the default).
N = int(sys.argv[1]) if len(sys.argv) > 1 else 40000

def churn(seed, n):
    table = {}
    for i in range(n):
        key = "k%d" % ((i * 7919 + seed) % (n // 2 + 1))
        table[key] = [i, str(i) * (i % 13), {"v": i}]
        if i % 5 == 0:
            table.pop("k%d" % (i // 2), None)
    rows = sorted(table.items())
    return hashlib.sha256(repr(rows).encode()).hexdigest()

results = {}
def worker(seed):
    results[seed] = churn(seed, N)

threads = [threading.Thread(target=worker, args=(s,)) for s in range(3)]
for t in threads: t.start()
for t in threads: t.join()
squares = [x * x for x in range(5 * N)]
text = " ".join(str(x) for x in squares[: N + N // 4])
print(sum(squares), len(text), hashlib.sha256(text.encode()).hexdigest())
for seed in sorted(results): print(seed, results[seed])
