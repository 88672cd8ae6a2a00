#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Turn build/bench/programs.tsv (bench/run_programs.sh) into bench/results/programs.md and the
chart programs.svg: per program and malloc, the median wall time, CPU time and minor page faults
over the rounds, each with the median of its per-round ratios to glibc, and the geometric mean of
those ratios over the programs.
Usage: report_programs.py PROGRAMS.tsv ROUNDS OUT.md OUT.svg
"""
import sys

import benchlib as B

MALLOCS = B.PRELOADED_MALLOCS
WHAT = {
    "python3": "`python3 bench/programs/workload.py`: JSON of 60k records encoded and decoded, "
               "dicts, string split and count (pymalloc on: small objects in its arenas)",
    "python3-malloc": "the same with `PYTHONMALLOC=malloc`: every object through malloc",
    "perl": "`perl bench/programs/workload.pl`: a hash of 100k strings built and pruned, "
            "regex substitution, sort",
    "sqlite3": "`sqlite3 :memory: < bench/programs/workload.sql`: 200k rows, an index, group by, "
               "a self-join, update, delete",
    "gcc": "`gcc -O2 -g -c src/alloc/Debug.c` (the driver, cc1 and as)",
    "sort": "`sort` of 500k lines (16 MB), GNU sort's default buffer and threads",
    "gzip": "`gzip -c -6 | gunzip -c` of the same file",
    "xz": "`xz -c -3 -T1 | xz -dc` of its first 4 MB (125k lines)",
}
FIELDS = [("wall_s", "wall time", "s", 3), ("cpu_s", "CPU time (user + sys)", "s", 2),
          ("minor_faults", "minor page faults", "", 0)]


def main(path, rounds, md, svg):
    rows = B.read_tsv(path)
    data, order = {}, None
    for field, *_ in FIELDS:
        data[field], o = B.per_round(rows, ("program", "malloc"), field)
        order = order or o
    programs = list(dict.fromkeys(p for p, _ in order))
    out = ["# Real programs under glibc, the peers and the liballoc shim", "",
           f"Machine: {B.machine_line()}.  ",
           f"Produced by `make bench` (bench/run_programs.sh, then bench/report_programs.py): "
           f"{rounds} interleaved rounds; each program under glibc's malloc (nothing preloaded) "
           "and, through LD_PRELOAD, mimalloc, jemalloc, tcmalloc (minimal) and this library's "
           "shim `build/liballoc-malloc.so`. Every run's output was compared with glibc's and was "
           "identical. Not pinned (sort runs several threads). Each cell: the median over the "
           "rounds, then (in brackets) the median of the per-round ratios to glibc. When the "
           "load average exceeds the core count, wall time is partly waiting for a core: compare "
           "the CPU table too.", ""]
    for p in programs:
        out.append(f"- **{p}**: {WHAT.get(p, p)}.")
    out.append("")
    for field, title, unit, digits in FIELDS:
        out += [f"## {title[0].upper() + title[1:]}", "",
                "| program | " + " | ".join(MALLOCS) + " |", "|---" + "|---:" * len(MALLOCS) + "|"]
        ratios = {m: [] for m in MALLOCS}
        for p in programs:
            base = data[field].get((p, "glibc"), {})
            cells = []
            for m in MALLOCS:
                mine = data[field].get((p, m))
                if not mine:
                    cells.append("–")
                    continue
                value = B.median(list(mine.values()))
                ratio = B.ratio_median(mine, base)
                ratios[m].append(ratio)
                text = f"{value:,.{digits}f}{(' ' + unit) if unit else ''}"
                cells.append(text if m == "glibc" else f"{text} ({B.fmt(ratio)}×)")
            out.append(f"| {p} | " + " | ".join(cells) + " |")
        out.append("| **geometric mean of the ratios** | " +
                   " | ".join(f"{B.fmt(B.geomean(ratios[m]))}×" for m in MALLOCS) + " |")
        out.append("")
    wall = data["wall_s"]
    faults = data["minor_faults"]
    shim_mean = B.geomean([B.ratio_median(wall[(p, "shim")], wall[(p, "glibc")]) for p in programs
                           if (p, "shim") in wall and (p, "glibc") in wall])
    mi_mean = B.geomean([B.ratio_median(wall[(p, "mimalloc")], wall[(p, "glibc")]) for p in programs
                         if (p, "mimalloc") in wall and (p, "glibc") in wall])
    rows = [(f"{p}: the shim ≤ 1.05× glibc (wall)",
             B.ratio_median(wall.get((p, "shim"), {}), wall.get((p, "glibc"), {})), 1.05)
            for p in programs]
    rows.append(("geometric mean of the shim's wall ratios ≤ mimalloc's "
                 f"({B.fmt(mi_mean)}×)", shim_mean, mi_mean if mi_mean else 0))
    rows += [(f"{p}: the shim's minor faults ≤ 1.3× glibc's",
              B.ratio_median(faults.get((p, "shim"), {}), faults.get((p, "glibc"), {})), 1.3)
             for p in programs]
    B.aims_table(out, "The aims of issue 10 (real programs)", rows)
    with open(md, "w") as f:
        f.write("\n".join(out))
    panels = []
    for field, title, *_ in (FIELDS[0], FIELDS[2]):  # wall time and page faults
        bars = []
        for m in MALLOCS[1:]:
            per = [B.ratio_median(data[field][(p, m)], data[field].get((p, "glibc"), {}))
                   for p in programs if (p, m) in data[field]]
            bars.append((m, B.geomean(per), "shim" if m == "shim" else "peer"))
        panels.append((f"{title}: geometric mean over the programs", bars))
    for p in programs:
        base = data["wall_s"].get((p, "glibc"), {})
        panels.append((f"{p}: wall time", [
            (m, B.ratio_median(data["wall_s"][(p, m)], base) if (p, m) in data["wall_s"] else None,
             "shim" if m == "shim" else "peer") for m in MALLOCS[1:]]))
    B.ratio_chart(svg, f"Real programs, × glibc ({rounds} interleaved rounds)", panels,
                  "log scale; left of the line: faster (or fewer faults) than glibc; the shim "
                  "orange", low=0.25, high=4)


if __name__ == "__main__":
    main(*sys.argv[1:])
