// The "Before/after" section of bench/results/site.md (bench.js, when SITE_BEFORE names the
// library's site built at an older commit): both sites measured alike, side by side — symbol page
// weights, the whole site's bytes, search keystroke -> rendered results, and axe's serious and
// critical violations on every page template (helpers.TEMPLATES, and the search open) in light
// and in dark mode. A template missing from a site shows as "—".
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { serve, TEMPLATES, loadInScheme, seriousViolations } = require("./helpers.js");

function bytesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) =>
    sum + (e.isDirectory() ? bytesUnder(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
}

function weights(site) {
  const pages = fs.readdirSync(path.join(site, "api")).filter((f) => f.endsWith(".html") && f !== "index.html")
    .map((f) => fs.statSync(path.join(site, "api", f)).size).sort((a, b) => a - b);
  const under = (rel) => fs.existsSync(path.join(site, rel)) ? (fs.statSync(path.join(site, rel)).isDirectory()
    ? bytesUnder(path.join(site, rel)) : fs.statSync(path.join(site, rel)).size) : 0;
  return { n: pages.length, median: pages[pages.length >> 1], max: pages[pages.length - 1], total: bytesUnder(site),
    source: under("api/source"), assets: under("assets"), json: under("api.json") };
}

// Template -> scheme -> the violated rules ("rule (impact): ..."), or null when the page is missing.
async function axeRuns(browser, site) {
  const http = await serve(site);
  const page = await browser.context.newPage();
  const out = {};
  try {
    for (const scheme of ["light", "dark"]) {
      for (const [name, file] of Object.entries({ ...TEMPLATES, "search open": "api/PageAllocator.html" })) {
        out[name] = out[name] || {};
        if (!fs.existsSync(path.join(site, file))) { out[name][scheme] = null; continue; }
        await loadInScheme(page, http.url + file, scheme);
        if (name === "search open") {
          await page.keyboard.press("/");
          await page.keyboard.type("alloc");
        }
        out[name][scheme] = await seriousViolations(page);
      }
    }
  } finally {
    await page.close();
    http.server.close();
  }
  return out;
}

// `keystrokes(browser, site, queries)` is bench.js's measurement, run on both sites.
async function beforeAfter(browser, { before, after, label, queries, keystrokes }) {
  const wb = weights(before), wa = weights(after);
  const kb = await keystrokes(browser, before, queries), ka = await keystrokes(browser, after, queries);
  const ab = await axeRuns(browser, before), aa = await axeRuns(browser, after);
  const KB = (n) => (n / 1000).toFixed(1) + " kB", MB = (n) => (n / 1e6).toFixed(2) + " MB", ms = (x) => x.toFixed(2) + " ms";
  const rules = (list) => list === null ? "—" : list.length ? `${list.length}: ${list.map((v) => v.split(" ")[0]).join(", ")}` : "0";
  const total = (runs, scheme) => Object.values(runs).reduce((n, r) => n + (r[scheme] ? r[scheme].length : 0), 0);
  const rows = Object.keys(aa).map((t) => `| ${t} | ${rules(ab[t].light)} | ${rules(aa[t].light)} | ${rules(ab[t].dark)} | ${rules(aa[t].dark)} |`);
  return `
## Before/after: the library's site at ${label} and now

Written by \`SITE_BEFORE=<site of ${label}> SITE_BEFORE_LABEL=${label} make bench-site\`, the older
site built by \`git worktree add /tmp/old ${label} && make -C /tmp/old docs\`; both measured in this run,
alike (kB = 1000 bytes).

| | ${label} | now |
|---|---:|---:|
| symbol pages (api/*.html but the A–Z index) | ${wb.n} | ${wa.n} |
| median symbol page | ${KB(wb.median)} | ${KB(wa.median)} |
| largest symbol page | ${KB(wb.max)} | ${KB(wa.max)} |
| whole site/ | ${MB(wb.total)} | ${MB(wa.total)} |
| of which source pages (api/source/) | ${MB(wb.source)} | ${MB(wa.source)} |
| of which assets/ (Material, MiniSearch, search.js, CSS) | ${MB(wb.assets)} | ${MB(wa.assets)} |
| of which the published api.json | ${MB(wb.json)} | ${MB(wa.json)} |
| search, keystrokes measured | ${kb.n} | ${ka.n} |
| search work p95 | ${ms(kb.work.p95)} | ${ms(ka.work.p95)} |
| search keystroke -> rendered p95 | ${ms(kb.render.p95)} | ${ms(ka.render.p95)} |
| search keystroke -> next frame p95 | ${ms(kb.frame.p95)} | ${ms(ka.frame.p95)} |

Search queries (both sites): ${queries.map((q) => "`" + q + "`").join(", ")}.

axe-core: serious and critical violations per template (rules violated, with their ids); light:
${total(ab, "light")} before, ${total(aa, "light")} now; dark: ${total(ab, "dark")} before, ${total(aa, "dark")} now.

| template | light, ${label} | light, now | dark, ${label} | dark, now |
|---|---|---|---|---|
${rows.join("\n")}
`;
}

module.exports = { beforeAfter };
