// SPDX-License-Identifier: MIT
// Search of the alloc reference over window.APIDOC_INDEX (api/search-index.js, written by
// tools/apidoc/gen_md_search.c and loaded by a <script> tag, so it also works from file://).
// Entries: symbols, their fields and enum constants, and the hand-written pages by heading.
// Ranking, best first: exact name > name prefix > every query word starting a name part, in
// order (whole parts first) > in any order > substring > typo (a swap of two neighbouring
// letters is one edit, as in optimal string alignment) > full text (the word itself before words
// it starts); ties broken by rank class (the API, then the guides' sections, then vtable
// adapters, then constants, fields and enum constants), then by use count, then by name —
// never by name length.
// Type-based search: `PageAllocator *` (functions and _Generic macros taking one), `-> void *`,
// `size, int8_t -> void *`. Filters tag:, kind:, in: combine; an unknown value says so.
// The dialog is a modal (aria-modal, focus trapped, focus returned); the query is kept in ?q=.
// All data is put into the page with textContent, never as HTML.
(function () {
  "use strict";
  var INDEX = window.APIDOC_INDEX;
  if (!INDEX) return;
  var script = document.currentScript;
  var base = script && script.src ? script.src.replace(/assets\/search\.js(\?.*)?$/, "") : "";
  var MAX_SHOWN = 50;
  // Match tiers (higher first).
  var T_EXACT = 70, T_PREFIX = 60, T_PARTS_WHOLE = 55, T_PARTS = 50, T_PARTS_ANY = 40, T_SUBSTRING = 30,
    T_TYPO_WHOLE = 25, T_TYPO = 20, T_TEXT = 10;

  function splitParts(name) {
    var parts = [];
    name.split(/[^A-Za-z0-9]+/).forEach(function (chunk) {
      var m = chunk.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g);
      if (m) m.forEach(function (p) { parts.push(p.toLowerCase()); });
    });
    return parts;
  }

  // The stem of a full-text word: the same rules as md_search_stem in gen_md_search.c.
  function stem(w) {
    if (!/^[a-z]+$/.test(w) || w.length < 4) return w;
    var n = w.length;
    if (n > 4 && w.slice(-3) === "ies") w = w.slice(0, -2);
    else if (w[n - 1] === "s" && "sui".indexOf(w[n - 2]) < 0) w = w.slice(0, -1);
    n = w.length;
    if (n >= 6 && w.slice(-3) === "ing") w = w.slice(0, -3);
    else if (n >= 5 && w.slice(-2) === "ed") w = w.slice(0, -2);
    if (w.length >= 4 && w[w.length - 1] === "e") w = w.slice(0, -1);
    if (w.length >= 4 && w[w.length - 1] === "y") w = w.slice(0, -1) + "i";
    return w;
  }

  var aliases = {};
  INDEX.aliases.forEach(function (a) { aliases[a[0]] = a[1]; });
  var DROP = { "const": 1, "volatile": 1, "restrict": 1, "struct": 1, "union": 1, "enum": 1 };
  // A C type spelled as md_search_type in gen_md_search.c spells the index's types.
  function normType(t) {
    var out = "";
    var re = /\s+|([A-Za-z0-9_]+)|(.)/g, m;
    while ((m = re.exec(t)) !== null) {
      if (m[1]) {
        if (DROP[m[1]]) continue;
        out += (out ? " " : "") + (aliases[m[1]] || m[1]);
      } else if (m[2]) {
        var c = m[2], last = out[out.length - 1];
        if (c === "*" && out && last !== "*") out += " ";
        else if (c !== "*" && out && last !== "(" && c !== ")" && c !== ",") out += " ";
        out += c;
      }
    }
    return out;
  }

  // --- The index ---------------------------------------------------------------------------
  var tags = INDEX.tags.map(function (t) { return { name: t[0], desc: t[1], synonyms: t[2] }; });
  var words = [];
  (function () {
    var prev = "";
    INDEX.words.split(" ").forEach(function (c) {
      if (!c) return;
      prev = prev.slice(0, parseInt(c[0], 36)) + c.slice(1);
      words.push(prev);
    });
  })();
  var common = {};
  INDEX.common.forEach(function (w) { common[w] = 1; });

  // The bit of a letter or digit in a letter set (digits share six bits: a set may claim a digit
  // it lacks, never lack one it has).
  function letterBit(c) { return c >= 97 ? 1 << (c - 97) : 1 << (26 + (c - 48) % 6); }
  function letterSet(flat) {
    var set = 0;
    for (var i = 0; i < flat.length; i++) set |= letterBit(flat.charCodeAt(i));
    return set;
  }
  function makeKey(name) {
    var parts = splitParts(name), starts = [], flat = "";
    parts.forEach(function (p) { starts.push(flat.length); flat += p; });
    return { lower: name.toLowerCase(), flat: flat, parts: parts, starts: starts, letters: letterSet(flat) };
  }

  var guideTitles = {}; // file -> page title: a page's first entry carries it, the others ""
  var entries = INDEX.entries.map(function (r, i) {
    var kind = INDEX.kinds[r[1]], file = INDEX.files[r[2]], name = r[0], sig = r[3], url, keys;
    if (kind === "field") {
      var dot = name.indexOf(".");
      sig = r[3] + (/\*$/.test(r[3]) ? "" : " ") + name.slice(dot + 1);
      url = "api/" + (r[8] || name.slice(0, dot)) + ".html#field-" + name.slice(dot + 1);
      keys = [makeKey(name)]; // `free` is a part of PageAllocator.free_entries, never its name
    } else if (kind === "enum-constant") {
      url = "api/" + r[8] + ".html#value-" + name;
      keys = [makeKey(name)];
    } else if (kind === "guide") {
      if (!(file in guideTitles)) guideTitles[file] = sig;
      sig = guideTitles[file];
      url = file.replace(/\.md$/, ".html") + (r[8] ? "#" + r[8] : "");
      keys = [makeKey(name)];
    } else {
      url = "api/" + (r[8] || name) + ".html";
      keys = [makeKey(name)];
    }
    return {
      id: i, name: name, kind: kind, file: file, sig: sig, brief: r[4], tags: r[5], uses: r[6], rank: r[7],
      sigs: r[9], keys: keys, url: base + url, text: []
    };
  });
  // Postings: per word, gaps between entry indexes, each in base 32 with its last digit from
  // "0-9a-v" and the others from "w-zA-Z-_" (md_search_gap in gen_md_search.c).
  var GAP_MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  INDEX.postings.split(",").forEach(function (list, w) {
    var at = 0, gap = 0;
    for (var c = 0; c < list.length; c++) {
      var more = GAP_MORE.indexOf(list[c]);
      if (more >= 0) { gap = gap * 32 + more; continue; }
      at += gap * 32 + parseInt(list[c], 32);
      gap = 0;
      if (entries[at]) entries[at].text.push(words[w]);
    }
  });
  var fileNames = INDEX.files.map(function (f) { return f.toLowerCase(); });

  // MiniSearch holds the full text: "about" (name parts and brief) and "text" (the rest, from the
  // index, stemmed already); built on first use.
  var mini = null;
  function miniSearch() {
    if (mini || typeof MiniSearch === "undefined") return mini;
    mini = new MiniSearch({
      fields: ["about", "text"],
      extractField: function (doc, field) {
        if (field === "text") return doc.text.join(" ");
        if (field === "about") return doc.keys[0].parts.join(" ") + " " + doc.brief;
        return doc[field];
      },
      tokenize: function (s) { return s.split(/[^A-Za-z0-9_]+/); },
      processTerm: function (t) { return t ? stem(t.toLowerCase()) : null; }
    });
    mini.addAll(entries);
    return mini;
  }

  // --- Queries -----------------------------------------------------------------------------
  function findTag(word) {
    var w = word.toLowerCase();
    for (var i = 0; i < tags.length; i++) {
      if (tags[i].name.toLowerCase() === w) return i;
      for (var s = 0; s < tags[i].synonyms.length; s++) if (tags[i].synonyms[s].toLowerCase() === w) return i;
    }
    return -1;
  }

  // kind: values — every kind of the index, and the groups people say.
  var KIND_GROUPS = { macro: ["function-macro", "object-macro"], type: ["struct", "union", "enum", "typedef"],
    constant: ["enum-constant", "object-macro"] };
  function kindSet(value) {
    var v = value.toLowerCase().replace(/_/g, "-");
    if (INDEX.kinds.indexOf(v) >= 0) return [v];
    if (KIND_GROUPS[v]) return KIND_GROUPS[v];
    if (v === "macro()" || v === "function-like-macro") return ["function-macro"];
    return null;
  }

  function parse(query) {
    var q = { words: [], tags: [], kinds: [], files: [], errors: [], types: null };
    var rest = [];
    query.trim().split(/\s+/).forEach(function (tok) {
      if (!tok) return;
      var m = tok.match(/^(tag|kind|in):(.*)$/i);
      if (!m) { rest.push(tok); return; }
      var key = m[1].toLowerCase(), value = m[2];
      if (!value) return; // still being typed
      if (key === "tag") {
        var t = findTag(value);
        if (t < 0) q.errors.push("Unknown tag \u201c" + value + "\u201d: see the Tags page for the " + tags.length + " tags.");
        else q.tags.push(t);
      } else if (key === "kind") {
        var ks = kindSet(value);
        if (!ks) q.errors.push("Unknown kind \u201c" + value + "\u201d: use one of " +
          INDEX.kinds.concat(Object.keys(KIND_GROUPS)).sort().join(", ") + ".");
        else q.kinds.push(ks);
      } else {
        var f = value.toLowerCase();
        if (!fileNames.some(function (n) { return n.indexOf(f) >= 0; }))
          q.errors.push("No header or page matches in:" + value + ".");
        else q.files.push(f);
      }
    });
    var text = rest.join(" ");
    if (/->|\*/.test(text)) {
      var arrow = text.indexOf("->");
      var params = arrow >= 0 ? text.slice(0, arrow) : text;
      q.types = {
        params: params.split(",").map(normType).filter(Boolean),
        ret: arrow >= 0 ? normType(text.slice(arrow + 2)) : null
      };
      if (q.types.ret === "") q.types.ret = null;
    } else {
      text.split(/\s+/).forEach(function (w) { if (w) q.words.push(w.toLowerCase()); });
    }
    return q;
  }

  function passesFilters(e, q) {
    for (var i = 0; i < q.tags.length; i++) if (e.tags.indexOf(q.tags[i]) < 0) return false;
    for (i = 0; i < q.kinds.length; i++) if (q.kinds[i].indexOf(e.kind) < 0) return false;
    for (i = 0; i < q.files.length; i++) if (e.file.toLowerCase().indexOf(q.files[i]) < 0) return false;
    return true;
  }

  function maxEdits(n) { return n < 4 ? 0 : n <= 7 ? 1 : 2; }

  // Edit distance of `a` to `b` (whole) or to the best prefix of `b` (prefix), capped at max + 1.
  // Optimal string alignment: a swap of two neighbouring letters (`pgae`) is one edit, as are an
  // insertion, a deletion and a substitution. Columns j - 2, j - 1 and j of the table are kept.
  var row = new Int32Array(64), prevRow = new Int32Array(64), prev2Row = new Int32Array(64);
  function distance(a, b, from, prefix, max) {
    var n = a.length, m = Math.min(b.length - from, n + max);
    if (n >= 63) return max + 1;
    if (!prefix && Math.abs(b.length - from - n) > max) return max + 1;
    if (!prefix) m = b.length - from;
    if (m > 63) return max + 1;
    for (var i = 0; i <= n; i++) prevRow[i] = i;
    var best = prefix ? prevRow[n] : max + 1;
    for (var j = 1; j <= m; j++) {
      row[0] = j;
      var low = j, bc = b.charCodeAt(from + j - 1), bp = j > 1 ? b.charCodeAt(from + j - 2) : -1;
      for (i = 1; i <= n; i++) {
        var ac = a.charCodeAt(i - 1);
        var v = prevRow[i - 1] + (ac === bc ? 0 : 1);
        if (prevRow[i] + 1 < v) v = prevRow[i] + 1;
        if (row[i - 1] + 1 < v) v = row[i - 1] + 1;
        if (i > 1 && ac === bp && a.charCodeAt(i - 2) === bc && prev2Row[i - 2] + 1 < v) v = prev2Row[i - 2] + 1;
        row[i] = v;
        if (v < low) low = v;
      }
      if (prefix && row[n] < best) best = row[n];
      // A swap reads column j - 1, but never below column j's values: stopping here is safe.
      if (low > max) return prefix ? best : max + 1;
      var t = prev2Row; prev2Row = prevRow; prevRow = row; row = t;
    }
    return prefix ? best : prevRow[n];
  }

  // The same prefix distance by Myers' bit-parallel algorithm in Hyyrö's anchored form, with his
  // transposition term for the same optimal string alignment: one machine word per letter of `b`
  // for a word of n < 32 letters; peq: its letters' bit masks. d0 marks the rows whose diagonal
  // step costs nothing; swap adds those reached by exchanging letters j - 1 and j.
  function prefixDistance(n, peq, b, from, max) {
    var high = 1 << (n - 1), mask = (1 << n) - 1 | 0;
    var pv = mask, mv = 0, score = n, best = n, end = Math.min(b.length, from + n + max);
    var d0 = 0, prevEq = 0;
    for (var j = from; j < end; j++) {
      var c = b.charCodeAt(j), eq = c < 128 ? peq[c] : 0;
      var swap = (((~d0 & eq) << 1) & prevEq) & mask;
      d0 = (((((eq & pv) + pv) & mask) ^ pv) | eq | mv | swap) & mask;
      var ph = mv | (~(d0 | pv) & mask);
      var mh = pv & d0;
      if (ph & high) score++; else if (mh & high) score--;
      ph = ((ph << 1) | 1) & mask;
      mh = (mh << 1) & mask;
      pv = (mh | ~(d0 | ph)) & mask;
      mv = ph & d0;
      prevEq = eq;
      if (score < best) best = score;
    }
    return best;
  }
  // A word's letters as [bit, count, bit, count...]: each letter the name lacks costs one edit
  // per occurrence (a substitution or a deletion; a swap moves letters the name has).
  function letterCounts(word) {
    var counts = [];
    for (var i = 0; i < word.length; i++) {
      var bit = letterBit(word.charCodeAt(i)), j = 0;
      while (j < counts.length && counts[j] !== bit) j += 2;
      if (j < counts.length) counts[j + 1]++; else counts.push(bit, 1);
    }
    return counts;
  }
  // Fewer edits than this never turn `counts`' word into any part of a name with these letters.
  function missingLetters(counts, letters) {
    var n = 0;
    for (var j = 0; j < counts.length; j += 2) if (!(letters & counts[j])) n += counts[j + 1];
    return n;
  }
  function peqOf(word) {
    var peq = new Int32Array(128);
    for (var i = 0; i < word.length && i < 31; i++) peq[word.charCodeAt(i) & 127] |= 1 << i;
    return peq;
  }

  // The tier of one name key against the query's words (flattened: letters and digits only).
  var peqs = [], wordLetters = [], queryLetters = [];
  function keyTier(k, flats, qflat) {
    if (!qflat) return 0;
    var flatName = k.flat, starts = k.starts, i, w;
    var sub = true;
    for (w = 0; w < flats.length && sub; w++) sub = flatName.indexOf(flats[w]) >= 0;
    if (sub) {
      if (flatName === qflat || k.lower === qflat) return T_EXACT;
      if (flatName.indexOf(qflat) === 0) return T_PREFIX;
      var part = 0, whole = true, inOrder = true;
      for (w = 0; w < flats.length && inOrder; w++) {
        for (i = part; i < starts.length; i++) if (flatName.startsWith(flats[w], starts[i])) break;
        if (i === starts.length) { inOrder = false; break; }
        var end = starts[i] + flats[w].length;
        if (end !== flatName.length && starts.indexOf(end) < 0) whole = false;
        part = i + 1;
        while (part < starts.length && starts[part] < end) part++;
      }
      if (inOrder) return whole ? T_PARTS_WHOLE : T_PARTS;
      var any = true;
      for (w = 0; w < flats.length && any; w++) {
        var atPart = false;
        for (i = 0; i < starts.length && !atPart; i++) atPart = flatName.startsWith(flats[w], starts[i]);
        any = atPart;
      }
      return any ? T_PARTS_ANY : T_SUBSTRING;
    }
    var max = maxEdits(qflat.length);
    if (max && Math.abs(flatName.length - qflat.length) <= max && missingLetters(queryLetters, k.letters) <= max &&
        distance(qflat, flatName, 0, false, max) <= max)
      return T_TYPO_WHOLE;
    for (w = 0; w < flats.length; w++) {
      var word = flats[w], mw = maxEdits(word.length), ok = false;
      if (missingLetters(wordLetters[w], k.letters) > mw) return 0;
      for (i = 0; i < starts.length && !ok; i++) {
        var at = starts[i];
        if (!mw) { ok = flatName.startsWith(word, at); continue; }
        // Within mw edits, one of the word's first mw + 1 letters is among the next 2 mw + 1.
        var near = false;
        for (var x = 0; x <= mw && !near; x++) {
          var c = word.charCodeAt(x);
          for (var y = at; y <= at + 2 * mw && y < flatName.length && !near; y++) near = flatName.charCodeAt(y) === c;
        }
        ok = near && (word.length < 32 ? prefixDistance(word.length, peqs[w], flatName, at, mw)
          : distance(word, flatName, at, true, mw)) <= mw;
      }
      if (!ok) return 0;
    }
    return T_TYPO;
  }

  // Whether one word matches a name part (prefix) or sits in the name: for mixed queries.
  function wordInName(e, flat) {
    for (var k = 0; k < e.keys.length; k++) if (e.keys[k].flat.indexOf(flat) >= 0) return true;
    return false;
  }

  function typeTier(e, t) {
    var best = 0;
    for (var s = 0; s < e.sigs.length; s++) {
      var sig = e.sigs[s];
      if (t.ret !== null && INDEX.types[sig[0]] !== t.ret) continue;
      var used = [], ok = true;
      for (var p = 0; p < t.params.length && ok; p++) {
        ok = false;
        for (var a = 1; a < sig.length && !ok; a++)
          if (!used[a] && INDEX.types[sig[a]] === t.params[p]) { used[a] = ok = true; }
      }
      if (!ok) continue;
      best = Math.max(best, !t.params.length || t.params.length === sig.length - 1 ? 2 : 1);
    }
    return best;
  }

  function compare(a, b) {
    return b.tier - a.tier || a.e.rank - b.e.rank || b.e.uses - a.e.uses ||
      (a.e.name < b.e.name ? -1 : a.e.name > b.e.name ? 1 : 0);
  }

  // { results: the first MAX_SHOWN matches, best first; matched: every match, unordered; q }.
  function search(query) {
    var q = parse(query), results = [], i;
    if (q.errors.length) return { results: results, matched: results, q: q };
    if (q.types) {
      if (!q.types.params.length && q.types.ret === null) return { results: results, matched: results, q: q };
      for (i = 0; i < entries.length; i++) {
        var tt = passesFilters(entries[i], q) ? typeTier(entries[i], q.types) : 0;
        if (tt) results.push({ e: entries[i], tier: tt });
      }
    } else if (!q.words.length) {
      if (q.tags.length || q.kinds.length || q.files.length)
        for (i = 0; i < entries.length; i++) if (passesFilters(entries[i], q)) results.push({ e: entries[i], tier: 0 });
    } else {
      var flats = q.words.map(function (w) { return w.replace(/[^a-z0-9]/g, ""); }).filter(Boolean);
      var qflat = flats.join("");
      var textScore = null;
      peqs = flats.map(peqOf);
      wordLetters = flats.map(letterCounts);
      queryLetters = letterCounts(qflat);
      for (i = 0; i < entries.length; i++) {
        var e = entries[i];
        if (!passesFilters(e, q)) continue;
        var tier = 0;
        for (var k = 0; k < e.keys.length; k++) tier = Math.max(tier, keyTier(e.keys[k], flats, qflat));
        if (tier) { results.push({ e: e, tier: tier }); continue; }
        // Full text: every word in the name or the text (common words stand aside).
        if (!textScore) textScore = fullText(q.words);
        var exact = true, all = true, any = false;
        for (var w = 0; w < q.words.length && all; w++) {
          var s = textScore[w];
          if (s === null) continue;
          any = true;
          var hit = s[e.id];
          if (hit === 2) continue;
          if (wordInName(e, flats[w] || "")) continue;
          if (!hit) all = false;
          else exact = false;
        }
        if (all && any) results.push({ e: e, tier: exact ? T_TEXT + 1 : T_TEXT });
      }
    }
    return { results: best(results, MAX_SHOWN), matched: results, q: q };
  }

  // The first k of `all` in compare order, as a stable sort would give them, without sorting the
  // thousands a short query matches: each result enters a sorted top k or is dropped.
  function best(all, k) {
    var top = [];
    for (var i = 0; i < all.length; i++) {
      var r = all[i];
      if (top.length === k && compare(r, top[k - 1]) >= 0) continue;
      var lo = 0, hi = top.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (compare(top[mid], r) <= 0) lo = mid + 1; else hi = mid;
      }
      top.splice(lo, 0, r);
      if (top.length > k) top.pop();
    }
    return top;
  }

  // Per query word: entry id -> 2 when the text has the word (its stem), 1 when a word starting
  // with it; null for a word too common to tell entries apart (it stands aside). The words of the
  // last query are kept: typing `table bytes` searches the text for `table` once, not per letter.
  var textCache = new Map();
  function fullText(qwords) {
    var ms = miniSearch(), kept = new Map();
    var scores = qwords.map(function (w) {
      var s = textCache.has(w) ? textCache.get(w) : wordScores(ms, w);
      kept.set(w, s);
      return s;
    });
    if (ms) textCache = kept; // before MiniSearch loads, a word has no scores yet: keep none
    return scores;
  }
  function wordScores(ms, w) {
    var stemmed = stem(w.replace(/[^a-z0-9_]/g, ""));
    if (common[stemmed] || stemmed.length < 3 || !ms) return null;
    var scores = new Uint8Array(entries.length);
    ms.search(w, { prefix: w.length >= 4 }).forEach(function (r) {
      scores[r.id] = r.terms.indexOf(stemmed) >= 0 ? 2 : 1;
    });
    return scores;
  }

  // --- UI ----------------------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var overlay, panel, input, facetsBox, statusBox, list, button, opener = null, selected = 0, current = [], urlTimer = 0, facetsKey = null;

  function build() {
    overlay = el("div", "apidoc-search");
    overlay.hidden = true;
    panel = el("div", "apidoc-search__panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", "apidoc-search-title");
    var head = el("div", "apidoc-search__head");
    var title = el("h2", "apidoc-search__title", "Search the API");
    title.id = "apidoc-search-title";
    var closeButton = el("button", "apidoc-search__close", "Close");
    closeButton.type = "button";
    closeButton.setAttribute("aria-label", "Close search");
    closeButton.addEventListener("click", function () { close(); });
    head.append(title, closeButton);
    input = el("input", "apidoc-search__input");
    input.type = "search";
    input.placeholder = "Free, page alloc, PageAllocator *, -> void *, tag:Page";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-label", "Search symbols, fields, constants and guides");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "apidoc-search-results");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    facetsBox = el("div", "apidoc-search__facets");
    facetsBox.setAttribute("role", "group");
    facetsBox.setAttribute("aria-label", "Narrow by tag");
    statusBox = el("div", "apidoc-search__count");
    statusBox.setAttribute("role", "status");
    list = el("ul", "apidoc-search__results");
    list.id = "apidoc-search-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Results");
    var help = el("div", "apidoc-search__help",
      "/ search · ↑ ↓ move · Enter open · Esc close · tag:, kind:, in: filter · A * or -> searches by type");
    panel.append(head, input, facetsBox, statusBox, list, help);
    overlay.append(panel);
    document.body.append(overlay);
    overlay.addEventListener("mousedown", function (e) { if (e.target === overlay) close(); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", onKey);
    panel.addEventListener("keydown", trapFocus);

    button = el("button", "apidoc-search-button md-header__button");
    button.type = "button";
    button.title = "Search (/)";
    button.setAttribute("aria-haspopup", "dialog");
    button.append(el("span", "apidoc-search-button__label", "Search"), el("kbd", null, "/"));
    button.addEventListener("click", function () { open(""); });
    var header = document.querySelector(".md-header__inner");
    var palette = header && header.querySelector("[data-md-component=palette]");
    if (header) header.insertBefore(button, palette || null);
    else document.body.prepend(button);
  }

  // Tab and Shift+Tab cycle inside the dialog.
  function trapFocus(e) {
    if (e.key !== "Tab") return;
    var items = Array.prototype.filter.call(panel.querySelectorAll("input, button, [tabindex='0']"),
      function (x) { return !x.disabled && x.offsetParent !== null; });
    if (!items.length) return;
    var first = items[0], last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) { last.focus(); e.preventDefault(); }
    else if (!e.shiftKey && document.activeElement === last) { first.focus(); e.preventDefault(); }
    else if (items.indexOf(document.activeElement) < 0) { first.focus(); e.preventDefault(); }
  }

  function setUrlQuery(value) {
    try {
      var url = new URL(window.location.href);
      if (value) url.searchParams.set("q", value); else url.searchParams.delete("q");
      if (url.href !== window.location.href) history.replaceState(history.state, "", url.href);
    } catch (err) { /* file:// pages may refuse a changed URL: the search works without it */ }
  }

  function open(query) {
    if (overlay.hidden) opener = document.activeElement && document.activeElement !== document.body ? document.activeElement : button;
    overlay.hidden = false;
    document.documentElement.classList.add("apidoc-search-open");
    miniSearch();
    if (query != null && query !== input.value) input.value = query;
    update();
    input.focus();
    input.select();
  }

  function close() {
    if (overlay.hidden) return;
    overlay.hidden = true;
    document.documentElement.classList.remove("apidoc-search-open");
    input.setAttribute("aria-expanded", "false");
    clearTimeout(urlTimer);
    setUrlQuery("");
    var back = opener && opener.isConnected ? opener : button;
    opener = null;
    back.focus();
  }

  function toggleFilter(token) {
    var ws = input.value.trim().split(/\s+/).filter(Boolean);
    var at = ws.findIndex(function (w) { return w.toLowerCase() === token.toLowerCase(); });
    if (at >= 0) ws.splice(at, 1); else ws.push(token);
    input.value = ws.join(" ") + " ";
    update();
    input.focus();
  }

  function renderFacets(results, q) {
    var counts = new Map();
    results.forEach(function (r) { r.e.tags.forEach(function (t) { counts.set(t, (counts.get(t) || 0) + 1); }); });
    var order = Array.from(counts.keys()).sort(function (a, b) {
      return counts.get(b) - counts.get(a) || (tags[a].name < tags[b].name ? -1 : 1);
    });
    var key = order.map(function (t) { return t + ":" + counts.get(t) + (q.tags.indexOf(t) >= 0 ? "*" : ""); }).join(",");
    if (key === facetsKey) return; // the same chips: leave the DOM alone
    facetsKey = key;
    while (facetsBox.children.length > order.length) facetsBox.lastChild.remove();
    order.forEach(function (t, i) {
      var c = chip(i), active = q.tags.indexOf(t) >= 0;
      if (c.tag !== t) {
        c.tag = t;
        c.button.dataset.tag = tags[t].name;
        c.button.title = tags[t].desc;
        c.name.textContent = tags[t].name;
      }
      setText(c.count, String(counts.get(t)));
      if (c.active !== active) {
        c.active = active;
        c.button.setAttribute("aria-pressed", active ? "true" : "false");
        c.button.classList.toggle("apidoc-facet--active", active);
      }
      if (!c.button.parentNode) facetsBox.append(c.button);
    });
  }
  // Tag chips, made once per position and refilled as the results' tags change.
  var chips = [];
  function chip(i) {
    if (chips[i]) return chips[i];
    var c = { button: el("button", "apidoc-facet"), name: el("span", "apidoc-facet__name"),
      count: el("span", "apidoc-facet__count"), tag: -1, active: null };
    c.button.type = "button";
    c.button.append(c.name, c.count);
    c.button.addEventListener("mousedown", function (e) { e.preventDefault(); });
    c.button.addEventListener("click", function () { toggleFilter("tag:" + tags[c.tag].name); });
    return (chips[i] = c);
  }

  // The first FIRST_SHOWN results are filled in with the keystroke (a phone or a desktop panel
  // shows fewer); the rest of the MAX_SHOWN follow right after the frame is painted, laid out only
  // when scrolled to (apidoc-result--later: content-visibility: auto, which a result in view must
  // not have: its text would be missing until the next frame).
  // Result nodes are made once per position and refilled: a keystroke rewrites the text that
  // changed instead of creating (and styling) some 150 elements.
  var FIRST_SHOWN = 12, restTimer = 0, slots = [];
  var KIND_LABEL = { "function-macro": "macro()", "object-macro": "macro", "enum-constant": "constant" };
  function setText(node, text) { if (node.textContent !== text) node.textContent = text; }
  function slot(i) {
    if (slots[i]) return slots[i];
    var li = el("li", i < FIRST_SHOWN ? "apidoc-result" : "apidoc-result apidoc-result--later");
    li.setAttribute("role", "none");
    var a = el("a", "apidoc-result__link");
    a.id = "apidoc-result-" + i;
    a.tabIndex = -1;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    var head = el("div", "apidoc-result__head");
    var s = { li: li, a: a, kind: el("span", "apidoc-result__kind"), name: el("span", "apidoc-result__name"),
      file: el("span", "apidoc-result__file"), sig: el("code", "apidoc-result__sig"), brief: el("div", "apidoc-result__brief"), e: null };
    head.append(s.kind, s.name, s.file);
    a.append(head);
    li.append(a);
    return (slots[i] = s);
  }
  // The slot of position i showing r; the signature and brief are there only when the entry has one.
  function resultItem(r, i) {
    var s = slot(i), e = r.e;
    if (s.e === e) return s.li;
    s.e = e;
    s.a.href = e.url;
    setText(s.kind, KIND_LABEL[e.kind] || e.kind);
    setText(s.name, e.name);
    setText(s.file, e.kind === "guide" ? e.sig : e.file);
    if (e.kind !== "guide") { setText(s.sig, e.sig); if (!s.sig.parentNode) s.a.insertBefore(s.sig, s.brief.parentNode ? s.brief : null); }
    else if (s.sig.parentNode) s.sig.remove();
    if (e.brief) { setText(s.brief, e.brief); if (!s.brief.parentNode) s.a.append(s.brief); }
    else if (s.brief.parentNode) s.brief.remove();
    return s.li;
  }

  // Results from position `filled` on still show the previous query until renderRest: they are
  // below the fold (content-visibility: auto) and refilled before the next frame's timer ends.
  var filled = 0;
  function renderRest() {
    clearTimeout(restTimer);
    for (var i = filled; i < current.length; i++) {
      var li = resultItem(current[i], i);
      if (!li.parentNode) list.append(li);
    }
    filled = current.length;
  }
  function renderResults(results) {
    current = results.slice(0, MAX_SHOWN);
    clearTimeout(restTimer);
    while (list.children.length > current.length) list.lastChild.remove();
    filled = Math.min(current.length, FIRST_SHOWN);
    for (var i = 0; i < filled; i++) {
      var li = resultItem(current[i], i);
      if (!li.parentNode) list.append(li);
    }
    if (current.length > filled) restTimer = setTimeout(renderRest, 0);
    input.setAttribute("aria-expanded", current.length ? "true" : "false");
    select(0);
  }

  function select(i, scroll) {
    if (i >= filled) renderRest();
    var n = list.children.length, before = slots[selected] && slots[selected].a;
    if (!n) {
      if (before) before.setAttribute("aria-selected", "false");
      input.removeAttribute("aria-activedescendant");
      return;
    }
    selected = Math.max(0, Math.min(i, n - 1));
    var link = slots[selected].a;
    if (before && before !== link) before.setAttribute("aria-selected", "false");
    link.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", link.id);
    if (scroll) link.scrollIntoView({ block: "nearest" }); // forces layout: keys only
  }

  function update() {
    var t0 = performance.now();
    var value = input.value;
    var out = search(value);
    renderResults(out.results);
    var n = out.matched.length;
    if (out.q.errors.length) statusBox.textContent = out.q.errors.join(" ");
    else if (value.trim())
      statusBox.textContent = n + (n === 1 ? " result" : " results") + (n > MAX_SHOWN ? " (first " + MAX_SHOWN + " shown)" : "");
    else statusBox.textContent = tags.length + " tags, " + entries.length + " entries: type a name or a type, or pick a tag";
    statusBox.classList.toggle("apidoc-search__count--error", out.q.errors.length > 0);
    if (value.trim()) renderFacets(out.matched, out.q);
    else renderFacets(entries.map(function (e) { return { e: e }; }), { tags: [] });
    // The URL follows once typing pauses: history.replaceState costs more than a ranking.
    clearTimeout(urlTimer);
    urlTimer = setTimeout(function () { if (!overlay.hidden) setUrlQuery(input.value.trim()); }, 250);
    api.lastMs = performance.now() - t0;
  }

  function onKey(e) {
    if (e.key === "ArrowDown") { select(selected + 1, true); e.preventDefault(); }
    else if (e.key === "ArrowUp") { select(selected - 1, true); e.preventDefault(); }
    else if (e.key === "Enter") {
      if (current[selected]) window.location.href = current[selected].e.url;
      e.preventDefault();
    } else if (e.key === "Escape") { close(); e.preventDefault(); e.stopPropagation(); }
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      open(null);
    } else if (e.key === "Escape" && overlay && !overlay.hidden) close();
  });

  var api = window.apidocSearch = { search: search, open: open, close: close, lastMs: 0, splitParts: splitParts,
    normType: normType, stem: stem };

  function start() {
    build();
    var q = null;
    try { q = new URL(window.location.href).searchParams.get("q"); } catch (err) { q = null; }
    if (q) open(q);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
