#!/usr/bin/python3
"""Turn build/bench/alloc.tsv into the Markdown table of bench/results/alloc.md.

Per workload and allocator: median ns/op over the rounds, the spread (min-max), and the median of
the per-round ratios to glibc and to mimalloc (ratios are taken within a round, so machine noise
that hits every allocator of a round cancels).
Usage: report_alloc.py RESULTS.tsv MACHINE_LINE > alloc.md
"""
import csv
import statistics
import sys
from collections import defaultdict

def main(path, machine):
    times = defaultdict(dict)  # (workload, allocator) -> {round: ns}
    order = []
    with open(path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            key = (row["workload"], row["allocator"])
            if key not in times:
                order.append(key)
            times[key][row["round"]] = float(row["ns_per_op"])
    rounds = sorted({r for v in times.values() for r in v}, key=int)
    print("# Allocator benchmarks\n")
    print(f"Machine: {machine}  ")
    print(f"Rounds: {len(rounds)}, interleaved; CPU time per operation; pinned to one core. "
          "Produced by `make bench`.\n")
    for workload in dict.fromkeys(w for w, _ in order):
        print(f"## {workload}\n")
        print("| allocator | median ns/op | spread (min–max) | × glibc | × mimalloc |")
        print("|---|---:|---:|---:|---:|")
        for w, allocator in order:
            if w != workload:
                continue
            per_round = times[(w, allocator)]
            values = list(per_round.values())
            cells = [allocator, f"{statistics.median(values):.2f}",
                     f"{min(values):.2f}–{max(values):.2f}"]
            for peer in ("glibc", "mimalloc"):
                base = times.get((w, peer), {})
                ratios = [per_round[r] / base[r] for r in per_round if r in base and base[r] > 0]
                cells.append(f"{statistics.median(ratios):.2f}" if ratios else "–")
            print("| " + " | ".join(cells) + " |")
        print()

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
