// SPDX-License-Identifier: MIT
// Source pages (md_source_pages): every file apidoc read that holds a declaration or a use,
// as one linked code block: line numbers that are anchors (#L<n>, no tab stops), each use of a
// public symbol linked to its page where libclang saw it (api.json references, by line and
// column), each public declaration and definition linked to its page, and each local function
// or macro defined in the file linked from its uses to its line. Highlighted by the site hook.
//
// Budget: a source page weighs at most 4 times its source file plus 24 KB (the theme's header and
// navigation) of HTML; on the library the largest ratio is 3.4 (tests/alloc/test_arena.c), pinned
// for every source page by tests/browser/pages.test.js. Sources larger than MD_SOURCE_MAX_BYTES
// get a page with the text only (no links, no highlighting), which keeps to it too.
#include "gen_md_internal.h"

#include <ctype.h>  // isalnum
#include <stdio.h>  // snprintf
#include <stdlib.h> // qsort, free
#include <string.h> // strcmp

enum { MD_SOURCE_MAX_BYTES = 512 * 1024 };

typedef struct MdLocal {
    const char *at; // the name where it is defined
    size_t      len;
    long        line;
} MdLocal;

typedef struct MdSourceScan {
    const MdModel *m;
    const char    *file, *text, *from_dir;
    MdMark        *marks;
    size_t         nmarks, cap;
    MdLocal       *locals;
    size_t         nlocals, lcap;
    const char    *line_at; // start of the line of the last identifier seen, and its number
    long           line;
    int            define;  // the last identifier was `define` after a `#`
} MdSourceScan;

static MdMark *md_source_mark(MdSourceScan *d, size_t at, size_t len) {
    if (d->nmarks == d->cap) {
        d->cap   = d->cap ? 2 * d->cap : 64;
        d->marks = realloc(d->marks, d->cap * sizeof *d->marks);
        if (!d->marks) exit(3);
    }
    MdMark *k = &d->marks[d->nmarks++];
    *k        = (MdMark){.at = at, .len = len};
    return k;
}

static long md_line_at(MdSourceScan *d, const char *p) {
    for (const char *q = d->line_at; q < p; q++)
        if (*q == '\n') d->line++, d->line_at = q + 1;
    return d->line;
}

// Pass 1: local definitions, `NAME(...) {` at file scope and `#define NAME`.
static int md_find_locals(void *ctx, const char *at, size_t len, int member, int depth) {
    MdSourceScan *d = ctx;
    int           is_macro = d->define;
    d->define          = 0;
    if (member) return 0;
    if (len == 6 && strncmp(at, "define", 6) == 0) {
        const char *h = at;
        while (h > d->text && (h[-1] == ' ' || h[-1] == '\t')) h--;
        d->define = h > d->text && h[-1] == '#';
        return 0;
    }
    int is_function = 0;
    if (!is_macro && depth == 0 && at[len] == '(') {
        int         parens = 0;
        const char *q      = at + len;
        for (; *q; q++) {
            if (*q == '(') parens++;
            else if (*q == ')' && --parens == 0) break;
        }
        if (*q == ')') {
            q++;
            while (*q && isspace((unsigned char)*q)) q++;
            is_function = *q == '{';
        }
    }
    if (!is_macro && !is_function) return 0;
    if (d->nlocals == d->lcap) {
        d->lcap   = d->lcap ? 2 * d->lcap : 32;
        d->locals = realloc(d->locals, d->lcap * sizeof *d->locals);
        if (!d->locals) exit(3);
    }
    d->locals[d->nlocals++] = (MdLocal){at, len, md_line_at(d, at)};
    return 0;
}

static const MdSym *md_find_n(const MdModel *m, const char *at, size_t len) {
    char name[256];
    if (len >= sizeof name) return NULL;
    snprintf(name, sizeof name, "%.*s", (int)len, at);
    return md_find(m, name);
}

// Pass 2: a public declaration or definition links to its symbol page; a use of a local
// definition links to the line defining it.
static int md_link_locals(void *ctx, const char *at, size_t len, int member, int depth) {
    MdSourceScan *d = ctx;
    (void)depth;
    if (member) return 0;
    long line = md_line_at(d, at);
    for (size_t i = 0; i < d->nlocals; i++) {
        const MdLocal *l = &d->locals[i];
        if (l->len != len || strncmp(l->at, at, len) != 0) continue;
        const MdSym *pub = md_find_n(d->m, at, len);
        MdMark      *k   = md_source_mark(d, (size_t)(at - d->text), len);
        if (pub && l->at == at) md_sym_href(k->href, sizeof k->href, pub, d->from_dir); // its definition
        else if (l->at != at && l->line != line) snprintf(k->href, sizeof k->href, "#L%ld", l->line);
        else d->nmarks--;
        return 0;
    }
    // A public symbol declared here (its home header): the name on its first line.
    const MdSym *pub = md_find_n(d->m, at, len);
    if (pub && strcmp(pub->file, d->file) == 0 && pub->line == line) {
        MdMark *k = md_source_mark(d, (size_t)(at - d->text), len);
        md_sym_href(k->href, sizeof k->href, pub, d->from_dir);
    }
    return 0;
}

static int md_mark_cmp(const void *a, const void *b) {
    const MdMark *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

// Marks of the references libclang recorded in this file: the identifier written at (line,
// column) that names the referenced symbol (or its tag); a use through a macro is the macro's.
static void md_reference_marks(MdSourceScan *d, const char *const *starts, long nlines) {
    size_t         n;
    const MdRefAt *refs = md_refs_in(d->m, d->file, 1, nlines, &n);
    for (size_t i = 0; i < n; i++) {
        const MdRefAt *r = &refs[i];
        if (r->line < 1 || r->line > nlines || r->column < 1) continue;
        const char *line = starts[r->line - 1], *eol = strchr(line, '\n');
        size_t      room = eol ? (size_t)(eol - line) : strlen(line);
        if ((size_t)r->column - 1 >= room) continue;
        const char *at  = line + r->column - 1;
        const char *tag = md_json_str(r->target->json, "tag_name");
        size_t      len = 0;
        while (isalnum((unsigned char)at[len]) || at[len] == '_') len++;
        if (!((strlen(r->target->name) == len && strncmp(at, r->target->name, len) == 0) ||
              (tag && strlen(tag) == len && strncmp(at, tag, len) == 0)))
            continue;
        MdMark *k = md_source_mark(d, (size_t)(at - d->text), len);
        md_sym_href(k->href, sizeof k->href, r->target, d->from_dir);
    }
}

static int md_source_page(const MdModel *m, const char *file) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", m->source_root, file);
    size_t size = 0;
    char  *text = md_read_file(path, &size);
    if (!text) return 0;
    if (size == 0 || text[size - 1] != '\n') { // every line ends in '\n'
        MdBuf t = {0};
        md_putn(&t, text, size);
        md_putc(&t, '\n');
        free(text);
        text = t.data;
        size++;
    }
    char from[4096];
    snprintf(from, sizeof from, "api/source/%s", file);
    *strrchr(from, '/') = '\0';
    long nlines = 0;
    for (const char *p = text; *p; p++) nlines += *p == '\n';
    const char **starts = calloc((size_t)nlines + 1, sizeof *starts);
    if (!starts) exit(3);
    starts[0] = text;
    for (long l = 1, i = 0; text[i]; i++)
        if (text[i] == '\n' && text[i + 1]) starts[l++] = text + i + 1;
    MdSourceScan d = {.m = m, .file = file, .text = text, .from_dir = from, .line_at = text, .line = 1};
    if (size <= MD_SOURCE_MAX_BYTES) {
        md_each_ident(text, md_find_locals, &d);
        d.line_at = text, d.line = 1;
        md_each_ident(text, md_link_locals, &d);
        md_reference_marks(&d, starts, nlines);
    }
    if (d.nmarks) qsort(d.marks, d.nmarks, sizeof *d.marks, md_mark_cmp);
    size_t kept = 0; // one mark per identifier: a reference and a declaration at the same place
    for (size_t i = 0; i < d.nmarks; i++) {
        if (kept && d.marks[i].at < d.marks[kept - 1].at + d.marks[kept - 1].len) {
            if (!d.marks[kept - 1].href[0]) memcpy(d.marks[kept - 1].href, d.marks[i].href, sizeof d.marks[i].href);
            continue;
        }
        d.marks[kept++] = d.marks[i];
    }
    MdBuf b = {0};
    // No table of contents (a source page has no sections): the code gets that width.
    md_printf(&b, "---\ntitle: %s\nhide:\n  - toc\n---\n\n# %s\n\n", file, file);
    md_printf(&b, "%ld lines; names of the public API link to their pages, local functions and macros to "
                  "their definitions.\n\n", nlines);
    MdCodeView v = {.code = text, .first = 1, .anchors = 1, .marks = d.marks, .nmarks = kept,
                    .cls = size <= MD_SOURCE_MAX_BYTES ? "apidoc-src" : "apidoc-src apidoc-plain"};
    md_code_html(&b, &v);
    snprintf(path, sizeof path, "api/source/%s.md", file);
    int rc = md_write(m, path, &b);
    md_free(&b);
    free(d.marks);
    free(d.locals);
    free(starts);
    free(text);
    return rc;
}

int md_source_pages(const MdModel *m) {
    for (size_t i = 0; i < m->nsources; i++)
        if (md_source_page(m, m->sources[i])) return -1;
    return 0;
}
