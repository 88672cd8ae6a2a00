// Shared by the browser tests and bench.js: a static server on 127.0.0.1 for a built site,
// Debian's Chromium driven by playwright-core (never a downloaded browser), each run with a fresh
// profile directory, a site built outside `make`, and the browser session of a test file.
"use strict";
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { execFileSync, spawnSync } = require("node:child_process");
const { chromium } = require("playwright-core");

const ROOT = path.resolve(__dirname, "../..");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png",
  ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml" };

// Serves `dir` at `prefix` ("/" or a sub-path such as "/alloc/"); a missing file gets status 404
// with the site's 404.html, as static hosts (GitHub Pages, Netlify...) serve it.
function serve(dir, prefix = "/") {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const notFound = () => fs.readFile(path.join(dir, "404.html"), (err, data) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end(err ? "not found" : data);
    });
    if (!url.startsWith(prefix)) { notFound(); return; }
    let file = path.join(dir, url.slice(prefix.length));
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, data) => {
      if (err) { notFound(); return; }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    resolve({ server, url: `http://127.0.0.1:${server.address().port}${prefix}` });
  }));
}

async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "apidoc-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// A site built outside `make`, as mk/docs.mk's site_build: docs/*.md (with docs/guides/ when
// `guides`, plus `extraGuide` as guides/zz-extra.md) and docs/assets/ copied into DIR/docs with
// MiniSearch, the Markdown stage, then mkdocs build --strict with both hooks into DIR/site.
// `unknownNames`: APIDOC_UNKNOWN_NAMES, "ignore" for the library's guides with another api.json.
// Throws when the build fails, unless `check` is false: then the caller reads status and stderr.
function buildSite({ markdown, apiJson, sourceRoot, dir, siteUrl = "http://127.0.0.1:8000/", guides = false,
  extraGuide = null, unknownNames = "ignore", quiet = true, check = true }) {
  const docs = path.join(dir, "docs");
  fs.mkdirSync(path.join(docs, "assets/vendor"), { recursive: true });
  for (const f of fs.readdirSync(path.join(ROOT, "docs")))
    if (f.endsWith(".md")) fs.copyFileSync(path.join(ROOT, "docs", f), path.join(docs, f));
  if (guides) fs.cpSync(path.join(ROOT, "docs/guides"), path.join(docs, "guides"), { recursive: true, dereference: true });
  if (extraGuide) fs.writeFileSync(path.join(docs, "guides", "zz-extra.md"), extraGuide);
  for (const f of fs.readdirSync(path.join(ROOT, "docs/assets")))
    if (/\.(js|css)$/.test(f)) fs.copyFileSync(path.join(ROOT, "docs/assets", f), path.join(docs, "assets", f));
  fs.copyFileSync(path.join(__dirname, "node_modules/minisearch/dist/umd/index.js"), path.join(docs, "assets/vendor/minisearch.js"));
  const t0 = process.hrtime.bigint();
  execFileSync(markdown, ["--out", docs, "--source-root", sourceRoot, "--nav", path.join(dir, "nav.yml"), apiJson]);
  const t1 = process.hrtime.bigint();
  fs.writeFileSync(path.join(dir, "mkdocs.yml"), `INHERIT: ${path.join(ROOT, "mkdocs.yml")}\ndocs_dir: docs\nsite_dir: site\n` +
    `hooks: [${path.join(ROOT, "tools/site/mkdocs_hooks.py")}, ${path.join(ROOT, "tools/apidoc/site_hooks.py")}]\n` +
    fs.readFileSync(path.join(dir, "nav.yml"), "utf8"));
  const r = spawnSync("/usr/bin/python3", ["-m", "mkdocs", "build", ...(quiet ? ["--quiet"] : []), "--strict", "-f",
    path.join(dir, "mkdocs.yml")], { env: { ...process.env, SOURCE_DATE_EPOCH: "0", SITE_URL: siteUrl,
    APIDOC_API_JSON: apiJson, APIDOC_UNKNOWN_NAMES: unknownNames }, encoding: "utf8" });
  if (check && r.status !== 0) throw new Error(`mkdocs build failed:\n${r.stderr}`);
  const t2 = process.hrtime.bigint();
  return { site: path.join(dir, "site"), docs, markdown: Number(t1 - t0) / 1e9, mkdocs: Number(t2 - t1) / 1e9,
    status: r.status, stderr: r.stderr };
}

// The browser session of a test file: before() serves `site` at `prefix` and opens a page in
// Chromium (an uncaught error in the page fails the test), after() closes them. `use` receives
// the session once it is open: { http, page, openSearch(query, at = "index.html") }, the search
// opened with "/" on page `at` of the site (or at a whole URL, such as a file:// one) and `query` typed.
function useSite(site, use, { prefix = "/" } = {}) {
  const { before, after } = require("node:test");
  let http, browser;
  before(async () => {
    http = await serve(site, prefix);
    browser = await launch();
    const page = await browser.context.newPage();
    page.on("pageerror", (e) => { throw e; });
    const openSearch = async (query, at = "index.html") => {
      await page.goto(/^[a-z]+:/.test(at) ? at : http.url + at);
      await page.keyboard.press("/");
      await page.locator(".apidoc-search__input").fill(query);
    };
    use({ http, page, openSearch });
  });
  after(async () => {
    if (browser) await browser.close();
    if (http) http.server.close();
  });
}

// One page of each template of a reference site (a symbol of each kind, the indexes, a guide, a
// source page...), as paths from the site's root: what a11y.test.js and bench.js check with axe.
const TEMPLATES = {
  home: "index.html", guide: "guides/violation-catalogue.html", header: "api/headers/alloc/Page.h.html",
  struct: "api/PageAllocator.html", function: "api/page_allocator_allocate.html", macro: "api/AllocatorAlloc.html",
  enum: "api/AllocatorEffort.html", typedef: "api/size.html", tag: "tags/Page.html", "a-z": "api/index.html",
  source: "api/source/include/alloc/Page.h.html", changelog: "CHANGELOG.html", "not-found": "404.html",
};

// `url` in `scheme` ("light" or "dark"), Material's remembered palette cleared so that the
// colour scheme of the media query applies; returns Material's scheme name ("default", "slate").
async function loadInScheme(page, url, scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(url);
  return page.evaluate(() => document.body.getAttribute("data-md-color-scheme"));
}

// axe-core (npm) over the page as it is: its serious and critical violations, each as
// "rule (impact): the first three nodes and why".
async function seriousViolations(page) {
  await page.addScriptTag({ content: fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " +
        ((n.any[0] && n.any[0].message) || "")).join(" | ")}`);
  });
}

// The search data of a built site (api/search-index.js, written by tools/apidoc/gen_md_search.c),
// its front-coded words decoded, and postingsOf(word): the entry indexes whose text has the word.
function readSearchIndex(site) {
  const data = fs.readFileSync(path.join(site, "api/search-index.js"), "utf8");
  const index = JSON.parse(data.slice(data.indexOf("{"), data.lastIndexOf("}") + 1));
  let prev = "";
  index.words = index.words.split(" ").map((c) => (prev = prev.slice(0, parseInt(c[0], 36)) + c.slice(1)));
  const lists = index.postings.split(",");
  const more = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  index.postingsOf = (word) => {
    const list = lists[index.words.indexOf(word)] || "", out = [];
    let at = 0, gap = 0;
    for (const c of list) {
      if (more.includes(c)) { gap = gap * 32 + more.indexOf(c); continue; }
      out.push(at += gap * 32 + parseInt(c, 32));
      gap = 0;
    }
    return out;
  };
  return index;
}

module.exports = { ROOT, serve, launch, buildSite, useSite, TEMPLATES, loadInScheme, seriousViolations, readSearchIndex };
