#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Page weights of a built reference site (the figures of issue 13's notes):
#   python3 tests/site/page_weights.py SITE_DIR [SOURCE_ROOT]
# Symbol pages (site/api/*.html but the A-Z index): count, largest, median, total; source pages
# (site/api/source/**): count, total, largest, and the largest ratio to their source file.
import glob
import os
import statistics
import sys

site = sys.argv[1]
root = sys.argv[2] if len(sys.argv) > 2 else "."
pages = [(os.path.getsize(f), os.path.basename(f)) for f in glob.glob(os.path.join(site, "api", "*.html"))
         if os.path.basename(f) != "index.html"]
sizes = sorted(s for s, _ in pages)
big = max(pages)
print(f"symbol pages: {len(pages)}, largest {big[0] / 1000:.1f} KB ({big[1]}), median "
      f"{statistics.median(sizes) / 1000:.1f} KB, total {sum(sizes) / 1e6:.2f} MB")
src = []
for f in glob.glob(os.path.join(site, "api", "source", "**", "*.html"), recursive=True):
    rel = os.path.relpath(f, os.path.join(site, "api", "source"))[:-5]
    path = os.path.join(root, rel)
    if os.path.exists(path):
        src.append((os.path.getsize(f), os.path.getsize(path), rel))
if src:
    worst = max(src, key=lambda r: (r[0] - 24000) / r[1])
    print(f"source pages: {len(src)}, total {sum(h for h, _, _ in src) / 1e6:.2f} MB for "
          f"{sum(s for _, s, _ in src) / 1e6:.2f} MB of source, largest {max(h for h, _, _ in src) / 1000:.1f} KB; "
          f"budget 4 x source + 24 KB, worst {(worst[0] - 24000) / worst[1]:.2f} x ({worst[2]})")
