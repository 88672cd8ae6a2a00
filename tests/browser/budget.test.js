// Size budgets of the reference site, pinned on a stress tree: the fixture's api.json with `size`
// used by 400 functions in 30 files (long example functions) and 150 more documented functions, each
// with 300 example functions, so that an unbounded "Used by", examples list or full text would
// blow the budgets: a symbol page <= 50 KB of HTML (before shared assets), the search data
// <= 30 KB gzip; and whatever a page leaves out, it says how many.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const zlib = require("node:zlib");
const { ROOT, buildSite, readSearchIndex } = require("./helpers.js");

const PAGE_BUDGET = 50 * 1000;
const SEARCH_BUDGET = 30 * 1000;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "apidoc-budget-"));
const SITE = path.join(TMP, "site");

function stressTree() {
  const api = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/site/fixture/api.json"), "utf8"));
  const size = api.symbols.find((s) => s.name === "size");
  const body = Array.from({ length: 39 }, (_, i) => `    total += (size)${i} * stride; // step ${i}`).join("\n");
  for (let i = 0; i < 400; i++) {
    const file = i % 3 ? `tests/stress/t${i % 20}.c` : `src/stress/s${i % 10}.c`;
    const fn = `stress_function_number_${i}_of_the_tree`, start = 10 + 50 * Math.floor(i / 30);
    size.references.push({ file, line: start + 20, column: 5, kind: "type", function: fn,
      function_start: start, function_end: start + 42, category: i % 3 ? "test" : "library" });
    size.examples.push({ file, function: fn, start, end: start + 42, category: i % 3 ? "test" : "library",
      use_lines: [start + 20], code: `static size ${fn}(size stride) {\n    size total = 0;\n${body}\n    return total;\n}\n` });
  }
  const model = api.symbols.find((s) => s.name === "allocator_free_dyn");
  const header = api.files.find((f) => f.path === model.header);
  for (let k = 0; k < 150; k++) {
    const s = JSON.parse(JSON.stringify(model));
    s.name = `stress_free_${k}`;
    s.id = `function:${s.name}`;
    s.declaration = s.declaration.replace(/allocator_free_dyn/g, s.name);
    s.doc.description = `Release block number ${k} of the stress tree; word${k}a word${k}b word${k}c; ` +
      `see stress_free_${(k + 1) % 150}.`;
    s.references = [];
    s.examples = Array.from({ length: 300 }, (_, i) => ({ file: `tests/stress/e${k}.c`,
      function: `example_${k}_calls_it_from_test_${i}`, start: 1 + 10 * i, end: 5 + 10 * i,
      category: "test", use_lines: [3 + 10 * i], code: `static void f(void) {\n    (void)0;\n    ${s.name}(0, 0);\n}\n` }));
    api.symbols.push(s);
    header.symbols.push(s.id);
  }
  return api;
}

before(() => {
  const json = path.join(TMP, "api.json");
  fs.writeFileSync(json, JSON.stringify(stressTree()));
  buildSite({ markdown: path.join(ROOT, "build/site/markdown"), apiJson: json,
    sourceRoot: path.join(ROOT, "tests/site/fixture"), dir: TMP });
});
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

test("every_symbol_page_of_the_stress_tree_stays_within_50_kb", () => {
  const names = stressTree().symbols.map((s) => s.name);
  let largest = { name: "", bytes: 0 };
  for (const name of names) {
    const bytes = fs.statSync(path.join(SITE, "api", name + ".html")).size;
    if (bytes > largest.bytes) largest = { name, bytes };
  }
  assert.ok(largest.bytes <= PAGE_BUDGET, `${largest.name}.html is ${largest.bytes} bytes, budget ${PAGE_BUDGET}`);
});

test("search_data_of_the_stress_tree_stays_within_30_kb_gzip", () => {
  const data = fs.readFileSync(path.join(SITE, "api/search-index.js"));
  const gz = zlib.gzipSync(data, { level: 9 }).length;
  assert.ok(gz <= SEARCH_BUDGET, `search-index.js is ${gz} bytes gzip, budget ${SEARCH_BUDGET}`);
});

test("a_bounded_page_says_how_many_uses_it_leaves_out", () => {
  const md = fs.readFileSync(path.join(TMP, "docs/api/size.md"), "utf8");
  // 400 stress functions of 43 lines + the fixture's own: one is shown (the first always is:
  // whole, folded to the lines around the use behind its expand control), 4 more are listed,
  // the rest counted.
  const n = Number(md.match(/^(\d+) functions use `size`/m)[1]);
  assert.ok(n >= 400);
  assert.match(md, new RegExp(`^- and ${n - 5} more functions, listed by file under \\[Used by\\]`, "m"));
  assert.equal((md.match(/^More uses:$/gm) || []).length, 1);
  assert.match(md, /<label for="unfold-\d+"><span class="apidoc-unfold__more">Show all 43 lines<\/span>/);
  const block = md.slice(md.indexOf('<div class="highlight apidoc-code">', md.indexOf("## Examples from the code")));
  const lines = block.slice(0, block.indexOf("</code>")).match(/<i data-n="\d+"><\/i>/g);
  assert.equal(lines.length, 43, "the whole function is on the page, folded");
  // Used by: 20 test files of 13-14 functions and 10 library files, 3 listed each, the rest counted.
  const usedBy = md.slice(md.indexOf("## Used by"));
  const t0 = usedBy.match(/^- `tests\/stress\/t0\.c` \((\d+)\):.* and (\d+) more$/m);
  assert.ok(t0, "tests/stress/t0.c line with a count");
  assert.equal(Number(t0[2]), Number(t0[1]) - 3);
  assert.ok(usedBy.indexOf("**In the library and examples**") < usedBy.indexOf("**In tests**"));
});

test("full_text_finds_words_of_descriptions_but_not_example_or_api_names", () => {
  const index = readSearchIndex(SITE);
  const entry = index.entries.findIndex((r) => r[0] === "stress_free_7");
  assert.ok(index.postingsOf("word7b").includes(entry));
  // An example function's name is no word of the text (a name tier finds what a name finds), nor
  // is a compound public name written in a description.
  assert.equal(index.words.indexOf("example_7_calls_it_from_test_0"), -1);
  assert.equal(index.words.indexOf("stress_free_7"), -1); // written in stress_free_6's description
});
