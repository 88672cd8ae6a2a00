// Symbol pages and source pages of the library's own site (issue 13, items 1-4 and 7), driven in
// headless Chromium: linked declarations and member anchors, type pages that gather their API,
// ranked examples, the source browser, guides linked both ways. The site is built here from
// build/docs/api.json (make docs-json) with the docs/ pages, the Markdown stage and the hooks.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const zlib = require("node:zlib");
const { execFileSync } = require("node:child_process");
const { ROOT, buildSite, useSite } = require("./helpers.js");

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "apidoc-pages-"));
const SITE = path.join(TMP, "site");
const API_JSON = path.join(ROOT, "build/docs/api.json");
const api = JSON.parse(fs.readFileSync(API_JSON, "utf8"));
const sym = Object.fromEntries(api.symbols.map((s) => [s.name, s]));

// The library's site as `make docs` builds it (its guides included), an unknown API name in a
// guide a warning (which --strict makes an error).
const librarySite = (dir, extraGuide, quiet = true) => buildSite({ markdown: path.join(ROOT, "build/site/markdown"),
  apiJson: API_JSON, sourceRoot: ROOT, dir, guides: true, extraGuide, unknownNames: "warn", quiet, check: false });

before(() => {
  const r = librarySite(TMP);
  assert.equal(r.status, 0, r.stderr);
});
let http, page;
useSite(SITE, (s) => ({ http, page } = s));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

const hrefs = (sel) => page.locator(sel).evaluateAll((els) => els.map((e) => e.getAttribute("href")));
const texts = (sel) => page.locator(sel).allTextContents();
// The link in the declaration block whose text is `name`.
const declLink = (name) => page.locator(".apidoc-decl a", { hasText: new RegExp(`^${name}$`) }).first();

// --- 1. Linked declarations and anchors ---------------------------------------------------------

test("struct_declaration_links_member_types_and_each_field_to_its_row", async () => {
  await page.goto(http.url + "api/PageAllocator.html");
  assert.equal(await declLink("Allocator").getAttribute("href"), "Allocator.html");
  assert.equal(await declLink("PageEntry").getAttribute("href"), "PageEntry.html");
  // Highlighted by Pygments (keywords in spans), the links kept inside.
  assert.ok(await page.locator(".apidoc-decl .k, .apidoc-decl .kt").count() > 0);
  for (const f of sym.PageAllocator.fields) {
    assert.equal(await declLink(f.name).getAttribute("href"), `#field-${f.name}`);
    assert.equal(await page.locator(`table a.apidoc-member#field-${f.name}`).count(), 1);
  }
  await declLink("free_entries").click();
  assert.equal(await page.evaluate(() => location.hash), "#field-free_entries");
  // The row is the target, and its anchor shows a visible "#" affordance.
  const row = page.locator("tr:has(a#field-free_entries)");
  assert.match(await row.innerText(), /free_entries\s*#?\s*PageEntry \*/);
  assert.equal(await page.locator("#field-free_entries").evaluate((a) => getComputedStyle(a, "::after").content), '"#"');
  // The Type column links the type, not the field's name.
  assert.equal(await row.locator("td:nth-child(2) code a").getAttribute("href"), "PageEntry.html");
});

test("generic_macro_declaration_links_every_arm_and_every_type", async () => {
  await page.goto(http.url + "api/AllocatorAlloc.html");
  for (const arm of sym.AllocatorAlloc.dispatch) {
    if (arm.function_id) {
      const fn = api.symbols.find((s) => s.id === arm.function_id).name;
      assert.equal(await declLink(fn).getAttribute("href"), `${fn}.html`, fn);
    }
    const type = arm.type.replace(/\s*\*$/, "");
    assert.equal(await declLink(type).getAttribute("href"), `${type}.html`, type);
  }
  // The macro's parameters link to their rows; their uses in the body do not.
  assert.equal(await page.locator('.apidoc-decl a[href="#param-self"]').count(), 1);
  assert.equal(await page.locator("a.apidoc-member#param-self").count(), 1);
});

test("prototype_links_parameter_types_and_names_and_enum_constants_have_anchors", async () => {
  await page.goto(http.url + "api/page_allocator_allocate.html");
  assert.equal(await declLink("PageAllocator").getAttribute("href"), "PageAllocator.html");
  for (const p of sym.page_allocator_allocate.params) assert.equal(await declLink(p.name).getAttribute("href"), `#param-${p.name}`);
  assert.equal(await page.locator("a.apidoc-member#param-bytes").getAttribute("href"), "#param-bytes");
  await page.goto(http.url + "api/PageProtection.html");
  assert.equal(await declLink("PAGE_PROTECT_NONE").getAttribute("href"), "#value-PAGE_PROTECT_NONE");
  assert.equal(await page.locator("a.apidoc-member#value-PAGE_PROTECT_NONE").count(), 1);
});

// --- 2. Type pages gather their API -------------------------------------------------------------

test("type_page_lists_its_functions_by_role_and_the_generic_macros_that_accept_it", async () => {
  await page.goto(http.url + "api/PageAllocator.html");
  const functions = await page.evaluate(() => {
    const out = [];
    for (let e = document.getElementById("functions").nextElementSibling; e && e.tagName !== "H2"; e = e.nextElementSibling)
      out.push(...[...e.querySelectorAll("a[href$='.html']")].map((a) => a.getAttribute("href")), e.tagName === "P" ? "|" + e.textContent : "");
    return out.filter(Boolean);
  });
  for (const f of ["PageAllocatorInitAligned", "PageAllocatorInit", "PageAllocatorPageSize", "PageAllocatorDeinit", "page_allocator_allocate"])
    assert.ok(functions.includes(`${f}.html`), `${f} under Functions`);
  assert.ok(!functions.includes("ArenaAllocator.html"));
  // Grouped by role: Lifecycle before Allocation before Queries.
  const roles = functions.filter((x) => x.startsWith("|")).map((x) => x.slice(1));
  assert.ok(roles.indexOf("Lifecycle") >= 0 && roles.indexOf("Lifecycle") < roles.indexOf("Allocation"), roles.join(","));
  assert.ok(functions.indexOf("PageAllocatorInit.html") < functions.indexOf("page_allocator_allocate.html"));
  const accepted = await page.evaluate(() => [...document.getElementById("accepted-by").nextElementSibling
    .nextElementSibling.querySelectorAll("tbody tr td:first-child a")].map((a) => a.getAttribute("href")));
  for (const g of ["ALLOCATOR_OF", "AllocatorAlloc", "AllocatorFree"]) assert.ok(accepted.includes(`${g}.html`), g);
});

test("related_lists_the_types_own_api_first_and_used_by_has_the_generic_arms_and_prototypes", async () => {
  await page.goto(http.url + "api/PageAllocator.html");
  const related = await page.evaluate(() => [...document.getElementById("related").nextElementSibling.querySelectorAll("li > a")]
    .map((a) => a.getAttribute("href").replace(/\.html$/, "")));
  const own = new Set(["PageAllocatorInitAligned", "PageAllocatorInit", "PageAllocatorDeinit", "PageAllocatorCheck",
    "PageAllocatorPageSize", "page_allocator_init", "page_allocator_allocate", "page_allocator_resize",
    "page_allocator_remap", "page_allocator_deallocate", "PageProtect", "AllocatorAlloc", "AllocatorFree", "ALLOCATOR_OF",
    "AllocatorResize", "AllocatorRemap", "AllocatorRealloc"]);
  assert.ok(related.length >= 4);
  for (const r of related.slice(0, 4)) assert.ok(own.has(r), `${r} is not PageAllocator's own API`);
  assert.ok(!related.slice(0, 4).includes("ArenaAllocator"));
  const decls = await page.locator("h2#used-by ~ p", { hasText: "In declarations" }).first().locator("a").evaluateAll(
    (as) => as.map((a) => a.getAttribute("href")));
  for (const d of ["AllocatorAlloc", "AllocatorFree", "ALLOCATOR_OF", "page_allocator_allocate"]) assert.ok(decls.includes(`${d}.html`), d);
});

// --- 3. Examples ----------------------------------------------------------------------------------

// The examples a page shows, in order: [title text, has misuse label].
async function shownExamples(name) {
  await page.goto(http.url + `api/${name}.html`);
  return page.evaluate(() => [...document.querySelectorAll(".apidoc-example-title, details.example > summary")]
    .map((t) => [t.textContent, !!t.querySelector(".apidoc-misuse")]));
}

test("examples_from_examples_dir_lead_and_misuse_never_leads_and_is_labelled", async () => {
  for (const name of ["PageAllocator", "ArenaAllocator"]) {
    const shown = await shownExamples(name);
    assert.match(shown[0][0], /examples\//, `${name} leads with a program from examples/`);
  }
  // Every symbol with a use that is not a misuse leads with one; misuse candidates are labelled.
  let checked = 0;
  for (const s of api.symbols) {
    const uses = s.examples.map((e) => api.examples[e.example]).filter((x) => x.function !== s.name);
    if (!uses.some((x) => !x.misuse) || !uses.some((x) => x.misuse)) continue;
    const md = fs.readFileSync(path.join(TMP, "docs/api", s.name + ".md"), "utf8");
    const first = md.match(/<p class="apidoc-example-title">.*<\/p>/);
    if (!first) continue;
    assert.doesNotMatch(first[0], /apidoc-misuse/, `${s.name} leads with a misuse test`);
    checked++;
  }
  assert.ok(checked >= 20, `${checked} symbols checked`);
  const labelled = await shownExamples("ArenaAllocatorInitAligned");
  assert.ok(labelled.some(([, misuse]) => misuse), "a misuse example is labelled");
  assert.equal(labelled[0][1], false);
});

test("a_use_through_a_macro_says_via_and_scaffolding_never_leads", async () => {
  // `page_allocator_vtable_allocate` is only stored by the init macros: its uses go through them.
  const viaOnly = api.symbols.filter((s) => s.examples.length && s.examples.every((e) => e.via));
  assert.ok(viaOnly.length > 0);
  for (const s of viaOnly.slice(0, 8)) {
    const shown = await shownExamples(s.name);
    if (!shown.length) continue;
    assert.match(shown[0][0], /— via \S+/, `${s.name}: ${shown[0][0]}`);
    const via = page.locator(".apidoc-example-title a, .apidoc-example-src a", { hasText: /^[A-Za-z_]\w*$/ }).first();
    if (await via.count()) assert.match(await via.getAttribute("href"), /^[A-Za-z_]\w*\.html$/);
  }
  // A test template (`KIND_LIFECYCLE(...)`, naming the symbol only in its arguments) never leads,
  // not even on a page where it is the only use: it stays folded.
  for (const f of fs.readdirSync(path.join(TMP, "docs/api")).filter((f) => f.endsWith(".md"))) {
    const md = fs.readFileSync(path.join(TMP, "docs/api", f), "utf8");
    const lead = md.match(/<p class="apidoc-example-title">.*<\/p>/);
    if (lead) assert.doesNotMatch(lead[0], /KIND_LIFECYCLE\(/, f);
  }
  // No library symbol is used by the template alone today, so make one: a copy of api.json where
  // a symbol keeps only its KIND_LIFECYCLE candidates, through the Markdown stage.
  const isTemplate = (e) => api.examples[e.example].function.startsWith("KIND_LIFECYCLE(");
  const victim = api.symbols.find((s) => s.examples.some(isTemplate) && !s.examples.every(isTemplate));
  const only = structuredClone(api);
  const kept = only.symbols.find((s) => s.name === victim.name);
  kept.examples = kept.examples.filter(isTemplate);
  const dir = path.join(TMP, "template-only"), json = path.join(dir, "api.json");
  fs.mkdirSync(dir);
  fs.writeFileSync(json, JSON.stringify(only));
  execFileSync(path.join(ROOT, "build/site/markdown"), ["--out", path.join(dir, "docs"), "--source-root", ROOT,
    "--nav", path.join(dir, "nav.yml"), json]);
  const md = fs.readFileSync(path.join(dir, "docs/api", victim.name + ".md"), "utf8");
  const summaries = [...md.matchAll(/<details class="example"><summary>(.*?)<\/summary>/g)].map((m) => m[1]);
  assert.ok(summaries.length > 0 && summaries.every((t) => /KIND_LIFECYCLE\(/.test(t)), `${victim.name}: ${summaries.join(" | ")}`);
  assert.doesNotMatch(md, /apidoc-example-title/, victim.name);
});

test("examples_show_whole_functions_long_ones_fold_behind_an_expand_control", async () => {
  // A shown example longer than the folded view: all its lines are in the page, the rest hidden
  // until the control is used.
  const pageName = api.symbols.find((s) => {
    const md = path.join(TMP, "docs/api", s.name + ".md");
    return fs.existsSync(md) && fs.readFileSync(md, "utf8").includes('class="apidoc-unfold"');
  }).name;
  await page.goto(http.url + `api/${pageName}.html`);
  const box = page.locator(".apidoc-unfoldable").first();
  await box.evaluate((b) => { const d = b.closest("details"); if (d) d.open = true; });
  const label = await box.locator("label .apidoc-unfold__more").innerText();
  const total = Number(label.match(/Show all (\d+) lines/)[1]);
  assert.equal(await box.locator("[data-n]").count(), total);
  const hidden = () => box.locator(".apidoc-fold [data-n]").evaluateAll((els) => els.filter((e) => e.offsetParent === null).length);
  assert.ok(await hidden() > 0);
  await box.locator("label").click();
  assert.equal(await hidden(), 0);
  assert.equal(await box.locator("label .apidoc-unfold__less").isVisible(), true);
});

test("macro_made_function_names_are_whole_and_basic_typedefs_show_a_use_count", async () => {
  for (const f of fs.readdirSync(path.join(SITE, "api")).filter((f) => f.endsWith(".html"))) {
    const html = fs.readFileSync(path.join(SITE, "api", f), "utf8");
    for (const m of html.matchAll(/(?:apidoc-example-title">(?:<span[^>]*>misuse<\/span> )?In <code>|<summary>(?:<span[^>]*>misuse<\/span> )?In <code>)([^<]*)<\/code>/g)) {
      const name = m[1];
      assert.equal((name.match(/\(/g) || []).length, (name.match(/\)/g) || []).length, `${f}: ${name}`);
    }
  }
  const basic = api.symbols.find((s) => s.basic && s.use_count > 10);
  await page.goto(http.url + `api/${basic.name}.html`);
  const text = await page.locator("article").innerText();
  assert.match(text, new RegExp(`used ${basic.use_count} times in \\d+ files`));
  assert.equal(await page.locator("h2#examples-from-the-code").count(), 0);
});

// --- 4. Source browser -----------------------------------------------------------------------------

test("source_pages_are_single_spaced_highlighted_linked_and_line_numbers_are_not_tab_stops", async () => {
  await page.goto(http.url + "api/source/src/alloc/Page.c.html#L120");
  const [y10, y11, lh] = await page.evaluate(() => {
    const top = (n) => document.getElementById("L" + n).getBoundingClientRect().top;
    return [top(10), top(11), parseFloat(getComputedStyle(document.querySelector(".apidoc-src code")).lineHeight)];
  });
  assert.ok(Math.abs(y11 - y10 - lh) < 1.5, `line step ${y11 - y10} px, line height ${lh} px`);
  assert.ok(await page.locator(".apidoc-src .k").count() > 50, "keywords highlighted");
  assert.equal(await page.locator('.apidoc-src a[id^="L"][href], .apidoc-src a[id^="L"][tabindex]').count(), 0);
  // Public symbols link to their pages where libclang saw the use.
  const links = await page.locator('.apidoc-src a[href$=".html"]').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(links.includes(http.url + "api/PageAllocator.html"));
  assert.ok(links.includes(http.url + "api/AllocFatal.html"));
  // A local function's or macro's uses link to the line defining it.
  const local = page.locator('.apidoc-src a[href^="#L"]:not([data-n])').first();
  const target = Number((await local.getAttribute("href")).slice(2));
  const name = await local.innerText();
  const line = await page.evaluate((n) => {
    const r = document.createRange();
    r.setStartAfter(document.getElementById("L" + n));
    r.setEndBefore(document.getElementById("L" + (n + 1)));
    return r.toString();
  }, target);
  // A local function defined at file scope, or a local macro.
  assert.match(line, new RegExp(`^(#define\\s+${name}\\b|\\S.*\\b${name}\\s*\\()`));
  // Tab from the page top never stops on a line number.
  await page.goto(http.url + "api/source/src/alloc/Page.c.html");
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => /^L\d+$/.test(document.activeElement.id)), false);
  }
});

test("symbol_pages_link_the_declaration_and_the_definition", async () => {
  await page.goto(http.url + "api/page_allocator_allocate.html");
  const def = api.examples.find((e) => e.function === "page_allocator_allocate" && e.file.startsWith("src/"));
  const links = await hrefs("article a");
  assert.ok(links.includes(`source/include/alloc/Page.h.html#L${sym.page_allocator_allocate.line}`));
  assert.ok(links.includes(`source/${def.file}.html#L${def.start}`));
  // And the definition's name on the source page links back.
  await page.goto(http.url + `api/source/${def.file}.html`);
  assert.ok((await hrefs('.apidoc-src a[href$="page_allocator_allocate.html"]')).length > 0);
});

test("every_source_page_keeps_to_its_budget_of_4x_the_source_plus_24_kb", () => {
  let n = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) {
        const src = path.join(ROOT, path.relative(path.join(SITE, "api/source"), p).replace(/\.html$/, ""));
        const budget = 4 * fs.statSync(src).size + 24 * 1000;
        assert.ok(fs.statSync(p).size <= budget, `${p}: ${fs.statSync(p).size} > ${budget}`);
        n++;
      }
    }
  };
  walk(path.join(SITE, "api/source"));
  assert.ok(n >= 20);
  // Only sources apidoc read: every source page is a file named in api.json.
  const named = new Set([...api.symbols.map((s) => s.header), ...api.examples.map((e) => e.file),
    ...api.symbols.flatMap((s) => s.references.map((r) => r[0]))]);
  for (const f of fs.readdirSync(path.join(SITE, "api/source/src/alloc"))) assert.ok(named.has("src/alloc/" + f.replace(/\.html$/, "")), f);
});

test("search_data_of_the_library_stays_within_30_kb_gzip", () => {
  // The library's own site: its symbols, fields, enum constants and guide sections with their text.
  const gz = zlib.gzipSync(fs.readFileSync(path.join(SITE, "api/search-index.js")), { level: 9 }).length;
  assert.ok(gz <= 30 * 1000, `search-index.js is ${gz} bytes gzip`);
});

test("symbol_pages_of_the_library_stay_within_50_kb", () => {
  for (const f of fs.readdirSync(path.join(SITE, "api")).filter((f) => f.endsWith(".html") && f !== "index.html")) {
    const bytes = fs.statSync(path.join(SITE, "api", f)).size;
    assert.ok(bytes <= 50 * 1000, `${f}: ${bytes} bytes`);
  }
});

// --- 7. Guides <-> reference ----------------------------------------------------------------------

test("backticked_names_in_guides_link_to_symbol_pages_and_pages_list_the_guides", async () => {
  await page.goto(http.url + "guides/choosing-an-allocator.html");
  const links = await hrefs("article a");
  assert.ok(links.includes("../api/PageAllocator.html"));
  assert.ok(links.includes("../api/ArenaAllocator.html"));
  // Code blocks are left alone.
  assert.equal(await page.locator("article pre a[href^='../api/']").count(), 0);
  await page.goto(http.url + "index.html");
  assert.ok((await hrefs("article a")).includes("api/AllocatorFree.html"));
  await page.goto(http.url + "api/PageAllocator.html");
  const guides = await page.evaluate(() => [...document.getElementById("in-the-guides").nextElementSibling.querySelectorAll("a")]
    .map((a) => a.getAttribute("href")));
  assert.ok(guides.includes("../guides/choosing-an-allocator.html"), guides.join(" "));
  assert.ok(guides.some((g) => /^\.\.\/guides\/[\w-]+\.html#[\w-]+$/.test(g)), "a link to the section");
});

test("an_unknown_api_name_in_a_guide_is_a_build_warning_that_fails_strict", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apidoc-pages-warn-"));
  try {
    const r = librarySite(dir, "# Extra\n\nUse `PageAlocator` and `PageAllocatorFrobnicate()`; `malloc` and `make docs` are not API names.\n", false);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /guides\/zz-extra\.md: `PageAlocator` is not a public name of the API/);
    assert.match(r.stderr, /guides\/zz-extra\.md: `PageAllocatorFrobnicate\(\)` is not a public name of the API/);
    assert.doesNotMatch(r.stderr, /`malloc`|`make docs`/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
