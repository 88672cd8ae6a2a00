// SPDX-License-Identifier: MIT
// The fixture site (make site-fixture) is publishable anywhere: site/ holds only the site,
// sitemap.xml lists real URLs under SITE_URL, the site and its 404 page work unchanged under a
// sub-path (/alloc/), api.json is published and linked with its schema, the version from
// VERSION and the rendered CHANGELOG.md are on the site.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, useSite } = require("./helpers.js");

const SITE = path.join(ROOT, "build/site-fixture/site");
const SITE_URL = "http://127.0.0.1:8000/"; // what mk/docs.mk passes by default
const VERSION = fs.readFileSync(path.join(ROOT, "VERSION"), "utf8").trim();

let http, page;
useSite(SITE, (s) => ({ http, page } = s), { prefix: "/alloc/" });

function walk(dir, rel = "") {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(dir, path.join(rel, d.name)) : [path.join(rel, d.name)]);
}

test("site_holds_only_the_site", () => {
  const files = walk(SITE);
  for (const f of files) {
    assert.doesNotMatch(f, /(^|\/)(Doxyfile|tags\.yml|sphinx\/.*|.*\.py|.*\.rst)$/, f);
    assert.doesNotMatch(f, /^assets\/javascripts\/(lunr|workers)\//, f);
  }
  assert.deepEqual(fs.readdirSync(SITE).filter((f) => !fs.statSync(path.join(SITE, f)).isDirectory()).sort(),
    ["404.html", "CHANGELOG.html", "api-json.html", "api.json", "apidoc.html", "index.html", "sitemap.xml", "sitemap.xml.gz"]);
});

test("sitemap_lists_every_page_at_a_real_url_under_site_url", () => {
  const xml = fs.readFileSync(path.join(SITE, "sitemap.xml"), "utf8");
  const locs = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
  const pages = walk(SITE).filter((f) => f.endsWith(".html") && f !== "404.html").sort();
  assert.equal(locs.length, pages.length);
  for (const loc of locs) {
    assert.ok(loc.startsWith(SITE_URL), loc);
    assert.ok(fs.existsSync(path.join(SITE, decodeURI(loc.slice(SITE_URL.length)))), loc);
  }
});

test("under_a_sub_path_every_request_of_a_page_succeeds_and_search_links_stay_under_it", async () => {
  const failed = [];
  const listener = (r) => { if (r.status() >= 400) failed.push(r.url()); };
  page.on("response", listener);
  try {
    for (const file of ["index.html", "api/PageAllocator.html", "guides/violation-catalogue.html", "tags/Page.html"]) {
      await page.goto(http.url + file);
      assert.ok(await page.locator(".apidoc-search-button").isVisible(), file);
    }
    assert.deepEqual(failed, []);
    await page.keyboard.press("/");
    await page.keyboard.type("PageAllocatorDeinit");
    await Promise.all([page.waitForURL(/\/alloc\/api\/PageAllocatorDeinit\.html$/), page.keyboard.press("Enter")]);
  } finally {
    page.off("response", listener);
  }
});

test("the_404_page_works_at_any_depth_under_the_sub_path", async () => {
  for (const missing of ["nope.html", "api/Nope.html", "api/source/include/alloc/Nope.h.html"]) {
    const res = await page.goto(http.url + missing);
    assert.equal(res.status(), 404);
    // Every stylesheet and script of the page resolves (through its <base>) under /alloc/.
    // (Chromium's preload scanner may guess a few URLs before the <base> exists; those are not
    // the page's requests.)
    const urls = await page.evaluate(() => Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"))
      .map((e) => e.href || e.src));
    assert.ok(urls.length >= 5);
    for (const url of urls) {
      assert.ok(url.startsWith(http.url), url);
      assert.equal((await page.request.get(url)).status(), 200, url);
    }
    // Styled (Material's stylesheet applied), and its links lead back into /alloc/.
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".md-header")).position), "sticky");
    const home = await page.locator(".md-header__button.md-logo").evaluate((a) => a.href);
    assert.equal(home, http.url + "index.html");
    await page.keyboard.press("/");
    await page.keyboard.type("PageAllocatorDeinit");
    assert.equal(await page.locator(".apidoc-result__link").first().evaluate((a) => a.href),
      http.url + "api/PageAllocatorDeinit.html");
  }
});

test("api_json_is_published_and_linked_from_the_home_page_with_its_schema", async () => {
  const res = await page.goto(http.url + "api.json");
  assert.equal(res.status(), 200);
  assert.deepEqual(JSON.parse(await res.text()), JSON.parse(fs.readFileSync(path.join(ROOT, "tests/site/fixture/api.json"), "utf8")));
  await page.goto(http.url + "index.html");
  assert.equal(await page.locator("article a", { hasText: /^api\.json$/ }).getAttribute("href"), "api.json");
  const schema = page.locator("article a[href='api-json.html']");
  assert.equal(await schema.count(), 1);
  await schema.click();
  assert.match(await page.locator("h1").innerText(), /api\.json/);
});

test("the_version_from_VERSION_is_on_every_page_and_the_changelog_is_rendered", async () => {
  for (const file of ["index.html", "api/PageAllocator.html", "404.html"]) {
    await page.goto(http.url + file);
    assert.equal((await page.locator(".md-copyright__highlight").innerText()).trim(), `alloc ${VERSION}`, file);
  }
  await page.goto(http.url + "index.html");
  await page.locator("article a[href='CHANGELOG.html']").click();
  assert.equal(await page.locator("h1").evaluate((e) => e.firstChild.textContent), "Changelog");
  assert.equal(await page.locator(`h2[id="${VERSION.replace(/\./g, "")}"]`).count(), 1);
  assert.ok(await page.locator(".md-nav__link", { hasText: "Changelog" }).count());
});
