// SPDX-License-Identifier: MIT
// Search of the fixture site (make site-fixture): ranking tiers and tie-breaks, fields, enum
// constants and guides as entries, type-based search, unknown filters, the query in ?q=, the
// modal dialog (aria-modal, focus trap, focus returned) and the panel on a 390 px phone.
// Expected results are computed from tests/site/fixture/api.json, never listed by hand.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, useSite } = require("./helpers.js");

const SITE = path.join(ROOT, "build/site-fixture/site");
const api = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/site/fixture/api.json"), "utf8"));
const byId = Object.fromEntries(api.symbols.map((s) => [s.id, s]));
const uses = (s) => (s.use_count != null ? s.use_count : s.references.length);
const flat = (s) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

let http, page, openSearch;
useSite(SITE, (s) => ({ http, page, openSearch } = s));

const names = () => page.locator(".apidoc-result__name").allTextContents();
const hrefs = () => page.locator(".apidoc-result__link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));

test("exact_name_first_then_prefix_matches_ordered_by_kind_then_use_count_not_length", async () => {
  await openSearch("page alloc");
  const got = await names();
  // Every public type, function and function-like macro whose name starts with "pagealloc",
  // by use count (then name): the prefix tier, before any field or constant of that tier.
  const want = api.symbols.filter((s) => flat(s.name).startsWith("pagealloc") && s.kind !== "object-macro")
    .sort((a, b) => uses(b) - uses(a) || (a.name < b.name ? -1 : 1)).map((s) => s.name);
  assert.deepEqual(got.slice(0, want.length), want);
  // A longer name with more uses comes before a shorter one with fewer.
  assert.ok(got.indexOf("PageAllocatorPageSize") < got.indexOf("PageAllocatorDeinit"));
  assert.ok(got.indexOf("page_allocator_allocate") < got.indexOf("PAGE_ALLOCATOR_MAGIC"));
  assert.ok(got.indexOf("PAGE_ALLOCATOR_MAGIC") < got.length);
  await openSearch("PageAllocator");
  assert.equal((await names())[0], "PageAllocator");
});

test("whole_name_parts_rank_before_substrings_and_typos_rank_the_closest_name_first", async () => {
  await openSearch("Free");
  const got = await names();
  assert.deepEqual(got.slice(0, 2), ["AllocatorFree", "allocator_free_dyn"]);
  // Fields whose name has the part `free` come after the API of that tier, by name.
  const fields = got.filter((n) => n.startsWith("PageAllocator.free"));
  assert.deepEqual(fields, [...fields].sort());
  assert.ok(got.indexOf(fields[0]) > got.indexOf("allocator_free_dyn"));
  await openSearch("PageAlocator");
  const typo = await names();
  assert.equal(typo[0], "PageAllocator");
  assert.ok(typo.indexOf("PageAllocatorPageSize") > 0);
  await openSearch("locator");
  assert.ok((await names()).includes("PageAllocator"));
});

test("a_typo_swapping_two_neighbouring_letters_is_one_edit", async () => {
  // `szie` is one swap from `size` (two Levenshtein edits, over the one a 4-letter word may have).
  const size = api.symbols.find((s) => flat(s.name) === "size");
  await openSearch("szie");
  assert.equal((await names())[0], size.name);
  // A swap inside one word of several: `pgae alloc` ranks as `page alloc` does, all of its prefix
  // matches found.
  await openSearch("page alloc");
  const spelled = await names();
  await openSearch("pgae alloc");
  const swapped = await names();
  assert.equal(swapped[0], spelled[0]);
  const prefixed = api.symbols.filter((s) => flat(s.name).startsWith("pagealloc")).map((s) => s.name);
  for (const name of prefixed) assert.ok(swapped.includes(name), name);
  // And a swap in a whole name.
  await openSearch("PgaeAllocator");
  assert.equal((await names())[0], "PageAllocator");
});

test("fields_and_enum_constants_are_entries_linked_to_their_anchors", async () => {
  await openSearch("free_entries");
  assert.equal((await names())[0], "PageAllocator.free_entries");
  assert.match((await hrefs())[0], /(^|\/)api\/PageAllocator\.html#field-free_entries$/);
  await openSearch("PageAllocator.free_entries");
  assert.equal((await names())[0], "PageAllocator.free_entries");
  await openSearch("ALLOCATOR_EFFORT_RETRY");
  assert.equal((await names())[0], "ALLOCATOR_EFFORT_RETRY");
  assert.match((await hrefs())[0], /(^|\/)api\/AllocatorEffort\.html#value-ALLOCATOR_EFFORT_RETRY$/);
  assert.equal(await page.locator(".apidoc-result__kind").first().innerText(), "constant");
});

test("guides_are_found_by_heading_and_by_text_and_link_to_the_heading", async () => {
  await openSearch("The matrix");
  assert.equal((await names())[0], "The matrix");
  const href = (await hrefs())[0];
  assert.match(href, /guides\/violation-catalogue\.html#the-matrix$/);
  await Promise.all([page.waitForURL(/#the-matrix$/), page.keyboard.press("Enter")]);
  assert.equal(await page.locator("h2#the-matrix").count(), 1);
  await openSearch("double free");
  assert.ok((await hrefs()).some((h) => /guides\/violation-catalogue\.html#/.test(h)));
});

test("every_heading_entry_of_the_search_data_links_to_an_anchor_that_exists", async () => {
  const data = fs.readFileSync(path.join(SITE, "api/search-index.js"), "utf8");
  const index = JSON.parse(data.slice(data.indexOf("{"), data.lastIndexOf("}") + 1));
  const byPage = new Map();
  for (const r of index.entries) {
    if (index.kinds[r[1]] !== "guide") continue;
    const file = index.files[r[2]].replace(/\.md$/, ".html");
    if (!byPage.has(file)) byPage.set(file, []);
    byPage.get(file).push({ heading: r[0], anchor: r[8] });
  }
  assert.ok(byPage.size >= 4);
  for (const [file, headings] of byPage) {
    await page.goto(http.url + file);
    const ids = await page.evaluate(() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
      .map((h) => [h.id, h.textContent.replace(/¶$/, "").trim()]));
    for (const h of headings) {
      if (!h.anchor) continue; // the page title links the page
      const found = ids.find(([id]) => id === h.anchor);
      assert.ok(found, `${file}#${h.anchor}`);
      assert.equal(found[1], h.heading, `${file}#${h.anchor}`);
    }
  }
});

test("type_search_finds_functions_and_generic_macros_by_parameter_and_return_types", async () => {
  const takes = (s, type) => s.params.some((p) => p.type === type);
  const arms = (s) => s.dispatch.map((d) => d.function_id && byId[d.function_id]).filter(Boolean);
  const matches = (pred) => api.symbols.filter((s) => (s.kind === "function" && s.return_type && pred(s)) ||
    arms(s).some(pred)).map((s) => s.name).sort();
  await openSearch("PageAllocator *");
  assert.deepEqual((await names()).sort(), matches((s) => takes(s, "PageAllocator *")));
  await openSearch("-> void *");
  assert.deepEqual((await names()).sort(), matches((s) => s.return_type === "void *"));
  await openSearch("size -> void *");
  assert.deepEqual((await names()).sort(), matches((s) => s.return_type === "void *" && takes(s, "size")));
  // Exactly these parameters rank before a signature with more.
  await openSearch("PageAllocator *");
  const got = await names();
  assert.ok(got.indexOf("PageAllocatorDeinit") < got.indexOf("page_allocator_allocate"));
});

test("unknown_tag_kind_and_in_values_say_so", async () => {
  for (const [query, message] of [["tag:Nope", /^Unknown tag “Nope”/], ["kind:gadget free", /^Unknown kind “gadget”: use one of .*function/],
    ["in:Nope.h", /^No header or page matches in:Nope\.h\./]]) {
    await openSearch(query);
    assert.match(await page.locator(".apidoc-search__count").innerText(), message);
    assert.equal(await page.locator(".apidoc-result").count(), 0);
  }
  await openSearch("kind:macro");
  const want = api.symbols.filter((s) => s.kind.endsWith("macro")).map((s) => s.name).sort();
  assert.deepEqual((await names()).sort(), want);
});

test("the_query_is_mirrored_in_the_url_and_read_back_from_it", async () => {
  await openSearch("page alloc");
  // Mirrored once typing pauses (a quarter of a second).
  await page.waitForURL((u) => u.searchParams.get("q") === "page alloc", { timeout: 2000 });
  await page.keyboard.press("Escape");
  assert.equal(new URL(page.url()).searchParams.get("q"), null);
  await page.goto(http.url + "api/PageAllocator.html?q=free_entries");
  assert.ok(await page.locator(".apidoc-search").isVisible());
  assert.equal(await page.locator(".apidoc-search__input").inputValue(), "free_entries");
  assert.equal((await names())[0], "PageAllocator.free_entries");
});

test("the_dialog_is_a_modal_that_traps_focus_and_returns_it", async () => {
  await page.goto(http.url + "api/PageAllocator.html");
  const dialog = page.locator("[role=dialog]");
  // Opened from a link on the page: focus goes back to that link.
  await page.locator("article a[href$='.html']").first().focus();
  const opener = await page.evaluate(() => document.activeElement.outerHTML);
  await page.keyboard.press("/");
  assert.equal(await dialog.getAttribute("aria-modal"), "true");
  assert.equal(await page.evaluate(() => document.getElementById(
    document.querySelector("[role=dialog]").getAttribute("aria-labelledby")).textContent), "Search the API");
  await page.keyboard.type("alloc");
  for (const key of ["Tab", "Shift+Tab"]) {
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(key);
      assert.ok(await page.evaluate(() => document.querySelector("[role=dialog]").contains(document.activeElement)), `${key} ${i}`);
    }
  }
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.activeElement.outerHTML), opener);
  // Opened with the header button: focus goes back to the button.
  await page.locator(".apidoc-search-button").click();
  assert.ok(await dialog.isVisible());
  await page.locator(".apidoc-search__close").click();
  assert.ok(!(await dialog.isVisible()));
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains("apidoc-search-button")));
});

test("on_a_390_px_phone_the_panel_shows_at_least_six_results", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await openSearch("a");
    assert.ok((await page.locator(".apidoc-result").count()) >= 6);
    const visible = await page.evaluate(() => {
      const box = document.querySelector(".apidoc-search__results").getBoundingClientRect();
      return Array.from(document.querySelectorAll(".apidoc-result")).filter((li) => {
        const r = li.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= Math.min(box.bottom, window.innerHeight) && r.height > 0;
      }).length;
    });
    assert.ok(visible >= 6, `${visible} results visible`);
    fs.mkdirSync(path.join(ROOT, "build/screenshots"), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, "build/screenshots/search-390.png") });
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
