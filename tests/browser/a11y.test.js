// SPDX-License-Identifier: MIT
// Accessibility of the fixture site (make site-fixture): axe-core (npm) over every page template
// in light and in dark mode, the search dialog open included: no serious or critical violation,
// colour contrast included. At 390 px the fields and parameters tables break no identifier.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, useSite, TEMPLATES, loadInScheme, seriousViolations } = require("./helpers.js");

const SITE = path.join(ROOT, "build/site-fixture/site");
const SHOTS = path.join(ROOT, "build/screenshots");
let http, page;
useSite(SITE, (s) => ({ http, page } = s));

async function load(scheme, file) {
  assert.equal(await loadInScheme(page, http.url + file, scheme), scheme === "dark" ? "slate" : "default");
}

for (const scheme of ["light", "dark"]) {
  for (const [name, file] of Object.entries(TEMPLATES)) {
    test(`axe_finds_no_serious_violation_on_the_${name}_page_in_${scheme}_mode`, async () => {
      await load(scheme, file);
      assert.deepEqual(await seriousViolations(page), []);
    });
  }
  test(`axe_finds_no_serious_violation_with_the_search_open_in_${scheme}_mode`, async () => {
    await load(scheme, "api/PageAllocator.html");
    await page.keyboard.press("/");
    await page.keyboard.type("alloc");
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `a11y-search-${scheme}.png`) });
    assert.deepEqual(await seriousViolations(page), []);
  });
}

test("at_390_px_field_and_parameter_tables_break_no_identifier_mid_word", async () => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    for (const file of ["api/PageAllocator.html", "api/page_allocator_allocate.html", "api/AllocatorStats.html"]) {
      await page.goto(http.url + file);
      const broken = await page.evaluate(() => {
        const out = [];
        let checked = 0;
        for (const code of document.querySelectorAll("article table td code")) {
          const text = code.firstChild && code.firstChild.nodeType === 3 ? code.firstChild : null;
          if (!text) continue;
          for (const m of text.data.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
            const range = document.createRange();
            range.setStart(text, m.index);
            range.setEnd(text, m.index + m[0].length);
            const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
            checked++;
            if (lines.size > 1) out.push(m[0]);
          }
        }
        return { out, checked };
      });
      assert.ok(broken.checked > 0, `${file}: identifiers in tables`);
      assert.deepEqual(broken.out, [], file);
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.goto(http.url + "api/PageAllocator.html#fields");
    await page.screenshot({ path: path.join(SHOTS, "fields-390.png") });
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
