#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Turn build/bench/threads.tsv (bench/run_threads.sh) into bench/results/threads.md and the chart
threads.svg: per workload and malloc, the median wall and CPU ns per op over the rounds with their
spread, and the medians of the per-round ratios to glibc and to mimalloc.
Usage: report_threads.py THREADS.tsv ROUNDS OUT.md OUT.svg
"""
import sys

import benchlib as B

MALLOCS = B.PRELOADED_MALLOCS
WHAT = {
    "prodcons-small": "producer/consumer, 16–256 B: one thread allocates, the other frees "
                      "(through a lock-free ring of 1024)",
    "prodcons-large": "producer/consumer, 8–300 KiB",
    "larson-small": "larson-style, 16–256 B: each thread replaces random blocks of a live set of "
                    "1000; every 10 000 ops the threads swap live sets",
    "larson-large": "larson-style, 8–300 KiB, live sets of 100",
}


def main(path, rounds, md, svg):
    rows = B.read_tsv(path)
    wall, order = B.per_round(rows, ("workload", "malloc"), "wall_ns_per_op")
    cpu, _ = B.per_round(rows, ("workload", "malloc"), "cpu_ns_per_op")
    workloads = list(dict.fromkeys(w for w, _ in order))
    out = ["# Two threads, cross-thread frees", "",
           f"Machine: {B.machine_line()}.  ",
           f"Produced by `make bench` (bench/run_threads.sh, then bench/report_threads.py): "
           f"{rounds} interleaved rounds of bench/threads/bench_threads.c, the same binary under "
           "glibc's malloc, mimalloc, jemalloc and tcmalloc (LD_PRELOAD) and this library's shim "
           "`build/liballoc-malloc.so` (LD_PRELOAD). Two threads, not pinned (they need both "
           "cores); an op is one malloc or one free; every block's first and last byte is written. "
           "Wall ns/op is the figure that matters for threads; CPU ns/op adds both threads' time, "
           "including a waiting thread's spinning before it yields. No instruction counts here: "
           "callgrind runs threads one at a time, so a waiting thread's spinning would be "
           "counted as the allocator's work.", "",
           "| workload | " + " | ".join(MALLOCS) + " |", "|---" + "|---:" * len(MALLOCS) + "|"]
    for w in workloads:
        cells = []
        for m in MALLOCS:
            mine = wall.get((w, m))
            cells.append("–" if not mine else
                         f"{B.fmt(B.median(list(mine.values())))} "
                         f"({B.fmt(B.ratio_median(mine, wall.get((w, 'glibc'), {})))}×)")
        out.append(f"| {w} | " + " | ".join(cells) + " |")
    out += ["", "Median wall ns/op (× glibc, per-round median).", ""]
    B.aims_table(out, "The aim of issue 10 (two threads)", [
        (f"{w}: the shim ≤ 1.0× glibc (wall)", B.ratio_median(wall.get((w, "shim"), {}),
                                                            wall.get((w, "glibc"), {})), 1.0)
        for w in workloads])
    for w in workloads:
        out += [f"## {w}", "", WHAT.get(w, w) + ".", "",
                "| malloc | wall ns/op | spread | × glibc | × mimalloc | CPU ns/op | CPU × glibc |",
                "|---|---:|---:|---:|---:|---:|---:|"]
        for m in MALLOCS:
            mine, mine_cpu = wall.get((w, m)), cpu.get((w, m))
            if not mine:
                continue
            values = list(mine.values())
            out.append("| " + " | ".join([
                m, B.fmt(B.median(values)), f"{B.fmt(min(values))}–{B.fmt(max(values))}",
                B.fmt(B.ratio_median(mine, wall.get((w, "glibc"), {}))),
                B.fmt(B.ratio_median(mine, wall.get((w, "mimalloc"), {}))),
                B.fmt(B.median(list(mine_cpu.values()))),
                B.fmt(B.ratio_median(mine_cpu, cpu.get((w, "glibc"), {})))]) + " |")
        out.append("")
    with open(md, "w") as f:
        f.write("\n".join(out))
    panels = []
    for w in workloads:
        base = wall.get((w, "glibc"), {})
        panels.append((w, [(m, B.ratio_median(wall[(w, m)], base) if (w, m) in wall else None,
                            "shim" if m == "shim" else "peer") for m in MALLOCS[1:]]))
    B.ratio_chart(svg, f"Two threads, cross-thread frees: wall time × glibc ({rounds} rounds)",
                  panels, "log scale; left of the line: faster than glibc; the shim orange",
                  low=0.05, high=50)


if __name__ == "__main__":
    main(*sys.argv[1:])
