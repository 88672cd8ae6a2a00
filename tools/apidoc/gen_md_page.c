// SPDX-License-Identifier: MIT
// The page of one symbol (md_symbol_pages): header line with kind and tag chips, include line,
// declaration, source link, description and admonitions, fields, parameters, contracts, the
// _Generic dispatch table, the documented example, examples scraped from the code (ranked,
// deduplicated, comment- and string-only hits dropped), used by, uses and related symbols.
#include "gen_md_internal.h"

#include <ctype.h>  // isalnum
#include <math.h>   // log
#include <stdio.h>  // snprintf
#include <stdlib.h> // qsort, free
#include <string.h> // strcmp

// Link to a source line, or plain `file:line` when the file has no source page.
static void md_source_link(MdBuf *b, const MdModel *m, const char *file, long line, const char *from_dir) {
    if (md_has_source(m, file))
        md_printf(b, "[%s:%ld](%ssource/%s.md#L%ld)", file, line, strcmp(from_dir, "api") == 0 ? "" : "../api/",
                  file, line);
    else md_printf(b, "`%s:%ld`", file, line);
}

// Text inside inline raw HTML, where Markdown still reads emphasis and table pipes: every
// metacharacter as an entity.
static void md_html_literal(MdBuf *b, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '<') md_put(b, "&lt;");
        else if (c == '>') md_put(b, "&gt;");
        else if (c == '&') md_put(b, "&amp;");
        else if (c == '_' && i > 0 && i + 1 < n && isalnum((unsigned char)p[i - 1]) && isalnum((unsigned char)p[i + 1]))
            md_putc(b, c); // inside a word: never emphasis
        else if (strchr("*_`|[]\\!#", c)) md_printf(b, "&#%d;", c);
        else md_putc(b, c);
    }
}

// A C type as inline code, every identifier in it that is a documented type linked to its page.
static void md_type(MdBuf *b, const MdModel *m, const char *type) {
    if (!type || !*type) {
        md_put(b, "—");
        return;
    }
    md_put(b, "<code>");
    for (const char *p = type; *p;) {
        size_t n = 0;
        while (isalnum((unsigned char)p[n]) || p[n] == '_') n++;
        if (!n) {
            md_html_literal(b, p++, 1);
            continue;
        }
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        const MdSym *t = md_find(m, name);
        if (t && strcmp(t->kind, "function") && !strstr(t->kind, "macro")) {
            md_printf(b, "<a href=\"%s.html\">", t->page);
            md_html_literal(b, p, n);
            md_put(b, "</a>");
        } else md_html_literal(b, p, n);
        p += n;
    }
    md_put(b, "</code>");
}

// The anchored name of a field, parameter or enum constant: a link to its own row.
static void md_member(MdBuf *b, const char *prefix, const char *path, const char *name) {
    md_printf(b, "<a class=\"apidoc-member\" id=\"%s-", prefix);
    md_html(b, path);
    md_put(b, "\" href=\"#");
    md_printf(b, "%s-", prefix);
    md_html(b, path);
    md_put(b, "\"><code>");
    md_html_literal(b, name, strlen(name));
    md_put(b, "</code></a>");
}

static void md_chips(MdBuf *b, const MdModel *m, const MdSym *s) {
    md_printf(b, "<p class=\"apidoc-meta\"><span class=\"apidoc-kind\" data-kind=\"%s\">", s->kind);
    md_html(b, md_kind_label(s->kind));
    md_put(b, "</span>");
    json_t *tags = json_object_get(s->doc, "tags");
    size_t  i;
    json_t *t;
    json_array_foreach(tags, i, t) {
        const MdTag *tag = json_is_string(t) ? md_find_tag(m, json_string_value(t)) : NULL;
        if (!tag) continue;
        md_printf(b, " <a class=\"apidoc-tag\" href=\"../tags/%s.html\" title=\"", tag->name);
        md_html(b, tag->description);
        md_put(b, "\">");
        md_html(b, tag->name);
        md_put(b, "</a>");
    }
    md_put(b, "</p>\n\n");
}

static void md_admonition(MdBuf *b, const MdModel *m, const char *text, const char *type, const char *title) {
    {
        if (!text) return;
        md_printf(b, "!!! %s \"%s\"\n", type, title);
        MdBuf body = {0};
        md_text(&body, m, text, "api");
        for (const char *p = md_str(&body); *p;) {
            const char *eol = strchr(p, '\n');
            size_t      len = eol ? (size_t)(eol - p) : strlen(p);
            if (len) md_put(b, "    ");
            md_putn(b, p, len);
            md_putc(b, '\n');
            p += len + (eol ? 1 : 0);
        }
        md_free(&body);
        md_putc(b, '\n');
    }
}

static void md_admonitions(MdBuf *b, const MdModel *m, const MdSym *s, const char *key, const char *type,
                           const char *title) {
    if (strcmp(key, "success") == 0 || strcmp(key, "failure") == 0 || strcmp(key, "returns") == 0) {
        md_admonition(b, m, md_json_str(s->doc, key), type, title);
        return;
    }
    size_t  i;
    json_t *note;
    json_array_foreach(json_object_get(s->doc, "notes"), i, note) {
        const char *kind = md_json_str(note, "kind");
        if (kind && strcmp(kind, key) == 0) md_admonition(b, m, md_json_str(note, "text"), type, title);
    }
}

static const char *md_field_doc(const MdSym *s, const json_t *field) {
    const char *text = md_desc(field);
    if (text) return text;
    const char *name = md_json_str(field, "name");
    json_t     *docs = json_object_get(s->doc, "fields");
    size_t      i;
    json_t     *d;
    json_array_foreach(docs, i, d) {
        const char *dn = md_json_str(d, "name");
        if (name && dn && strcmp(dn, name) == 0) return md_desc(d);
    }
    return NULL;
}

static void md_field_rows(MdBuf *b, const MdModel *m, const MdSym *s, json_t *fields, int depth, int is_enum,
                          const char *path) {
    size_t  i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *name = md_json_str(f, "name");
        char        full[512];
        snprintf(full, sizeof full, "%s%s%s", path, *path ? "." : "", name ? name : "");
        md_put(b, "| ");
        for (int d = 0; d < depth; d++) md_put(b, "&emsp;");
        if (name && *name) md_member(b, is_enum ? "value" : "field", full, name);
        else md_put(b, "*(anonymous)*");
        const char *group = md_json_str(f, "group");
        if (group) {
            md_put(b, " <small class=\"apidoc-group\">in ");
            md_html(b, group);
            md_put(b, "</small>");
        }
        md_put(b, " | ");
        json_t *value = json_object_get(f, "value");
        if (is_enum && json_is_integer(value)) md_printf(b, "`%lld`", (long long)json_integer_value(value));
        else if (is_enum) md_put(b, "—");
        else md_type(b, m, md_json_str(f, "type"));
        md_put(b, " | ");
        md_inline(b, m, md_field_doc(s, f), "api");
        md_put(b, " |\n");
        json_t *inner = json_object_get(f, "fields");
        if (json_is_array(inner)) md_field_rows(b, m, s, inner, depth + 1, 0, full);
    }
}

static void md_fields(MdBuf *b, const MdModel *m, const MdSym *s) {
    int     is_enum = json_array_size(json_object_get(s->json, "enum_values")) > 0;
    json_t *fields  = json_object_get(s->json, is_enum ? "enum_values" : "fields");
    if (!json_array_size(fields)) return;
    md_printf(b, "## %s\n\n| Name | %s | Description |\n|---|---|---|\n", is_enum ? "Values" : "Fields",
              is_enum ? "Value" : "Type");
    md_field_rows(b, m, s, fields, 0, is_enum, "");
    md_putc(b, '\n');
}

static void md_params(MdBuf *b, const MdModel *m, const MdSym *s) {
    json_t *params = json_object_get(s->json, "params");
    json_t *docs   = json_object_get(s->doc, "params");
    json_t *rows   = json_array_size(params) ? params : docs;
    if (json_array_size(rows)) {
        md_put(b, "## Parameters\n\n| Name | Direction | Type | Description |\n|---|---|---|---|\n");
        size_t  i;
        json_t *p;
        json_array_foreach(rows, i, p) {
            const char *name = md_json_str(p, "name");
            json_t     *doc  = NULL;
            size_t      k;
            json_t     *d;
            json_array_foreach(docs, k, d) {
                const char *dn = md_json_str(d, "name");
                if (name && dn && strcmp(dn, name) == 0) doc = d;
            }
            const char *dir = md_json_str(p, "direction");
            if (!dir) dir = md_json_str(doc, "direction");
            const char *text = md_json_str(p, "description");
            if (!text) text = md_desc(doc);
            md_put(b, "| ");
            if (name && *name && strcmp(name, "...") != 0) md_member(b, "param", name, name);
            else md_printf(b, "`%s`", name && *name ? name : "(unnamed)");
            md_printf(b, " | %s | ", dir ? dir : "—");
            md_type(b, m, md_json_str(p, "type"));
            md_put(b, " | ");
            md_inline(b, m, text, "api");
            md_put(b, " |\n");
        }
        md_putc(b, '\n');
    }
    const char *ret = md_json_str(s->json, "return_type");
    if (ret) {
        md_put(b, "**Return type:** ");
        md_type(b, m, ret);
        md_put(b, "\n\n");
    }
    md_admonitions(b, m, s, "success", "success", "Success");
    md_admonitions(b, m, s, "failure", "failure", "Failure");
    md_admonitions(b, m, s, "returns", "info", "Returns");
}

static void md_dispatch(MdBuf *b, const MdModel *m, const MdSym *s) {
    json_t *arms = json_object_get(s->json, "dispatch");
    if (!json_array_size(arms)) return;
    md_put(b, "## Dispatch\n\nThe `_Generic` selection on the first argument's type:\n\n"
              "| Argument type | Calls |\n|---|---|\n");
    size_t  i;
    json_t *a;
    json_array_foreach(arms, i, a) {
        const char *fn = md_json_str(a, "function"), *expr = md_json_str(a, "expression");
        md_put(b, "| ");
        md_type(b, m, md_json_str(a, "type"));
        md_put(b, " | ");
        const MdSym *target = fn ? md_find(m, fn) : NULL;
        if (target) md_sym_link(b, target, "api");
        else if (fn || expr) {
            MdBuf code = {0};
            md_put(&code, "`` ");
            md_put(&code, fn ? fn : expr);
            md_put(&code, " ``");
            md_inline(b, m, md_str(&code), "api"); // a code span; `|` in it is safe in a table
            md_free(&code);
        }
        md_put(b, " |\n");
    }
    md_putc(b, '\n');
}

// Page size bounds (a symbol page stays under 50 KB of HTML however widely the symbol is used):
// rows of a type's Functions and Accepted by (then names only, then a count), functions shown
// (one open, a few folded), lines shown before the rest of a long function folds away behind
// its expand control, code lines a page holds in all (the examples beyond are listed as links),
// entries of the "More uses" list, declarations, files per group and functions per file under "Used by".
enum { MD_API_ROWS = 24, MD_API_NAMES = 30, MD_EXAMPLES_FOLDED = 3, MD_SHOWN_LINES = 24, MD_FOLDED_LINES = 10,
       MD_PAGE_CODE_LINES = 30, MD_MORE_USES = 4, MD_USED_DECLS = 20, MD_USED_FILES = 5, MD_USED_PER_FILE = 3 };

// --- Scraped examples ----------------------------------------------------------------------

enum { MD_MAX_USES = 16 };

typedef struct MdExample {
    const char *file;
    const char *function;
    const char *via;              // the macro the use goes through, when no use line spells the name
    long        first, last, use; // function lines and the first use
    long        uses[MD_MAX_USES]; // every use line that is code, highlighted
    size_t      nuse;
    char       *code;
    int         tier;             // 0 direct, 1 through a macro, 2 scaffolding, 3 misuse
    int         rank;             // 0 examples, 1 tests, 2 bench, 3 library, 4 header
    int         misuse;
} MdExample;

// Whether line `rel` (1-based) of `code` is a real use of `name`: false only when the name is
// written on that line in a comment or a string and nowhere else. A line that does not spell the
// name (a use through a macro expansion or a _Generic selection) counts as a use. *spelled says
// whether the name is written in code on that line.
static int md_is_code_use(const char *code, long rel, const char *name, int *spelled) {
    enum { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR } st = CODE;
    size_t n = strlen(name);
    long   line = 1;
    int    in_text = 0;
    *spelled       = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '\n') {
            if (line == rel) break;
            line++;
            if (st == LINE_COMMENT) st = CODE;
            continue;
        }
        if (line == rel && st != CODE && md_word_at(code, p, name, n)) in_text = 1;
        switch (st) {
        case CODE:
            if (p[0] == '/' && p[1] == '/') st = LINE_COMMENT;
            else if (p[0] == '/' && p[1] == '*') st = BLOCK_COMMENT, p++;
            else if (*p == '"') st = STRING;
            else if (*p == '\'') st = CHAR;
            else if (line == rel && md_word_at(code, p, name, n)) return *spelled = 1;
            break;
        case LINE_COMMENT: break;
        case BLOCK_COMMENT:
            if (p[0] == '*' && p[1] == '/') st = CODE, p++;
            break;
        case STRING:
        case CHAR:
            if (*p == '\\' && p[1]) p++;
            else if (*p == (st == STRING ? '"' : '\'')) st = CODE;
            break;
        }
    }
    return !in_text;
}

static int md_example_cmp(const void *a, const void *b) {
    const MdExample *x = a, *y = b;
    if (x->tier != y->tier) return x->tier - y->tier;
    if (x->rank != y->rank) return x->rank - y->rank;
    long lx = x->last - x->first, ly = y->last - y->first;
    if (lx != ly) return lx < ly ? -1 : 1;
    int c = strcmp(x->file, y->file);
    return c ? c : (x->first < y->first ? -1 : x->first > y->first);
}

static int md_category_rank(const char *category, const char *file) {
    static const char *const order[] = {"example", "test", "bench", "library", "header"};
    for (int i = 0; category && i < 5; i++)
        if (strcmp(category, order[i]) == 0) return i;
    return md_is_example_path(file) ? 0 : md_is_test_path(file) ? 1 : 3;
}

// Scaffolding: a function made by a macro (`KIND_LIFECYCLE(PageAllocator, page, ...)`) that uses
// the symbol only in that macro's invocation (its head, before the first `{`) or through the
// macro's own expansion (`via` is the macro): it shows the test template, not the symbol.
static int md_is_scaffolding(const MdExample *x) {
    const char *open = strchr(x->function, '(');
    if (!open) return 0;
    size_t n = (size_t)(open - x->function);
    if (x->via && strlen(x->via) == n && strncmp(x->function, x->via, n) == 0) return 1;
    const char *brace = strchr(x->code, '{');
    long        head  = x->first;
    for (const char *p = x->code; brace && p < brace; p++) head += *p == '\n';
    for (size_t i = 0; i < x->nuse; i++)
        if (brace && x->uses[i] > head) return 0;
    return 1;
}

// api.json's candidates (one per enclosing function), keeping the use lines that are code (not a
// comment or a string), dropping functions with none and code met twice, ranked: direct uses,
// then uses through a macro (dropped when a direct use exists), scaffolding, misuse; within a
// tier complete programs first, then tests, bench, library code, shorter functions first.
static size_t md_collect_examples(const MdModel *m, const MdSym *s, MdExample **out) {
    json_t    *list = json_object_get(s->json, "examples");
    MdExample *ex   = calloc(json_array_size(list) + 1, sizeof *ex);
    size_t     n    = 0, i;
    json_t    *e;
    const char *tag = md_json_str(s->json, "tag_name");
    json_array_foreach(list, i, e) {
        const char *file = md_json_str(e, "file"), *fn = md_json_str(e, "function");
        long first = md_json_int(e, "start"), last = md_json_int(e, "end");
        if (!file || !fn || first < 1 || last < first || strcmp(fn, s->name) == 0) continue;
        const char *code = md_json_str(e, "code");
        MdExample   x    = {.file = file, .function = fn, .first = first, .last = last,
                            .code = code ? strdup(code) : md_source_lines(m, file, first, last),
                            .rank = md_category_rank(md_json_str(e, "category"), file),
                            .misuse = json_is_true(json_object_get(e, "misuse"))};
        size_t  k;
        json_t *line;
        int     spelled = 0;
        json_array_foreach(json_object_get(e, "use_lines"), k, line) {
            long l = json_is_integer(line) ? (long)json_integer_value(line) : 0;
            if (l < first || l > last || x.nuse >= MD_MAX_USES || !x.code) continue;
            int here = 0, tag_here = 0;
            if (!md_is_code_use(x.code, l - first + 1, s->name, &here)) continue;
            if (tag) md_is_code_use(x.code, l - first + 1, tag, &tag_here);
            spelled |= here || tag_here;
            x.uses[x.nuse++] = l;
        }
        int dup = 0;
        for (size_t j = 0; j < n && x.code; j++) dup |= ex[j].code && strcmp(ex[j].code, x.code) == 0;
        if (!x.nuse || !x.code || dup) {
            free(x.code);
            continue;
        }
        if (!spelled) x.via = md_json_str(e, "via") ? md_json_str(e, "via") : "";
        x.tier  = x.misuse ? 3 : md_is_scaffolding(&x) ? 2 : x.via ? 1 : 0;
        x.use   = x.uses[0];
        ex[n++] = x;
    }
    if (n) qsort(ex, n, sizeof *ex, md_example_cmp);
    if (n && ex[0].tier == 0) { // a direct use exists: the uses through a macro are dropped
        size_t kept = 0;
        for (size_t j = 0; j < n; j++) {
            if (ex[j].via) free(ex[j].code);
            else ex[kept++] = ex[j];
        }
        n = kept;
    }
    *out = ex;
    return n;
}


// The whole function, the lines beyond `max` around the first use folded behind an expand control.
static void md_example_block(MdBuf *b, const MdExample *e, long max, int index) {
    long from = e->first, to = e->last;
    if (e->last - e->first + 1 > max) {
        from = e->use - max / 4 > e->first ? e->use - max / 4 : e->first;
        to   = from + max - 1 < e->last ? from + max - 1 : e->last;
    }
    int folded = from != e->first || to != e->last;
    if (folded)
        md_printf(b, "<div class=\"apidoc-unfoldable\"><input type=\"checkbox\" class=\"apidoc-unfold\" id=\"unfold-%d\">"
                     "<label for=\"unfold-%d\"><span class=\"apidoc-unfold__more\">Show all %ld lines</span>"
                     "<span class=\"apidoc-unfold__less\">Show lines %ld–%ld only</span></label>\n",
                  index, index, e->last - e->first + 1, from, to);
    MdCodeView v = {.code = e->code, .first = e->first, .hl = e->uses, .nhl = e->nuse,
                    .show_from = folded ? from : 0, .show_to = to};
    md_code_html(b, &v);
    if (folded) md_put(b, "</div>\n");
}

// "In `fn`, file:line — via `MACRO`" with the misuse label: `html` 1 as HTML with links, 2 as
// HTML without links (a details summary), 0 as Markdown.
static void md_example_title(MdBuf *b, const MdModel *m, const MdExample *e, int html) {
    if (e->misuse) md_put(b, "<span class=\"apidoc-misuse\">misuse</span> ");
    md_put(b, "In <code>");
    md_html_literal(b, e->function, strlen(e->function));
    md_put(b, "</code>, ");
    if (html == 1 && md_has_source(m, e->file)) {
        md_printf(b, "<a href=\"source/%s.html#L%ld\">", e->file, e->use);
        md_html_literal(b, e->file, strlen(e->file));
        md_printf(b, ":%ld</a>", e->use);
    } else if (html) {
        md_html_literal(b, e->file, strlen(e->file));
        md_printf(b, ":%ld", e->use);
    } else md_source_link(b, m, e->file, e->use, "api");
    if (e->via && *e->via) {
        const MdSym *via = html == 2 ? NULL : md_find(m, e->via);
        md_put(b, " — via ");
        if (via) md_printf(b, "<a href=\"%s.html\"><code>", via->page);
        else md_put(b, "<code>");
        md_html_literal(b, e->via, strlen(e->via));
        md_put(b, via ? "</code></a>" : "</code>");
    } else if (e->via) md_put(b, " — through a macro");
}

static void md_examples(MdBuf *b, const MdModel *m, const MdSym *s) {
    const char *usage = md_json_str(s->doc, "usage");
    if (usage && *usage) {
        md_put(b, "## Documented example\n\n");
        md_code_html(b, &(MdCodeView){.code = usage}); // highlighted by the site's hook, as lean as the rest
        md_putc(b, '\n');
    }
    if (json_is_true(json_object_get(s->json, "basic"))) { // `size`, `u8`: a count, not examples
        json_t *refs  = json_object_get(s->json, "references");
        size_t  files = 0, i;
        json_t *r;
        const char *last = NULL;
        json_array_foreach(refs, i, r) {
            const char *f = md_json_str(r, "file");
            if (f && (!last || strcmp(f, last) != 0)) files++, last = f;
        }
        md_printf(b, "## Uses\n\n`%s` is a basic type: used %lld times in %zu files of the code (no examples "
                     "shown).\n\n",
                  s->name, json_is_integer(json_object_get(s->json, "use_count"))
                               ? (long long)json_integer_value(json_object_get(s->json, "use_count"))
                               : (long long)json_array_size(refs), files);
        return;
    }
    MdExample *ex = NULL;
    size_t     n  = md_collect_examples(m, s, &ex);
    if (n) {
        md_printf(b, "## Examples from the code\n\n%zu function%s use%s `%s`: programs in `examples/` first, "
                     "then tests, then library code.\n\n",
                  n, n == 1 ? "" : "s", n == 1 ? "s" : "", s->name);
        // Shown: the best ranked functions that fit the page's code budget, one open and the
        // next folded; the rest listed as links, then counted.
        long   budget = MD_PAGE_CODE_LINES;
        size_t shown  = 0, listed = 0;
        char  *show   = calloc(n + 1, 1);
        for (size_t i = 0; i < n && shown <= MD_EXAMPLES_FOLDED; i++) {
            long lines = ex[i].last - ex[i].first + 1;
            if (lines > budget && shown) continue;
            show[i] = 1;
            budget -= lines;
            shown++;
        }
        for (size_t i = 0, k = 0; i < n; i++) {
            if (!show[i]) continue;
            // Only a direct use or one through a macro is shown open; scaffolding and misuse
            // (all that is left when they come first) stay folded: they never lead.
            if (k++ == 0 && ex[i].tier < 2) {
                md_put(b, "<p class=\"apidoc-example-title\">");
                md_example_title(b, m, &ex[i], 1);
                md_put(b, ":</p>\n\n");
                md_example_block(b, &ex[i], MD_SHOWN_LINES, (int)i);
            } else {
                // The summary is the control: text only, the links go inside.
                md_put(b, "<details class=\"example\"><summary>");
                md_example_title(b, m, &ex[i], 2);
                md_put(b, "</summary>\n");
                if (md_has_source(m, ex[i].file) || (ex[i].via && md_find(m, ex[i].via))) {
                    md_put(b, "<p class=\"apidoc-example-src\">");
                    if (md_has_source(m, ex[i].file))
                        md_printf(b, "<a href=\"source/%s.html#L%ld\">%s:%ld</a>", ex[i].file, ex[i].use, ex[i].file, ex[i].use);
                    const MdSym *via = ex[i].via ? md_find(m, ex[i].via) : NULL;
                    if (via)
                        md_printf(b, "%svia <a href=\"%s.html\"><code>%s</code></a>", md_has_source(m, ex[i].file) ? " — " : "",
                                  via->page, ex[i].via);
                    md_put(b, "</p>\n");
                }
                md_example_block(b, &ex[i], MD_FOLDED_LINES, (int)i);
                md_put(b, "</details>\n");
            }
            md_putc(b, '\n');
        }
        for (size_t i = 0; i < n && listed < MD_MORE_USES; i++) {
            if (show[i]) continue;
            if (!listed) md_put(b, "More uses:\n\n");
            md_put(b, "- ");
            md_example_title(b, m, &ex[i], 0);
            md_putc(b, '\n');
            listed++;
        }
        free(show);
        if (shown + listed < n)
            md_printf(b, "%sand %zu more functions, listed by file under [Used by](#used-by)\n", listed ? "- " : "",
                      n - shown - listed);
        if (listed || shown + listed < n) md_putc(b, '\n');
    }
    for (size_t i = 0; i < n; i++) free(ex[i].code);
    free(ex);
}

// --- Cross-references ----------------------------------------------------------------------

typedef struct MdRef {
    const char *file, *function;
    long        line;
} MdRef;

static int md_ref_cmp(const void *a, const void *b) {
    const MdRef *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

// One line per file: its first MD_USED_PER_FILE functions (in line order), then "and K more"
// linked to the file's source page.
static void md_used_by_group(MdBuf *b, const MdModel *m, const MdRef *refs, size_t n, int tests) {
    size_t any = 0, left = 0, left_uses = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && strcmp(refs[j].file, refs[i].file) == 0;) j++;
        if (md_is_test_path(refs[i].file) != tests) continue;
        if (!any) md_printf(b, "**%s**\n\n", tests ? "In tests" : "In the library and examples");
        if (any++ >= MD_USED_FILES) {
            left++, left_uses += j - i;
            continue;
        }
        md_printf(b, "- `%s` (%zu):", refs[i].file, j - i);
        for (size_t k = i; k < j && k < i + MD_USED_PER_FILE; k++) { // each function links to the use
            md_put(b, k > i ? ", " : " ");
            int linked = md_has_source(m, refs[k].file);
            if (linked) md_printf(b, "<a href=\"source/%s.html#L%ld\">", refs[k].file, refs[k].line);
            md_put(b, "<code>");
            md_html_literal(b, refs[k].function, strlen(refs[k].function));
            md_put(b, "</code>");
            if (linked) md_put(b, "</a>");
            else md_printf(b, " (line %ld)", refs[k].line);
        }
        if (j - i > MD_USED_PER_FILE) {
            md_printf(b, " and %zu more", j - i - MD_USED_PER_FILE);
            if (md_has_source(m, refs[i].file)) md_printf(b, " in [the source](source/%s.md)", refs[i].file);
        }
        md_putc(b, '\n');
    }
    if (left) md_printf(b, "- and %zu more files (%zu functions)\n", left, left_uses);
    if (any) md_putc(b, '\n');
}

typedef struct MdProtoScan {
    const MdModel *m;
    const MdSym   *found;
} MdProtoScan;

static int md_proto_ident(void *ctx, const char *at, size_t len, int member, int depth) {
    MdProtoScan *d = ctx;
    char         name[256];
    if (member || depth || at[len] != '(' || len >= sizeof name) return 0;
    snprintf(name, sizeof name, "%.*s", (int)len, at);
    const MdSym *f = md_find(d->m, name);
    if (f && strcmp(f->kind, "function") == 0) d->found = f;
    return d->found != NULL;
}

// The public declaration (prototype, member list, macro) of `file` that spans `line`, or the
// public function a prototype on that line declares again (a header repeating another's), or NULL.
static const MdSym *md_decl_at(const MdModel *m, const char *file, long line) {
    for (size_t i = 0; i < m->nsyms; i++) {
        const MdSym *d   = &m->syms[i];
        long         end = md_json_int(d->json, "end_line");
        if (strcmp(d->file, file) == 0 && d->line <= line && line <= (end ? end : d->line)) return d;
    }
    char *text = md_source_lines(m, file, line, line);
    MdProtoScan scan = {m, NULL};
    if (text && strchr(text, ';') && !strchr(text, '{')) md_each_ident(text, md_proto_ident, &scan);
    free(text);
    return scan.found;
}

static void md_used_by(MdBuf *b, const MdModel *m, const MdSym *s) {
    // The public declarations naming it: prototypes that take it, member lists, macro bodies and
    // the _Generic arms that select it (api.json `uses` and `dispatch`), plus file-scope
    // references inside a declaration's lines.
    size_t              nu;
    const MdSym *const *users = md_users(m, s, &nu);
    const MdSym       **decls = calloc(m->nsyms + 1, sizeof *decls);
    size_t              nd    = 0;
    for (size_t i = 0; i < nu; i++) decls[nd++] = users[i];
    json_t *refs = json_object_get(s->json, "references");
    MdRef  *list = calloc(json_array_size(refs) + 1, sizeof *list);
    size_t  n    = 0, i;
    json_t *r;
    json_array_foreach(refs, i, r) {
        MdRef ref = {md_json_str(r, "file"), md_json_str(r, "function"), md_json_int(r, "line")};
        if (!ref.file) continue;
        if (!ref.function) {
            const MdSym *d = md_decl_at(m, ref.file, ref.line);
            if (d && d != s) {
                int seen = 0;
                for (size_t k = 0; k < nd; k++) seen |= decls[k] == d;
                if (!seen) decls[nd++] = d;
            }
            if (d) continue;
            ref.function = "(file scope)";
        }
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            if (strcmp(list[k].file, ref.file) == 0 && strcmp(list[k].function, ref.function) == 0) {
                dup = 1;
                if (ref.line < list[k].line) list[k].line = ref.line;
            }
        if (!dup) list[n++] = ref;
    }
    if (n || nd) md_put(b, "## Used by\n\n");
    if (nd) {
        md_printf(b, "**In declarations** (%zu): ", nd);
        for (size_t k = 0; k < nd && k < MD_USED_DECLS; k++) {
            md_put(b, k ? ", " : "");
            md_sym_link(b, decls[k], "api");
        }
        if (nd > MD_USED_DECLS) md_printf(b, " and %zu more", nd - MD_USED_DECLS);
        md_put(b, "\n\n");
    }
    if (n) {
        qsort(list, n, sizeof *list, md_ref_cmp);
        md_used_by_group(b, m, list, n, 0);
        md_used_by_group(b, m, list, n, 1);
    }
    free(decls);
    free(list);
}

// --- The API of a type ---------------------------------------------------------------------

// Roles of a type's functions, from their tags (first match wins; the rest are "Other").
static const char *const md_roles[][5] = {
    {"Dispatch adapters", "Dispatch", NULL},
    {"Lifecycle", "Init", "Cleanup", "Reset", NULL},
    {"Allocation", "Allocation", "Deallocation", "InPlace", "Reallocation"},
    {"Queries and statistics", "Query", "Stats", NULL},
    {"Checks", "Check", NULL},
};
enum { MD_NROLES = sizeof md_roles / sizeof *md_roles };

static int md_role(const MdModel *m, const MdSym *f) {
    for (int r = 0; r < MD_NROLES; r++) {
        if (r == 0 && strcmp(f->kind, "function") != 0) continue; // only functions are adapters
        for (int k = 1; k < 5 && md_roles[r][k]; k++) {
            const MdTag *tag = md_find_tag(m, md_roles[r][k]);
            size_t       t   = tag ? (size_t)(tag - m->tags) : 64;
            if (t < 64 && ((f->tag_mask >> t) & 1)) return r;
        }
    }
    return MD_NROLES; // other
}

static void md_api_row(MdBuf *b, const MdModel *m, const MdSym *f) {
    md_put(b, "| ");
    md_sym_link(b, f, "api");
    md_put(b, " | ");
    md_inline(b, m, md_json_str(f->doc, "brief"), "api");
    md_put(b, " |\n");
}

static void md_type_api_section(MdBuf *b, const MdModel *m, const MdSym *s, const MdSym **funcs,
                                const MdSym **accepted) {
    if (funcs && funcs[0]) {
        md_printf(b, "## Functions\n\nTaking or returning a `%s`, or making one:\n\n", s->name);
        int    order[] = {1, 2, 3, 4, MD_NROLES, 0}; // lifecycle first, the adapters last
        size_t rows = 0, names = 0, total = 0;
        for (size_t o = 0; o < sizeof order / sizeof *order; o++) {
            int any = 0;
            for (size_t i = 0; funcs[i]; i++) {
                if (md_role(m, funcs[i]) != order[o]) continue;
                total++;
                if (order[o] != 0 && rows >= MD_API_ROWS) { // beyond the bound: names only, then a count
                    if (names < MD_API_NAMES) {
                        if (any) md_put(b, "\n"), any = 0;
                        md_put(b, names++ ? ", " : "**Also:** ");
                        md_sym_link(b, funcs[i], "api");
                    }
                    continue;
                }
                if (order[o] == 0) { // the adapters: one line of names, their briefs all alike
                    md_put(b, any ? ", " : "**Dispatch adapters** (the vtable entries behind `Allocator *`): ");
                    md_sym_link(b, funcs[i], "api");
                } else {
                    if (!any) md_printf(b, "**%s**\n\n| Name | Summary |\n|---|---|\n", order[o] < MD_NROLES ? md_roles[order[o]][0] : "Other");
                    md_api_row(b, m, funcs[i]);
                    rows++;
                }
                any = 1;
            }
            if (any) md_put(b, order[o] == 0 ? "\n\n" : "\n");
        }
        if (names) md_put(b, total > rows + names ? "" : "\n\n");
        if (total > rows + names) md_printf(b, " and %zu more.\n\n", total - rows - names);
    }
    if (accepted && accepted[0]) {
        md_printf(b, "## Accepted by\n\nThe generic macros with a `_Generic` arm for `%s`:\n\n"
                     "| Macro | Arm | Summary |\n|---|---|---|\n",
                  s->name);
        size_t i = 0;
        for (; accepted[i] && i < MD_API_ROWS; i++) {
            const json_t *arm = md_arm_for(accepted[i], s);
            const char   *fn  = md_json_str(arm, "function");
            md_put(b, "| ");
            md_sym_link(b, accepted[i], "api");
            md_put(b, " | ");
            md_type(b, m, md_json_str(arm, "type"));
            md_put(b, " → ");
            const MdSym *target = fn ? md_find(m, fn) : NULL;
            if (target) md_sym_link(b, target, "api");
            else {
                md_put(b, "<code>");
                const char *x = fn ? fn : md_json_str(arm, "expression");
                md_html_literal(b, x ? x : "", x ? strlen(x) : 0);
                md_put(b, "</code>");
            }
            md_put(b, " | ");
            md_inline(b, m, md_json_str(accepted[i]->doc, "brief"), "api");
            md_put(b, " |\n");
        }
        size_t more = 0;
        while (accepted[i + more]) more++;
        if (more) md_printf(b, "\nand %zu more generic macros.\n", more);
        md_putc(b, '\n');
    }
}

static void md_uses(MdBuf *b, const MdModel *m, const MdSym *s) {
    json_t *uses = json_object_get(s->json, "uses");
    if (!json_array_size(uses)) return;
    md_put(b, "## Uses\n\n");
    size_t  i;
    json_t *u;
    json_array_foreach(uses, i, u) {
        const char  *id  = json_is_string(u) ? json_string_value(u) : NULL;
        const MdSym *use = id ? md_find_id(m, id) : NULL;
        if (!use) continue;
        md_put(b, i ? ", " : "");
        md_sym_link(b, use, "api");
    }
    md_put(b, "\n\n");
}

static int md_has_tag(const MdModel *m, const MdSym *s, const MdTag *tag) {
    size_t t = (size_t)(tag - m->tags);
    if (t < 64) return (s->tag_mask >> t) & 1;
    size_t  i;
    json_t *v;
    json_array_foreach(json_object_get(s->doc, "tags"), i, v) {
        if (json_is_string(v) && md_find_tag(m, json_string_value(v)) == tag) return 1;
    }
    return 0;
}

// Related: the symbol's own API first (`own`: a type's functions and generic macros; for a
// function, its type and that type's other functions), then the `SEE:` names, then the symbols
// sharing the rarest tags (sum of idf).
static void md_related(MdBuf *b, const MdModel *m, const MdSym *s, const MdSym *const *own) {
    enum { MAX_RELATED = 5 };
    const MdSym *pick[MAX_RELATED];
    double       score[MAX_RELATED];
    size_t       n = 0, i;
    json_t      *v;
    for (size_t k = 0; own && own[k] && n < MAX_RELATED; k++) {
        int seen = own[k] == s;
        for (size_t j = 0; j < n; j++) seen |= pick[j] == own[k];
        if (!seen) score[n] = 1e12, pick[n++] = own[k];
    }
    json_array_foreach(json_object_get(s->doc, "see"), i, v) {
        const MdSym *o    = json_is_string(v) ? md_find(m, json_string_value(v)) : NULL;
        int          seen = 0;
        for (size_t j = 0; j < n; j++) seen |= pick[j] == o;
        if (o && o != s && !seen && n < MAX_RELATED) score[n] = 1e9, pick[n++] = o;
    }
    size_t       fixed = n;
    const MdTag *mine[64];
    size_t       nmine = 0;
    json_array_foreach(json_object_get(s->doc, "tags"), i, v) {
        const MdTag *tag = json_is_string(v) ? md_find_tag(m, json_string_value(v)) : NULL;
        if (tag && tag->count && nmine < 64) mine[nmine++] = tag;
    }
    for (size_t k = 0; k < m->nsyms; k++) {
        const MdSym *o = &m->syms[k];
        double       sc = 0;
        if (o == s) continue;
        for (size_t t = 0; t < nmine; t++)
            if (md_has_tag(m, o, mine[t])) sc += log((double)m->nsyms / (double)mine[t]->count);
        if (sc <= 0.5) continue;
        int seen = 0;
        for (size_t j = 0; j < n; j++) seen |= pick[j] == o;
        if (seen) continue;
        size_t at = n < MAX_RELATED ? n++ : MAX_RELATED;
        if (at == MAX_RELATED) {
            if (sc <= score[MAX_RELATED - 1]) continue;
            at = MAX_RELATED - 1;
        }
        while (at > fixed && score[at - 1] < sc) pick[at] = pick[at - 1], score[at] = score[at - 1], at--;
        pick[at] = o, score[at] = sc;
    }
    if (!n) return;
    md_put(b, "## Related\n\n");
    for (size_t k = 0; k < n; k++) {
        md_put(b, "- ");
        md_sym_link(b, pick[k], "api");
        md_put(b, " — ");
        md_inline(b, m, md_json_str(pick[k]->doc, "brief"), "api");
        md_putc(b, '\n');
    }
    md_putc(b, '\n');
}

// --- The page ------------------------------------------------------------------------------

static int md_is_type(const MdSym *s) {
    return (!strcmp(s->kind, "struct") || !strcmp(s->kind, "union") || !strcmp(s->kind, "enum") ||
            !strcmp(s->kind, "typedef")) && !json_is_true(json_object_get(s->json, "basic"));
}

// The type a function or macro belongs to: the first documented type among its parameter and
// return types (functions), or the type it produces (an init macro), or NULL.
static const MdSym *md_home_type(const MdModel *m, const MdSym *s) {
    const char *types[64];
    size_t      nt = 0, i;
    json_t     *p;
    json_array_foreach(json_object_get(s->json, "params"), i, p) {
        if (nt < 63 && md_json_str(p, "type")) types[nt++] = md_json_str(p, "type");
    }
    if (md_json_str(s->json, "return_type")) types[nt++] = md_json_str(s->json, "return_type");
    for (size_t k = 0; k < nt; k++) {
        for (const char *q = types[k]; *q;) {
            size_t len = 0;
            while (isalnum((unsigned char)q[len]) || q[len] == '_') len++;
            if (!len) {
                q++;
                continue;
            }
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)len, q);
            const MdSym *t = md_find(m, name);
            if (t && md_is_type(t) && t != s) return t;
            q += len;
        }
    }
    const MdSym *t = md_produced_type(m, s); // a macro: the type it produces
    return t && md_is_type(t) && t != s ? t : NULL;
}

static void md_declaration(MdBuf *b, const MdModel *m, const MdSym *s) {
    MdMark    *marks = NULL;
    size_t     n     = md_decl_marks(m, s, s->decl, "api", &marks);
    // A prototype is one line: it wraps at the page's width (a member list keeps its layout).
    MdCodeView v = {.code = s->decl, .marks = marks, .nmarks = n,
                    .cls = strcmp(s->kind, "function") == 0 ? "apidoc-decl apidoc-proto" : "apidoc-decl"};
    md_code_html(b, &v);
    md_putc(b, '\n');
    free(marks);
}

// The other symbols of this name in C's namespaces (a function and its macro), each linked: they
// sit beside s in the sorted model.
static void md_same_name(MdBuf *b, const MdModel *m, const MdSym *s) {
    size_t first = (size_t)(s - m->syms), last = first;
    while (first > 0 && strcmp(m->syms[first - 1].name, s->name) == 0) first--;
    while (last + 1 < m->nsyms && strcmp(m->syms[last + 1].name, s->name) == 0) last++;
    if (first == last) return;
    md_put(b, "The name is also declared as");
    for (size_t k = first, n = 0; k <= last; k++) {
        if (&m->syms[k] == s) continue;
        md_printf(b, "%s the %s ", n++ ? " and" : "", md_kind_label(m->syms[k].kind));
        md_sym_link(b, &m->syms[k], "api");
    }
    md_put(b, ".\n\n");
}

static void md_symbol_page(MdBuf *b, const MdModel *m, const MdSym *s) {
    const char *brief = md_json_str(s->doc, "brief");
    md_printf(b, "---\ntitle: %s\n", s->name);
    md_printf(b, "---\n\n# %s\n\n", s->name);
    md_chips(b, m, s);
    const char *dep = md_json_str(s->doc, "deprecated");
    if (!dep && json_is_true(json_object_get(s->json, "deprecated"))) dep = "Deprecated.";
    if (dep) {
        md_put(b, "!!! danger \"Deprecated\"\n    ");
        md_inline(b, m, dep, "api");
        md_put(b, "\n\n");
    }
    MdBuf inc = {0};
    md_printf(&inc, "#include \"%s\"", s->include);
    md_code_html(b, &(MdCodeView){.code = md_str(&inc)});
    md_free(&inc);
    md_putc(b, '\n');
    if (*s->decl) md_declaration(b, m, s);
    md_put(b, "Declared at ");
    md_source_link(b, m, s->file, s->line, "api");
    const json_t *def = md_definition(m, s);
    if (def) {
        md_put(b, ", defined at ");
        md_source_link(b, m, md_json_str(def, "file"), md_json_int(def, "start"), "api");
    }
    md_put(b, ".\n\n");
    md_same_name(b, m, s);
    if (!s->doc) md_put(b, "*Not documented.*\n\n");
    md_text(b, m, md_json_str(s->doc, "description") ? md_json_str(s->doc, "description") : brief, "api");
    md_putc(b, '\n');
    md_admonitions(b, m, s, "info", "info", "Info");
    md_admonitions(b, m, s, "note", "note", "Note");
    md_admonitions(b, m, s, "warn", "warning", "Warning");
    md_fields(b, m, s);
    md_params(b, m, s);
    md_dispatch(b, m, s);
    const MdSym **funcs = NULL, **accepted = NULL, **own = NULL;
    const MdSym  *home  = md_is_type(s) ? s : md_home_type(m, s);
    if (home) md_type_api(m, home, &funcs, &accepted);
    if (home == s) md_type_api_section(b, m, s, funcs, accepted);
    md_examples(b, m, s);
    md_used_by(b, m, s);
    md_uses(b, m, s);
    // Related starts with the own API: a type's functions and generic macros; a function's type
    // and that type's other functions.
    size_t nown = 0;
    own         = calloc(2 * m->nsyms + 2, sizeof *own);
    if (!own) exit(3);
    if (home && home != s) own[nown++] = home;
    for (size_t i = 0; funcs && funcs[i]; i++) own[nown++] = funcs[i];
    for (size_t i = 0; home == s && accepted && accepted[i]; i++) own[nown++] = accepted[i];
    md_related(b, m, s, own);
    free(own);
    free(funcs);
    free(accepted);
}

int md_symbol_pages(const MdModel *m) {
    for (size_t i = 0; i < m->nsyms; i++) {
        MdBuf b = {0};
        md_symbol_page(&b, m, &m->syms[i]);
        char path[512];
        snprintf(path, sizeof path, "api/%s.md", m->syms[i].page);
        int rc = md_write(m, path, &b);
        md_free(&b);
        if (rc) return rc;
    }
    return 0;
}
