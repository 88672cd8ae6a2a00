#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Turn the raw results of bench/run_alloc.sh (build/bench/alloc.tsv, alloc-ir.tsv,
alloc-refused.tsv) into bench/results/alloc.md and its charts alloc.svg (each allocator's time
as a multiple of glibc's, per workload) and alloc-dyn.svg (the `Allocator *` path as a multiple of
the typed path, per kind and workload).

Per workload and allocator: the median CPU ns/op over the rounds, the spread (min–max), the median
of the per-round ratios to glibc and to mimalloc, for a `-dyn` row the median per-round ratio to
its typed row, and the callgrind instructions per op.
Usage: report_alloc.py RAW_DIR ROUNDS OUT.md OUT.svg OUT-dyn.svg
"""
import sys

import benchlib as B

PEERS = ["glibc", "mimalloc", "jemalloc", "tcmalloc"]
KINDS = ["page", "heap", "arena", "slab", "budget", "debug"]


def load(raw):
    times, order = B.per_round(B.read_tsv(f"{raw}/alloc.tsv"), ("workload", "allocator"), "ns_per_op")
    ir = {(r["workload"], r["allocator"]): float(r["instructions_per_op"])
          for r in B.read_tsv(f"{raw}/alloc-ir.tsv")}
    refused = {(r["workload"], r["allocator"]): r["reason"]
               for r in B.read_tsv(f"{raw}/alloc-refused.tsv")}
    workloads = list(dict.fromkeys(w for w, _ in order))
    return times, order, ir, refused, workloads


# The aims of issue 10 for the single-thread workloads: (aim, workload, allocator, base, limit);
# the measured figure is the median of the per-round ratios allocator / base.
AIMS = [
    ("random-pair: heap ≤ 1.0× mimalloc", "random-pair", "alloc:heap", "mimalloc", 1.0),
    ("lifo-pair: heap ≤ 0.8× glibc", "lifo-pair", "alloc:heap", "glibc", 0.8),
    ("batch: heap ≤ 1.0× tcmalloc", "batch", "alloc:heap", "tcmalloc", 1.0),
    ("realloc-ladder: heap ≤ 2× glibc", "realloc-ladder", "alloc:heap", "glibc", 2.0),
    ("large-64k: heap ≤ 1.0× mimalloc", "large-64k", "alloc:heap", "mimalloc", 1.0),
    ("slab: SlabAllocator ≤ 1.0× mimalloc", "slab", "alloc:slab", "mimalloc", 1.0),
    ("slab: SlabAllocator ≤ 0.6× our heap", "slab", "alloc:slab", "alloc:heap", 0.6),
    ("arena: ArenaAllocator ≤ 0.2× glibc", "arena", "alloc:arena", "glibc", 0.2),
]


def aims(out, times, workloads):
    rows = [(aim, B.ratio_median(times.get((w, a), {}), times.get((w, base), {})), limit)
            for aim, w, a, base, limit in AIMS]
    bump = times.get(("arena-bump", "alloc:arena"))
    rows.append(("arena-bump: an untouched bump ≤ 1 ns/op (CPU ns/op, median)",
                 B.median(list(bump.values())) if bump else None, 1.0))
    worst = []
    for w in workloads:
        for k in KINDS:
            r = B.ratio_median(times.get((w, f"alloc:{k}-dyn"), {}), times.get((w, f"alloc:{k}"), {}))
            if r is not None:
                worst.append((r, f"{k} on {w}"))
    worst.sort(reverse=True)
    if worst:
        within = sum(1 for r, _ in worst if r <= 1.25)
        rows.append((f"`Allocator *` ≤ 1.25× typed on every workload: {within} of {len(worst)} "
                     f"within; the worst: {worst[0][1]}", worst[0][0], 1.25))
    B.aims_table(out, "The aims of issue 10 (single thread)", rows)


def summary(out, times, workloads):
    cols = PEERS + [f"alloc:{k}" for k in KINDS]
    out.append("## Summary: median CPU ns/op (× mimalloc, per-round median)\n")
    out.append("| workload | " + " | ".join(c.replace("alloc:", "") for c in cols) + " |")
    out.append("|---" + "|---:" * len(cols) + "|")
    for w in workloads:
        cells = []
        for c in cols:
            mine = times.get((w, c))
            if not mine:
                cells.append("–")
                continue
            cell = B.fmt(B.median(list(mine.values())))
            if c != "mimalloc":
                cell += f" ({B.fmt(B.ratio_median(mine, times.get((w, 'mimalloc'), {})))}×)"
            cells.append(cell)
        out.append(f"| {w} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("## Summary: the `Allocator *` path as a multiple of the typed path (per-round median)\n")
    out.append("| workload | " + " | ".join(KINDS) + " |")
    out.append("|---" + "|---:" * len(KINDS) + "|")
    for w in workloads:
        cells = [B.fmt(B.ratio_median(times.get((w, f"alloc:{k}-dyn"), {}),
                                      times.get((w, f"alloc:{k}"), {}))) for k in KINDS]
        out.append(f"| {w} | " + " | ".join(cells) + " |")
    out.append("")


def details(out, times, order, ir, refused, workloads):
    for w in workloads:
        out.append(f"## {w}\n")
        out.append("| allocator | median ns/op | spread (min–max) | × glibc | × mimalloc | "
                   "× typed | instructions/op |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for ww, a in order:
            if ww != w:
                continue
            mine = times[(w, a)]
            values = list(mine.values())
            typed = times.get((w, a[:-4])) if a.endswith("-dyn") else None
            cells = [a, B.fmt(B.median(values)), f"{B.fmt(min(values))}–{B.fmt(max(values))}",
                     B.fmt(B.ratio_median(mine, times.get((w, "glibc"), {}))),
                     B.fmt(B.ratio_median(mine, times.get((w, "mimalloc"), {}))),
                     B.fmt(B.ratio_median(mine, typed)) if typed else "",
                     B.fmt(ir.get((w, a)), 1)]
            out.append("| " + " | ".join(cells) + " |")
        mine_refused = [(a, r) for (ww, a), r in refused.items() if ww == w]
        if mine_refused:
            out.append("")
            out.append("Not run: " + "; ".join(f"`{a}` ({r})" for a, r in mine_refused) + ".")
        out.append("")


def charts(svg, svg_dyn, times, workloads, rounds):
    panels = []
    for w in workloads:
        base = times.get((w, "glibc"), {})
        bars = [(p, B.ratio_median(times[(w, p)], base), "peer") for p in PEERS[1:]
                if (w, p) in times]
        bars += [(k, B.ratio_median(times[(w, f"alloc:{k}")], base) if (w, f"alloc:{k}") in times
                  else None, "typed") for k in KINDS]
        panels.append((w, bars))
    B.ratio_chart(svg, f"CPU time per operation, × glibc (median of {rounds} interleaved rounds)", panels,
                  "log scale; left of the line: faster than glibc; peers grey, this library's "
                  "kinds (typed calls) blue", low=0.05, high=5000)
    panels = []
    for w in workloads:
        bars = [(k, B.ratio_median(times.get((w, f"alloc:{k}-dyn"), {}), times[(w, f"alloc:{k}")])
                 if (w, f"alloc:{k}") in times else None, "dyn") for k in KINDS]
        panels.append((w, bars))
    B.ratio_chart(svg_dyn, f"The Allocator * path, × the typed path (median of {rounds} rounds)", panels,
                  "log scale; the dashed line: the aim of issue 10, at most 1.25×", low=0.5, high=4,
                  mark=1.25)


def main(raw, rounds, md, svg, svg_dyn):
    times, order, ir, refused, workloads = load(raw)
    loop = [B.median(list(times[(w, "alloc:loop")].values())) for w in workloads
            if (w, "alloc:loop") in times]
    loop_ir = [ir[(w, "alloc:loop")] for w in workloads if (w, "alloc:loop") in ir]
    out = ["# Allocator benchmarks", "",
           f"Machine: {B.machine_line()}.  ",
           f"Produced by `make bench` (bench/run_alloc.sh, then bench/report_alloc.py): {rounds} "
           "rounds, interleaved (each round runs every workload on every allocator, starting one "
           "allocator further down the list); pinned to one core with taskset; CPU time per "
           "operation (CLOCK_PROCESS_CPUTIME_ID). Peers through LD_PRELOAD on the same binary: "
           "glibc (none), mimalloc, jemalloc, tcmalloc (minimal). This library's kinds run on "
           "their typed calls and, as `-dyn`, through `Allocator *`. Instructions per op: one "
           "callgrind pass per workload and allocator with 10 times fewer iterations, counted "
           "inside the timed loop only (it includes filling and draining the live set: 1000 "
           "blocks each way, ≤ 1% of the ops). Every block's first and last byte is written.", "",
           f"Loop overhead (allocator `loop`: the precomputed tables read, the block touched, "
           f"nothing allocated): median {B.fmt(B.median(loop))} ns/op over the workloads (from "
           f"{B.fmt(min(loop))} to {B.fmt(max(loop))}; the large workloads run few ops, so their "
           f"figure is the least precise), {B.fmt(min(loop_ir), 1)}–{B.fmt(max(loop_ir), 1)} "
           "instructions/op, up to three of them stores (the two touches and the slot); on a "
           "core shared with other processes a store-bound loop runs at about half speed. "
           "Charts: [alloc.svg](alloc.svg), [alloc-dyn.svg](alloc-dyn.svg).", ""]
    aims(out, times, workloads)
    summary(out, times, workloads)
    details(out, times, order, ir, refused, workloads)
    with open(md, "w") as f:
        f.write("\n".join(out))
    charts(svg, svg_dyn, times, workloads, rounds)


if __name__ == "__main__":
    main(*sys.argv[1:])
