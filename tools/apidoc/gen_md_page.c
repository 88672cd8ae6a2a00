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

// Page size bounds (a symbol page stays under 50 KB of HTML however widely the symbol is used):
// folded examples, lines of one example before it is cut to the lines around its uses, entries
// of the "More uses" list, functions listed per file under "Used by". Every cut says how much.
// (Highlighted code costs ~450 bytes of HTML a line, so the code lines are what must be bounded.)
enum { MD_EXAMPLES_FOLDED = 4, MD_SHOWN_LINES = 12, MD_FOLDED_LINES = 6, MD_MORE_USES = 12,
       MD_USED_PER_FILE = 4 };

// Link to a source line, or plain `file:line` when the file has no source page.
static void md_source_link(MdBuf *b, const MdModel *m, const char *file, long line, const char *from_dir) {
    if (md_has_source(m, file))
        md_printf(b, "[%s:%ld](%ssource/%s.md#L%ld)", file, line, strcmp(from_dir, "api") == 0 ? "" : "../api/",
                  file, line);
    else md_printf(b, "`%s:%ld`", file, line);
}

// A C type in a table cell; linked when its base name is a documented symbol.
static void md_type(MdBuf *b, const MdModel *m, const char *type) {
    if (!type || !*type) {
        md_put(b, "—");
        return;
    }
    char base[256];
    size_t n = 0;
    const char *p = type;
    if (strncmp(p, "const ", 6) == 0) p += 6;
    if (strncmp(p, "struct ", 7) == 0) p += 7;
    while ((isalnum((unsigned char)*p) || *p == '_') && n + 1 < sizeof base) base[n++] = *p++;
    base[n] = '\0';
    if (n && md_find(m, base)) md_printf(b, "[`%s`](%s.md)", type, base);
    else md_printf(b, "`%s`", type);
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

static void md_field_rows(MdBuf *b, const MdModel *m, const MdSym *s, json_t *fields, int depth, int is_enum) {
    size_t  i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *name = md_json_str(f, "name");
        md_put(b, "| ");
        for (int d = 0; d < depth; d++) md_put(b, "&emsp;");
        if (name && *name) md_printf(b, "`%s`", name);
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
        if (json_is_array(inner)) md_field_rows(b, m, s, inner, depth + 1, 0);
    }
}

static void md_fields(MdBuf *b, const MdModel *m, const MdSym *s) {
    int     is_enum = json_array_size(json_object_get(s->json, "enum_values")) > 0;
    json_t *fields  = json_object_get(s->json, is_enum ? "enum_values" : "fields");
    if (!json_array_size(fields)) return;
    md_printf(b, "## %s\n\n| Name | %s | Description |\n|---|---|---|\n", is_enum ? "Values" : "Fields",
              is_enum ? "Value" : "Type");
    md_field_rows(b, m, s, fields, 0, is_enum);
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
            md_printf(b, "| `%s` | %s | ", name ? name : "", dir ? dir : "—");
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
        if (fn && md_find(m, fn)) md_sym_link(b, m, fn, "api");
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

// --- Scraped examples ----------------------------------------------------------------------

enum { MD_MAX_USES = 16 };

typedef struct MdExample {
    const char *file;
    const char *function;
    long        first, last, use; // function lines and the first use
    long        uses[MD_MAX_USES]; // every use line that is code, highlighted
    size_t      nuse;
    char       *code;
    int         rank;             // 0 examples, 1 tests, 2 bench, 3 library, 4 header
} MdExample;

static int md_ident_at(const char *code, const char *p, const char *name, size_t n) {
    return strncmp(p, name, n) == 0 && (p == code || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
           !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

// Whether line `rel` (1-based) of `code` is a real use of `name`: false only when the name is
// written on that line in a comment or a string and nowhere else. A line that does not spell the
// name (a use through a macro expansion or a _Generic selection) counts as a use.
static int md_is_code_use(const char *code, long rel, const char *name) {
    enum { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR } st = CODE;
    size_t n = strlen(name);
    long   line = 1;
    int    in_text = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '\n') {
            if (line == rel) break;
            line++;
            if (st == LINE_COMMENT) st = CODE;
            continue;
        }
        if (line == rel && st != CODE && md_ident_at(code, p, name, n)) in_text = 1;
        switch (st) {
        case CODE:
            if (p[0] == '/' && p[1] == '/') st = LINE_COMMENT;
            else if (p[0] == '/' && p[1] == '*') st = BLOCK_COMMENT, p++;
            else if (*p == '"') st = STRING;
            else if (*p == '\'') st = CHAR;
            else if (line == rel && md_ident_at(code, p, name, n)) return 1;
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

// api.json's ranked candidates (one per enclosing function), keeping the use lines that are
// code (not a comment or a string) and dropping functions with none and code met twice.
static size_t md_collect_examples(const MdModel *m, const MdSym *s, MdExample **out) {
    json_t    *list = json_object_get(s->json, "examples");
    MdExample *ex   = calloc(json_array_size(list) + 1, sizeof *ex);
    size_t     n    = 0, i;
    json_t    *e;
    json_array_foreach(list, i, e) {
        const char *file = md_json_str(e, "file"), *fn = md_json_str(e, "function");
        long first = md_json_int(e, "start"), last = md_json_int(e, "end");
        if (!file || !fn || first < 1 || last < first || strcmp(fn, s->name) == 0) continue;
        const char *code = md_json_str(e, "code");
        MdExample   x    = {.file = file, .function = fn, .first = first, .last = last,
                            .code = code ? strdup(code) : md_source_lines(m, file, first, last),
                            .rank = md_category_rank(md_json_str(e, "category"), file)};
        size_t  k;
        json_t *line;
        json_array_foreach(json_object_get(e, "use_lines"), k, line) {
            long l = json_is_integer(line) ? (long)json_integer_value(line) : 0;
            if (l < first || l > last || x.nuse >= MD_MAX_USES) continue;
            if (x.code && !md_is_code_use(x.code, l - first + 1, s->name)) continue;
            x.uses[x.nuse++] = l;
        }
        int dup = 0;
        for (size_t j = 0; j < n && x.code; j++) dup |= ex[j].code && strcmp(ex[j].code, x.code) == 0;
        if (!x.nuse || !x.code || dup) {
            free(x.code);
            continue;
        }
        x.use   = x.uses[0];
        ex[n++] = x;
    }
    qsort(ex, n, sizeof *ex, md_example_cmp);
    *out = ex;
    return n;
}

// The lines of an example shown: the whole function when it has at most `max` lines, else `max`
// lines starting a quarter of them before its first use (the rest are linked, and counted).
static void md_example_span(const MdExample *e, long max, long *from, long *to) {
    *from = e->first;
    *to   = e->last;
    if (e->last - e->first + 1 <= max) return;
    *from = e->use - max / 4 > e->first ? e->use - max / 4 : e->first;
    *to   = *from + max - 1 < e->last ? *from + max - 1 : e->last;
}

static void md_example_block(MdBuf *b, const MdModel *m, const MdExample *e, long max, const char *indent) {
    long from, to;
    md_example_span(e, max, &from, &to);
    const char *p = e->code;
    for (long l = e->first; l < from && p; l++) p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
    const char *end = p;
    for (long l = from; l <= to && end && *end; l++) end = strchr(end, '\n') ? strchr(end, '\n') + 1 : end + strlen(end);
    if (!p || !end) p = e->code, end = e->code + strlen(e->code), from = e->first, to = e->last;
    char *code = strndup(p, (size_t)(end - p));
    MdBuf opts = {0};
    md_printf(&opts, "linenums=\"%ld\" hl_lines=\"", from);
    int any = 0;
    for (size_t i = 0; i < e->nuse; i++)
        if (e->uses[i] >= from && e->uses[i] <= to) md_printf(&opts, "%s%ld", any++ ? " " : "", e->uses[i] - from + 1);
    md_putc(&opts, '"');
    md_code(b, code, md_str(&opts), indent);
    md_free(&opts);
    free(code);
    if (from != e->first || to != e->last) {
        md_printf(b, "\n%s%ld of the %ld lines of `%s` shown; the whole function: ", indent, to - from + 1,
                  e->last - e->first + 1, e->function);
        md_source_link(b, m, e->file, e->first, "api");
        md_putc(b, '\n');
    }
}

static void md_examples(MdBuf *b, const MdModel *m, const MdSym *s) {
    const char *usage = md_json_str(s->doc, "usage");
    if (usage && *usage) {
        md_put(b, "## Documented example\n\n");
        md_code(b, usage, NULL, "");
        md_putc(b, '\n');
    }
    MdExample *ex = NULL;
    size_t     n  = md_collect_examples(m, s, &ex);
    if (n) {
        md_printf(b, "## Examples from the code\n\n%zu function%s use%s `%s`; the shortest, from tests and "
                     "examples first.\n\n",
                  n, n == 1 ? "" : "s", n == 1 ? "s" : "", s->name);
        for (size_t i = 0; i < n; i++) {
            if (i == 0) {
                md_printf(b, "In `%s`, ", ex[i].function);
                md_source_link(b, m, ex[i].file, ex[i].use, "api");
                md_put(b, ":\n\n");
                md_example_block(b, m, &ex[i], MD_SHOWN_LINES, "");
                md_putc(b, '\n');
            } else if (i <= MD_EXAMPLES_FOLDED) {
                md_printf(b, "??? example \"In %s, %s:%ld\"\n", ex[i].function, ex[i].file, ex[i].use);
                md_example_block(b, m, &ex[i], MD_FOLDED_LINES, "    ");
                md_putc(b, '\n');
            } else if (i <= MD_EXAMPLES_FOLDED + MD_MORE_USES) {
                if (i == MD_EXAMPLES_FOLDED + 1) md_put(b, "More uses:\n\n");
                md_printf(b, "- `%s` at ", ex[i].function);
                md_source_link(b, m, ex[i].file, ex[i].use, "api");
                md_putc(b, '\n');
            }
        }
        if (n > MD_EXAMPLES_FOLDED + MD_MORE_USES + 1)
            md_printf(b, "- and %zu more functions, listed by file under [Used by](#used-by)\n",
                      n - MD_EXAMPLES_FOLDED - MD_MORE_USES - 1);
        if (n > MD_EXAMPLES_FOLDED + 1) md_putc(b, '\n');
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
    int any = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && strcmp(refs[j].file, refs[i].file) == 0;) j++;
        if (md_is_test_path(refs[i].file) != tests) continue;
        if (!any) md_printf(b, "**%s**\n\n", tests ? "In tests" : "In the library and examples");
        any = 1;
        md_printf(b, "- `%s` (%zu):", refs[i].file, j - i);
        for (size_t k = i; k < j && k < i + MD_USED_PER_FILE; k++) {
            md_put(b, k > i ? ", " : " ");
            if (md_find(m, refs[k].function)) md_sym_link(b, m, refs[k].function, "api");
            else md_printf(b, "`%s`", refs[k].function);
            md_put(b, " (");
            md_source_link(b, m, refs[k].file, refs[k].line, "api");
            md_put(b, ")");
        }
        if (j - i > MD_USED_PER_FILE) {
            md_printf(b, " and %zu more", j - i - MD_USED_PER_FILE);
            if (md_has_source(m, refs[i].file)) md_printf(b, " in [the source](source/%s.md)", refs[i].file);
        }
        md_putc(b, '\n');
    }
    if (any) md_putc(b, '\n');
}

static void md_used_by(MdBuf *b, const MdModel *m, const MdSym *s) {
    json_t *refs = json_object_get(s->json, "references");
    MdRef  *list = calloc(json_array_size(refs) + 1, sizeof *list);
    size_t  n    = 0, i;
    json_t *r;
    json_array_foreach(refs, i, r) {
        MdRef ref = {md_json_str(r, "file"), md_json_str(r, "function"), md_json_int(r, "line")};
        if (!ref.file) continue;
        if (!ref.function) ref.function = "(file scope)";
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            if (strcmp(list[k].file, ref.file) == 0 && strcmp(list[k].function, ref.function) == 0) {
                dup = 1;
                if (ref.line < list[k].line) list[k].line = ref.line;
            }
        if (!dup) list[n++] = ref;
    }
    if (n) {
        qsort(list, n, sizeof *list, md_ref_cmp);
        md_put(b, "## Used by\n\n");
        md_used_by_group(b, m, list, n, 0);
        md_used_by_group(b, m, list, n, 1);
    }
    free(list);
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
        md_sym_link(b, m, use->name, "api");
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

// Related: the `SEE:` names, then the symbols sharing the rarest tags (sum of idf).
static void md_related(MdBuf *b, const MdModel *m, const MdSym *s) {
    enum { MAX_RELATED = 8 };
    const MdSym *pick[MAX_RELATED];
    double       score[MAX_RELATED];
    size_t       n = 0, i;
    json_t      *v;
    json_array_foreach(json_object_get(s->doc, "see"), i, v) {
        const MdSym *o = json_is_string(v) ? md_find(m, json_string_value(v)) : NULL;
        if (o && o != s && n < MAX_RELATED) score[n] = 1e9, pick[n++] = o;
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
        md_sym_link(b, m, pick[k]->name, "api");
        md_put(b, " — ");
        md_inline(b, m, md_json_str(pick[k]->doc, "brief"), "api");
        md_putc(b, '\n');
    }
    md_putc(b, '\n');
}

// --- The page ------------------------------------------------------------------------------

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
    md_code(b, md_str(&inc), NULL, "");
    md_free(&inc);
    md_putc(b, '\n');
    if (*s->decl) {
        md_code(b, s->decl, NULL, "");
        md_putc(b, '\n');
    }
    md_put(b, "Defined at ");
    md_source_link(b, m, s->file, s->line, "api");
    md_put(b, ".\n\n");
    if (!s->doc) md_put(b, "*Not documented.*\n\n");
    md_text(b, m, md_json_str(s->doc, "description") ? md_json_str(s->doc, "description") : brief, "api");
    md_putc(b, '\n');
    md_admonitions(b, m, s, "info", "info", "Info");
    md_admonitions(b, m, s, "note", "note", "Note");
    md_admonitions(b, m, s, "warn", "warning", "Warning");
    md_fields(b, m, s);
    md_params(b, m, s);
    md_dispatch(b, m, s);
    md_examples(b, m, s);
    md_used_by(b, m, s);
    md_uses(b, m, s);
    md_related(b, m, s);
}

int md_symbol_pages(const MdModel *m) {
    for (size_t i = 0; i < m->nsyms; i++) {
        MdBuf b = {0};
        md_symbol_page(&b, m, &m->syms[i]);
        char path[512];
        snprintf(path, sizeof path, "api/%s.md", m->syms[i].name);
        int rc = md_write(m, path, &b);
        md_free(&b);
        if (rc) return rc;
    }
    return 0;
}
