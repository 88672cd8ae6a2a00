// Browser tests of the reference site built from tests/site/fixture/api.json (make site-fixture):
// the PageAllocator page, the search (name parts, typos, filters, facets, keyboard, file://),
// escaping of hostile comment text, reproducible output, and screenshots in light and dark mode.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { ROOT, useSite } = require("./helpers.js");

const FIXTURE = path.join(ROOT, "tests/site/fixture");
const SITE = path.join(ROOT, "build/site-fixture/site");
const SHOTS = path.join(ROOT, "build/screenshots");
const api = JSON.parse(fs.readFileSync(path.join(FIXTURE, "api.json"), "utf8"));
const byName = Object.fromEntries(api.symbols.map((s) => [s.name, s]));

let http, page, openSearch;
useSite(SITE, (s) => ({ http, page, openSearch } = s));

const resultNames = () => page.locator(".apidoc-result__name").allTextContents();

test("pageallocator_page_shows_all_ten_fields_with_types_and_descriptions", async () => {
  await page.goto(http.url + "api/PageAllocator.html");
  const rows = page.locator("h2#fields ~ div table").first().locator("tbody tr");
  const want = byName.PageAllocator.fields;
  assert.equal(await rows.count(), 10);
  for (let i = 0; i < want.length; i++) {
    const cells = await rows.nth(i).locator("td").allTextContents();
    assert.equal(cells[0], want[i].name);
    assert.equal(cells[1], want[i].type);
    assert.equal(cells[2], want[i].description.replace(/`/g, ""));
  }
});

test("pageallocator_page_has_include_declaration_source_link_and_tags", async () => {
  await page.goto(http.url + "api/PageAllocator.html");
  const text = await page.locator("article").innerText();
  assert.match(text, /#include "alloc\/Page\.h"/);
  assert.match(text, /free_entries_bytes;\s*\} PageAllocator;/);
  const link = page.locator("a", { hasText: "include/alloc/Page.h:47" });
  assert.equal(await link.getAttribute("href"), "source/include/alloc/Page.h.html#L47");
  assert.deepEqual(await page.locator(".apidoc-tag").allTextContents(), ["Allocator", "Page", "Memory"]);
  await link.click();
  await page.waitForURL(/source\/include\/alloc\/Page\.h\.html#L47$/);
  // The line anchor is an empty element before the line's text (its number is CSS content).
  const line47 = await page.evaluate(() => {
    const r = document.createRange();
    r.setStartAfter(document.getElementById("L47"));
    r.setEndBefore(document.getElementById("L48"));
    return r.toString();
  });
  assert.match(line47, /^typedef struct PageAllocator \{\n$/);
  assert.equal(await page.evaluate(() => location.hash), "#L47");
});

test("scraped_examples_show_one_fold_the_rest_and_skip_comment_and_string_hits", async () => {
  await page.goto(http.url + "api/PageAllocator.html");
  const section = await page.locator("article").innerText();
  assert.match(section, /3 functions use PageAllocator/);
  // One shown (the shortest test function), two folded; each function once.
  assert.equal(await page.locator("h2#examples-from-the-code ~ details.example").count(), 2);
  const highlighted = await page.locator("h2#examples-from-the-code ~ * .hll").allTextContents();
  assert.equal(highlighted.length, 3);
  for (const line of highlighted) assert.match(line, /PageAllocator page = PageAllocatorInit\(\);/);
  assert.doesNotMatch(highlighted.join("\n"), /\/\/|"PageAllocator/);
});

test("searching_free_lists_allocatorfree_first", async () => {
  await openSearch("Free");
  const names = await resultNames();
  assert.equal(names[0], "AllocatorFree");
  assert.ok(names.includes("allocator_free_dyn"));
});

test("searching_deallocate_finds_page_allocator_deallocate", async () => {
  await openSearch("deallocate");
  assert.equal((await resultNames())[0], "page_allocator_deallocate");
});

test("searching_tolerates_typos", async () => {
  await openSearch("dealocate");
  assert.ok((await resultNames()).includes("page_allocator_deallocate"));
  await openSearch("PageAlocator");
  assert.ok((await resultNames()).includes("PageAllocator"));
});

test("searching_covers_descriptions_and_fields", async () => {
  await openSearch("binary");                     // PageAllocator's `entries` field doc
  assert.ok((await resultNames()).includes("PageAllocator"));
});

test("tag_page_returns_exactly_the_page_tagged_symbols_and_facet_counts_match", async () => {
  await openSearch("tag:Page");
  const want = api.symbols.filter((s) => s.doc.tags.includes("Page")).map((s) => s.name).sort();
  assert.deepEqual((await resultNames()).sort(), want);
  assert.match(await page.locator(".apidoc-search__count").innerText(), new RegExp(`^${want.length} results`));
  const facets = {};
  for (const chip of await page.locator(".apidoc-facet").all())
    facets[await chip.getAttribute("data-tag")] = Number(await chip.locator(".apidoc-facet__count").innerText());
  const expect = {};
  for (const name of want) for (const t of byName[name].doc.tags) expect[t] = (expect[t] || 0) + 1;
  assert.deepEqual(facets, expect);
});

test("filters_combine_and_facets_update_with_the_query", async () => {
  await openSearch("kind:function in:Page.h");
  const want = api.symbols.filter((s) => s.kind === "function" && s.header.endsWith("Page.h")).map((s) => s.name);
  assert.deepEqual((await resultNames()).sort(), want.sort());
  await page.locator(".apidoc-facet[data-tag=Cleanup]").click();
  assert.deepEqual(await resultNames(), ["PageAllocatorDeinit"]);
  assert.match(await page.locator(".apidoc-search__input").inputValue(), /tag:Cleanup/);
});

test("keyboard_slash_arrows_enter_and_escape_work", async () => {
  await page.goto(http.url + "index.html");
  await page.keyboard.press("/");
  const input = page.locator(".apidoc-search__input");
  assert.ok(await input.evaluate((e) => e === document.activeElement));
  await page.keyboard.type("PageAllocator");
  const first = await resultNames();
  assert.equal(first[0], "PageAllocator");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  const selected = await page.locator(".apidoc-result__link[aria-selected=true] .apidoc-result__name").innerText();
  assert.equal(selected, first[1]);
  const target = await page.locator(".apidoc-result__link[aria-selected=true]").evaluate((a) => a.href);
  await Promise.all([page.waitForURL(target), page.keyboard.press("Enter")]);
  await page.keyboard.press("/");
  assert.ok(await page.locator(".apidoc-search").isVisible());
  await page.keyboard.press("Escape");
  assert.ok(!(await page.locator(".apidoc-search").isVisible()));
});

test("symbol_search_works_from_file_urls", async () => {
  const index = "file://" + path.join(SITE, "index.html");
  await openSearch("Free", index);
  assert.equal((await resultNames())[0], "AllocatorFree");
  await Promise.all([page.waitForURL(/AllocatorFree\.html$/), page.keyboard.press("Enter")]);
  assert.ok(page.url().startsWith("file://"));
  assert.equal(await page.locator("h1").evaluate((e) => e.firstChild.textContent), "AllocatorFree");
});

test("hostile_comment_text_shows_as_text_and_runs_nothing", async () => {
  await page.goto(http.url + "api/HostileThing.html");
  const article = page.locator("article");
  const text = await article.innerText();
  assert.match(text, /<script>window\.pwned = 'brief'<\/script>/);
  assert.match(text, /<img src=x onerror="window\.pwned = 'img'">/);
  assert.match(text, /<img src=x onerror="window\.pwned = 'field'"> \| pipe/);
  assert.equal(await article.locator("script, img, [onclick], a[href^=javascript]").count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await openSearch("HostileThing");
  assert.match(await page.locator(".apidoc-result__brief").first().innerText(), /<script>/);
  assert.equal(await page.locator(".apidoc-search script, .apidoc-search img").count(), 0);
  await page.goto(http.url + "api/headers/alloc/Hostile.h.html");
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});

test("index_pages_list_headers_tags_with_counts_and_a_to_z", async () => {
  await page.goto(http.url + "tags/index.html");
  const row = page.locator("tr", { has: page.locator("a", { hasText: /^Page$/ }) });
  const pageTagged = api.symbols.filter((s) => s.doc.tags.includes("Page")).length;
  assert.equal((await row.locator("td").nth(1).innerText()).trim(), String(pageTagged));
  await page.goto(http.url + "tags/Page.html");
  assert.equal(await page.locator("article tbody tr").count(), pageTagged);
  await page.goto(http.url + "api/index.html");
  assert.equal(await page.locator("article tbody tr").count(), api.symbols.length);
  await page.goto(http.url + "api/headers/alloc/Page.h.html");
  assert.ok(await page.locator("article a", { hasText: /^PageAllocatorDeinit$/ }).count());
});

test("screenshots_of_a_symbol_page_and_of_search_in_light_and_dark_mode", async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ["light", "dark"]) {
    // Material keeps the last palette in localStorage; start each scheme from the media query.
    await page.evaluate(() => localStorage.clear());
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(http.url + "api/PageAllocator.html");
    const want = scheme === "dark" ? "slate" : "default";
    assert.equal(await page.evaluate(() => document.body.getAttribute("data-md-color-scheme")), want);
    await page.screenshot({ path: path.join(SHOTS, `symbol-${scheme}.png`), fullPage: false });
    await openSearch("tag:Page alloc");
    await page.screenshot({ path: path.join(SHOTS, `search-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: "light" });
  for (const f of ["symbol-light", "symbol-dark", "search-light", "search-dark"])
    assert.ok(fs.statSync(path.join(SHOTS, f + ".png")).size > 10000);
});

test("two_builds_are_byte_identical", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "apidoc-repro-"));
  try {
    const config = path.join(tmp, "mkdocs.yml");
    fs.writeFileSync(config, fs.readFileSync(path.join(ROOT, "build/site-fixture/mkdocs.yml"), "utf8")
      .replace(/^INHERIT: .*$/m, "INHERIT: " + path.join(ROOT, "mkdocs.yml"))
      .replace(/^docs_dir: .*$/m, "docs_dir: " + path.join(ROOT, "build/site-fixture/docs"))
      .replace(/^site_dir: .*$/m, "site_dir: " + path.join(tmp, "site"))
      .replace(/^hooks: .*$/m, "hooks: [" + path.join(ROOT, "tools/site/mkdocs_hooks.py") + ", " +
        path.join(ROOT, "tools/apidoc/site_hooks.py") + "]"));
    execFileSync("/usr/bin/python3", ["-m", "mkdocs", "build", "--quiet", "--strict", "-f", config],
      { env: { ...process.env, SOURCE_DATE_EPOCH: "0", SITE_URL: "http://127.0.0.1:8000/",
        APIDOC_API_JSON: path.join(FIXTURE, "api.json"), APIDOC_UNKNOWN_NAMES: "ignore" } });
    const diff = execFileSync("bash", ["-c", `diff -r "${SITE}" "${path.join(tmp, "site")}" && echo same`]).toString();
    assert.match(diff, /same/);
    const md = path.join(tmp, "md");
    // The hand-written pages too: the search indexes them.
    fs.cpSync(path.join(ROOT, "build/site-fixture/docs"), md, { recursive: true,
      filter: (src) => !/\/docs\/(api|tags|assets)(\/|$)/.test(src) });
    // Second generation with the clang ASan+UBSan build: same bytes, no sanitizer report.
    execFileSync(path.join(ROOT, "build/site/markdown-asan"), ["--out", md, "--tags", "docs/tags.yml",
      "--source-root", "tests/site/fixture", "tests/site/fixture/api.json"],
      { cwd: ROOT, env: { ...process.env, ASAN_OPTIONS: "detect_leaks=1" } });
    for (const dir of ["api", "tags"]) {
      const same = execFileSync("bash", ["-c", `diff -r "${path.join(ROOT, "build/site-fixture/docs", dir)}" "${path.join(md, dir)}" && echo same`]).toString();
      assert.match(same, /same/);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
