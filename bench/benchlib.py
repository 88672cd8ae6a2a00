# SPDX-License-Identifier: MIT
"""What the benchmark reports share: reading the raw TSV files, medians and spreads, ratios taken
round by round (machine noise that hits every allocator of a round cancels), the machine line, and
a hand-written SVG bar chart of ratios on a log scale (Python's standard library only)."""
import csv
import math
import os
import statistics
import subprocess
from collections import defaultdict
from xml.sax.saxutils import escape

# The mallocs a whole program runs on (bench/run_programs.sh, bench/run_threads.sh), glibc first:
# it is the baseline of every ratio.
PRELOADED_MALLOCS = ["glibc", "mimalloc", "jemalloc", "tcmalloc", "shim"]


def read_tsv(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def per_round(rows, key_fields, value_field):
    """{key tuple: {round: float}} and the keys in first-seen order."""
    values, order = defaultdict(dict), []
    for row in rows:
        key = tuple(row[k] for k in key_fields)
        if key not in values:
            order.append(key)
        values[key][row["round"]] = float(row[value_field])
    return values, order


def median(values):
    return statistics.median(values) if values else None


def ratio_median(mine, base):
    """Median over the rounds both have of mine[round] / base[round]."""
    ratios = [mine[r] / base[r] for r in mine if r in base and base[r] > 0]
    return statistics.median(ratios) if ratios else None


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def times_text(value):
    """A ratio for a chart label: 3 significant digits, no exponent."""
    if value >= 100:
        return f"{value:,.0f}×"
    return f"{value:.3g}×"


def fmt(value, digits=2):
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"


def aims_table(out, title, aims):
    """Append a table of (aim, measured value or None, limit) rows: met when value <= limit."""
    out += [f"## {title}", "", "| aim | measured | met |", "|---|---:|---|"]
    for aim, value, limit in aims:
        met = "–" if value is None else "yes" if value <= limit else "**no**"
        out.append(f"| {aim} | {fmt(value)} | {met} |")
    out.append("")


def source_line():
    """The commit the measured library was built from (and whether the tree had changes)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                                "src", "include", "bench/alloc", "bench/threads"],
                               capture_output=True, text=True).stdout
        return f"commit {commit}" + (" with uncommitted changes" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"


def machine_line():
    """Cores, CPU model and the load average (other agents share this machine)."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
    except OSError:
        load = "unknown"
    return (f"{os.cpu_count()} cores, {model}; library at {source_line()}; load average {load} "
            f"when the report was written "
            f"(the machine is shared with other agents' builds and tests, so absolute times are "
            f"noisy: compare the ratios, taken within a round, and the instruction counts)")


# --- SVG ----------------------------------------------------------------------------------------

COLORS = {"peer": "#8a8f98", "typed": "#3f51b5", "dyn": "#9fa8da", "shim": "#e65100",
          "other": "#c0c4ca"}


def ratio_chart(path, title, panels, axis_label, low=0.1, high=1000.0, mark=None):
    """Write an SVG of horizontal bars on a log scale around 1.0, one panel per (heading, bars),
    each bar (label, ratio or None, color key). Bars start at 1.0: left is faster, right slower.
    `mark`: a ratio drawn as a dashed line in every panel (an aim)."""
    label_w, plot_w, bar_h, gap, pad = 150, 420, 13, 3, 10
    lo, hi = math.log10(low), math.log10(high)

    def x_of(v):
        v = min(max(v, low), high)
        return label_w + (math.log10(v) - lo) / (hi - lo) * plot_w

    # Grid lines at the powers of ten, and at 2 and 5 times them when the scale is short.
    decades = range(int(math.floor(lo)), int(math.ceil(hi)) + 1)
    steps = (1, 2, 5) if hi - lo <= 2.5 else (1,)
    ticks = [m * 10 ** e for e in decades for m in steps]
    out, y = [], 40
    for heading, bars in panels:
        out.append(f'<text x="{pad}" y="{y + 12}" class="h">{escape(heading)}</text>')
        y += 20
        top = y
        for label, value, color in bars:
            out.append(f'<text x="{label_w - 6}" y="{y + bar_h - 3}" class="l">{escape(label)}</text>')
            if value is None:
                out.append(f'<text x="{x_of(1.0) + 4}" y="{y + bar_h - 3}" class="n">not run</text>')
            else:
                x0, x1 = sorted((x_of(1.0), x_of(value)))
                out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" height="{bar_h}" '
                           f'fill="{COLORS.get(color, color)}"><title>{escape(label)}: '
                           f'{times_text(value)}</title></rect>')
                tx = x1 + 4 if value >= 1 else x0 - 4
                anchor = "start" if value >= 1 else "end"
                out.append(f'<text x="{tx:.1f}" y="{y + bar_h - 3}" class="v" '
                           f'text-anchor="{anchor}">{times_text(value)}</text>')
            y += bar_h + gap
        for tick in ticks:
            if low <= tick <= high:
                cls = "one" if tick == 1 else "grid"
                out.append(f'<line x1="{x_of(tick):.1f}" y1="{top - 2}" x2="{x_of(tick):.1f}" '
                           f'y2="{y}" class="{cls}"/>')
        if mark:
            out.append(f'<line x1="{x_of(mark):.1f}" y1="{top - 2}" x2="{x_of(mark):.1f}" '
                       f'y2="{y}" class="mark"/>')
        y += 10
    tick_labels = [f'<text x="{x_of(tick):.1f}" y="{y + 12}" class="t">{tick:g}×</text>'
                   for tick in ticks if low <= tick <= high]
    width, height = label_w + plot_w + 80, y + 40
    legend = f'<text x="{pad}" y="{y + 32}">{escape(axis_label)}</text>'
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
           "<style>text{font:11px sans-serif;fill:#333}.h{font-weight:bold}.l{text-anchor:end}"
           ".n{fill:#999;font-style:italic}.t{text-anchor:middle;fill:#666}"
           ".grid{stroke:#ddd;stroke-width:1}.one{stroke:#333;stroke-width:1}"
           ".mark{stroke:#c62828;stroke-width:1;stroke-dasharray:3 2}"
           "@media (prefers-color-scheme:dark){text{fill:#ddd}.t{fill:#aaa}.grid{stroke:#555}"
           ".one{stroke:#eee}}</style>",
           f'<text x="{pad}" y="20" class="h" style="font-size:14px">{escape(title)}</text>',
           *out, *tick_labels, legend, "</svg>"]
    with open(path, "w") as f:
        f.write("\n".join(svg) + "\n")
