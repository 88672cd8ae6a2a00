// `make bench-site`: measures the reference site and writes bench/results/site.md.
// - the library: `make docs` time, then sizes and keystrokes on its site/;
// - Markdown stage + mkdocs build on the fixture and on a synthetic tree of 100 headers with
//   2000 documented functions and 100 structs (api.json generated here, apidoc's schema);
// - keystroke -> rendered results in headless Chromium on loopback, on both sites;
// - search data size (raw, gzip) and HTML size of symbol pages;
// - with SITE_BEFORE=<the library's site built at an older commit> (SITE_BEFORE_LABEL: that
//   commit), a before/after section (before_after.js); without, the last one is kept.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const zlib = require("node:zlib");
const { execFileSync } = require("node:child_process");
const helpers = require("./helpers.js");
const { ROOT, serve, launch } = helpers;
const { beforeAfter } = require("./before_after.js");

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "apidoc-bench-"));
const MARKDOWN = path.join(ROOT, "build/site/markdown");

function time(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const WORDS = ["page", "heap", "arena", "slab", "budget", "debug", "block", "chunk", "table", "entry",
  "alloc", "free", "resize", "remap", "stats", "reset", "check", "size", "align", "guard"];
function synthetic() {
  const files = [], symbols = [];
  const tags = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/site/fixture/api.json"), "utf8")).tags;
  const tagNames = tags.map((t) => t.name);
  for (let h = 0; h < 100; h++) {
    const header = `include/synth/H${h}.h`, ids = [];
    const struct = `Synth${h}State`;
    const fields = Array.from({ length: 6 }, (_, i) => ({ name: `${WORDS[(h + i) % 20]}_${i}`, type: i % 2 ? "size" : "u32",
      description: `Counter ${i} of the ${WORDS[h % 20]} state, in bytes.`, line: 10 + i, group: null }));
    symbols.push({ id: `struct:${struct}`, name: struct, kind: "struct", header, include: `synth/H${h}.h`, line: 9, end_line: 16,
      declaration: `typedef struct ${struct} {\n${fields.map((f) => `    ${f.type} ${f.name};`).join("\n")}\n} ${struct};`,
      deprecated: false, doc: { brief: `State of synthetic module ${h}.`, description: `State of synthetic module ${h}.`,
        params: [], fields: [], success: null, failure: null, returns: null, usage: null, notes: [], deprecated: null, see: [],
        tags: [tagNames[h % tagNames.length]], tags_written: [] },
      return_type: null, params: [], fields, enum_values: [], dispatch: [], references: [], examples: [], uses: [] });
    ids.push(`struct:${struct}`);
    for (let f = 0; f < 20; f++) {
      const a = WORDS[(h * 7 + f) % 20], b = WORDS[(h + f * 3) % 20];
      const name = f % 2 ? `synth${h}_${a}_${b}_${f}` : `Synth${h}${a[0].toUpperCase() + a.slice(1)}${b[0].toUpperCase() + b.slice(1)}${f}`;
      const code = `static void test_${name}(void) {\n    ${struct} s = {0};\n    ${name}(&s, 64);\n    (void)s;\n}\n`;
      symbols.push({ id: `function:${name}`, name, kind: "function", header, include: `synth/H${h}.h`, line: 20 + f * 12, end_line: 20 + f * 12,
        declaration: `size ${name}(${struct} *self, size bytes);`, deprecated: false,
        doc: { brief: `Do the ${a} ${b} step of module ${h}.`, description: `Do the ${a} ${b} step of module ${h}.\n\nIt touches the ${WORDS[f]} table and returns the bytes it used.`,
          params: [{ name: "self", direction: "in,out", description: "The state.", line: 0 }, { name: "bytes", direction: "in", description: "How many bytes.", line: 0 }],
          fields: [], success: "Returns the bytes used.", failure: "Returns 0 when `bytes` is 0.", returns: null,
          usage: `${struct} s = {0};\n${name}(&s, 64);`, notes: [], deprecated: null, see: [],
          tags: [tagNames[(h + f) % tagNames.length], tagNames[(f * 5) % tagNames.length]].filter((t, i, all) => all.indexOf(t) === i), tags_written: [] },
        return_type: "size", params: [{ name: "self", type: `${struct} *`, direction: "in,out", description: "The state." },
          { name: "bytes", type: "size", direction: "in", description: "How many bytes." }],
        fields: [], enum_values: [], dispatch: [],
        references: [{ file: `tests/synth/t${h}.c`, line: 3 + f * 6, column: 5, kind: "call", function: `test_${name}`, function_start: 1 + f * 6, function_end: 5 + f * 6, category: "test" }],
        examples: [{ file: `tests/synth/t${h}.c`, function: `test_${name}`, start: 1 + f * 6, end: 5 + f * 6, category: "test", use_lines: [3 + f * 6], code }],
        uses: [`struct:${struct}`] });
      ids.push(`function:${name}`);
    }
    files.push({ path: header, include: `synth/H${h}.h`, doc: null, symbols: ids });
  }
  return { format_version: 1, generator: "apidoc", files, symbols, tags };
}

function buildSite(name, apiJson, sourceRoot) {
  return helpers.buildSite({ markdown: MARKDOWN, apiJson, sourceRoot, dir: path.join(TMP, name) });
}

function sizes(site) {
  const index = fs.readFileSync(path.join(site, "api/search-index.js"));
  const mini = fs.readFileSync(path.join(site, "assets/vendor/minisearch.js"));
  const search = fs.readFileSync(path.join(site, "assets/search.js"));
  const files = fs.readdirSync(path.join(site, "api")).filter((f) => f.endsWith(".html") && f !== "index.html");
  const pages = files.map((f) => fs.statSync(path.join(site, "api", f)).size);
  const pageMaxName = files[pages.indexOf(Math.max(...pages))];
  return { indexRaw: index.length, indexGz: zlib.gzipSync(index, { level: 9 }).length,
    codeGz: zlib.gzipSync(mini, { level: 9 }).length + zlib.gzipSync(search, { level: 9 }).length,
    pageMax: Math.max(...pages), pageMaxName, pageMedian: pages.sort((a, b) => a - b)[pages.length >> 1], pages: pages.length };
}

async function keystrokes(browser, site, queries) {
  const http = await serve(site);
  const page = await browser.context.newPage();
  await page.goto(http.url + "index.html");
  await page.keyboard.press("/");
  const samples = [];
  for (const q of queries) {
    await page.locator(".apidoc-search__input").fill("");
    for (const ch of q) {
      // Time from the input event to the results in the DOM and the next frame painted.
      const ms = await page.evaluate((c) => new Promise((resolve) => {
        const input = document.querySelector(".apidoc-search__input");
        const t0 = performance.now();
        input.value += c;
        input.dispatchEvent(new Event("input"));
        void document.body.offsetHeight; // style and layout of the new results, as the paint needs
        const rendered = performance.now() - t0;
        requestAnimationFrame(() => resolve([window.apidocSearch.lastMs, performance.now() - t0, rendered]));
      }), ch);
      samples.push(ms);
    }
  }
  await page.close();
  http.server.close();
  const pick = (i) => samples.map((s) => s[i]).sort((a, b) => a - b);
  const stats = (a) => ({ median: a[a.length >> 1], p95: a[Math.floor(a.length * 0.95)], max: a[a.length - 1] });
  return { n: samples.length, work: stats(pick(0)), frame: stats(pick(1)), render: stats(pick(2)) };
}

(async () => {
  // The library itself: `make docs` (extract with its warm cache, lint, markdown, mkdocs) into site/.
  const libraryJson = path.join(ROOT, "build/docs/api.json");
  const docsTime = time(() => execFileSync("make", ["--no-print-directory", "-s", "docs"], { cwd: ROOT, stdio: "ignore" }));
  const librarySite = path.join(ROOT, "site");
  const librarySymbols = JSON.parse(fs.readFileSync(libraryJson, "utf8")).symbols.length;
  fs.mkdirSync(path.join(TMP, "synth"));
  const synthJson = path.join(TMP, "synth/api.json");
  const synth = synthetic();
  fs.writeFileSync(synthJson, JSON.stringify(synth));
  const fixture = buildSite("fixture", path.join(ROOT, "tests/site/fixture/api.json"), path.join(ROOT, "tests/site/fixture"));
  const big = buildSite("synthetic", synthJson, TMP);
  const browser = await launch();
  const queries = ["Free", "deallocate", "tag:Page alloc", "kind:function in:H4", "pagealocator", "table bytes"];
  const libraryQueries = ["Free", "deallocate", "tag:Page alloc", "kind:function in:Heap", "pagealocator", "double free",
    "PageAllocator *", "size -> void *"];
  const kl = await keystrokes(browser, librarySite, libraryQueries);
  const kf = await keystrokes(browser, fixture.site, queries);
  const ks = await keystrokes(browser, big.site, queries);
  // The before/after section: measured when SITE_BEFORE is set, else kept from the last run.
  const RESULTS = path.join(ROOT, "bench/results/site.md");
  const beforeLabel = process.env.SITE_BEFORE_LABEL || "the older commit";
  let compared = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, "utf8") : "";
  compared = compared.includes("\n## Before/after") ? compared.slice(compared.indexOf("\n## Before/after")) : "";
  if (process.env.SITE_BEFORE)
    compared = await beforeAfter(browser, { before: path.resolve(process.env.SITE_BEFORE), after: librarySite,
      label: beforeLabel, queries: libraryQueries, keystrokes });
  await browser.close();
  const sl = sizes(librarySite), sf = sizes(fixture.site), ss = sizes(big.site);
  const kb = (n) => (n / 1024).toFixed(1) + " KB";
  const ms = (x) => x.toFixed(2) + " ms";
  const perSym = sf.indexGz / JSON.parse(fs.readFileSync(path.join(ROOT, "tests/site/fixture/api.json"))).symbols.length;
  const out = `# Reference site: measurements (\`make bench-site\`)

Machine: ${os.cpus().length} cores, ${os.cpus()[0].model}; Chromium headless on loopback; MkDocs 1.4.2 + Material 8.2.5.
Fixture: tests/site/fixture/api.json (${JSON.parse(fs.readFileSync(path.join(ROOT, "tests/site/fixture/api.json"))).symbols.length} symbols). Synthetic: ${synth.symbols.length} symbols
(100 headers, 2000 documented functions, 100 structs, one scraped example each), generated by tests/browser/bench.js.

## Build

\`make docs\` on the library (${librarySymbols} symbols; extract with its warm cache, lint, markdown,
mkdocs build --strict): ${docsTime.toFixed(2)} s (goal ≤ 10 s).

| site | apidoc markdown | mkdocs build --strict | goal |
|---|---:|---:|---|
| fixture | ${fixture.markdown.toFixed(2)} s | ${fixture.mkdocs.toFixed(2)} s | \`make docs\` ≤ 10 s on the library |
| synthetic (${ss.pages} symbol pages) | ${big.markdown.toFixed(2)} s | ${big.mkdocs.toFixed(2)} s | — |


## Search: keystroke to rendered results

Each sample types one character into the search box: "work" is the handler (parse, rank, facets,
DOM update); "rendered" adds the style and layout of the new results, forced at once (what the
paint of the next frame needs); "next frame" runs until the next animation frame callback, so it
also holds the wait for the display's next 16.7 ms tick. Load average at the start: ${os.loadavg()[0].toFixed(1)}
on ${os.cpus().length} cores (other jobs share the machine: compare rows of one run, not runs).
Queries: ${queries.map((q) => "`" + q + "`").join(", ")} (library: ${libraryQueries.map((q) => "`" + q + "`").join(", ")}).

| site | keystrokes | work median | work p95 | rendered median | rendered p95 | rendered max | next frame median | next frame p95 | goal |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
| library | ${kl.n} | ${ms(kl.work.median)} | ${ms(kl.work.p95)} | ${ms(kl.render.median)} | ${ms(kl.render.p95)} | ${ms(kl.render.max)} | ${ms(kl.frame.median)} | ${ms(kl.frame.p95)} | rendered p95 ≤ 16 ms |
| fixture | ${kf.n} | ${ms(kf.work.median)} | ${ms(kf.work.p95)} | ${ms(kf.render.median)} | ${ms(kf.render.p95)} | ${ms(kf.render.max)} | ${ms(kf.frame.median)} | ${ms(kf.frame.p95)} | rendered p95 ≤ 16 ms |
| synthetic 2000 functions | ${ks.n} | ${ms(ks.work.median)} | ${ms(ks.work.p95)} | ${ms(ks.render.median)} | ${ms(ks.render.p95)} | ${ms(ks.render.max)} | ${ms(ks.frame.median)} | ${ms(ks.frame.p95)} | rendered p95 ≤ 16 ms |

## Sizes

| site | search-index.js raw | gzip | search code (MiniSearch + search.js) gzip | largest symbol page | median symbol page | goal |
|---|---:|---:|---:|---:|---:|---|
| library (${sl.pages} symbol pages) | ${kb(sl.indexRaw)} | ${kb(sl.indexGz)} | ${kb(sl.codeGz)} | ${kb(sl.pageMax)} (${sl.pageMaxName}) | ${kb(sl.pageMedian)} | data ≤ 30 KB gzip, page ≤ 50 KB |
| fixture | ${kb(sf.indexRaw)} | ${kb(sf.indexGz)} | ${kb(sf.codeGz)} | ${kb(sf.pageMax)} | ${kb(sf.pageMedian)} | — |
| synthetic | ${kb(ss.indexRaw)} | ${kb(ss.indexGz)} | ${kb(ss.codeGz)} | ${kb(ss.pageMax)} | ${kb(ss.pageMedian)} | — |

Search data per symbol: about ${Math.round(sl.indexGz / librarySymbols)} bytes gzip on the library, ${Math.round(perSym)} on the fixture,
${Math.round(ss.indexGz / synth.symbols.length)} on the synthetic tree; at the library's rate the 30 KB budget holds about
${Math.floor(30 * 1024 / (sl.indexGz / librarySymbols))} symbols.
Page sizes are the HTML of one page before shared assets (CSS, JS).
` + compared;
  fs.mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  fs.writeFileSync(RESULTS, out);
  process.stdout.write(out);
  fs.rmSync(TMP, { recursive: true, force: true });
})().catch((e) => { console.error(e); process.exit(1); });
