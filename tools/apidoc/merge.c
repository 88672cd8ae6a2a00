// SPDX-License-Identifier: MIT
// Merging the units' results into one model: diagnostics and raw uses are collected, each
// header's symbols get the `///` block written before them, and a symbol declared in several
// headers becomes one entry (the documented declaration is its home, USRs are united; documented
// twice is an error). A block that attaches to nothing is an error. Entry point: merge_units.
#include "comment_doxygen.h"
#include "stages.h"

#include <stdlib.h> // free
#include <string.h> // strcmp

// Symbols are keyed by (name space, name): a function and a macro of one name are two symbols.
static char *symbol_key(const Symbol *s) { return xprintf("%d:%s", (int)s->ns, s->name); }

static void merge_symbol(Model *m, Map *seen, Symbol *s) {
    if (s->alias) { // `typedef struct X Y;`: resolve_aliases decides
        vec_push(&m->aliases, s);
        return;
    }
    char   *key = symbol_key(s);
    size_t *at  = map_get(seen, key);
    if (!at) {
        at  = xcalloc(1, sizeof *at);
        *at = m->symbols.n;
        map_put(seen, key, at);
        vec_push(&m->symbols, s);
        return;
    }
    free(key);
    // a redeclaration: the documented one is the home; USRs are merged
    Symbol *old = m->symbols.items[*at], *keep = old, *drop = s;
    if (!old->doc && s->doc) keep = s, drop = old;
    else if (!old->doc && !s->doc && (strcmp(s->header, old->header) < 0)) keep = s, drop = old;
    // Both documented (a forward `typedef struct x_s x_t;` with a block, then the definition
    // with another): valid C, so a warning; the first one in source order is the home.
    if (old->doc && s->doc)
        diag_add(&m->diags, DIAG_WARNING, s->header, s->line, "`%s` is documented twice (also at %s:%d); the first block is kept", s->name, old->header, old->line);
    for (size_t i = 0; i < drop->usrs.n; i++) vec_push(&keep->usrs, drop->usrs.items[i]);
    m->symbols.items[*at] = keep;
}

// A block written before a struct member or enum constant documents it, as in Doxygen (and
// like `///<` after it), unless the member already has a trailing comment.
static void member_doc(HeaderFile *h, char **trailing, int line) {
    if (*trailing) return;
    Doc *d = comment_block_before(&h->blocks, h->lines, h->nlines, line);
    if (d && !d->used) *trailing = xstrdup(d->description), d->used = 1;
}

// The same for every member, also those nested in an unnamed record's `sub`.
static void fields_doc(HeaderFile *h, FieldVec *v) {
    for (size_t i = 0; i < v->n; i++) {
        member_doc(h, &v->items[i].trailing, v->items[i].decl_line ? v->items[i].decl_line : v->items[i].line);
        fields_doc(h, &v->items[i].sub);
    }
}

// `typedef int64_t git_time_t; /**< doc */`: a Doxygen trailing comment documents a file-scope
// declaration that has no block before it.
static Doc *trailing_doc(HeaderFile *h, const Symbol *s) {
    int line = s->end_line >= 1 && s->end_line <= h->nlines ? s->end_line : s->line;
    if (line < 1 || line > h->nlines) return NULL;
    Doc *d = doxygen_trailing_doc(h->lines[line - 1], line);
    if (d) d->used = 1;
    return d;
}

int merge_units(Model *m, Inputs *in) {
    int failed = 0, io = 0;
    Map seen = {0};
    for (size_t i = 0; i < in->jobs.n; i++) io |= in->jobs.items[i].io_error;
    if (io) {
        for (size_t i = 0; i < in->jobs.n; i++)
            for (size_t k = 0; k < in->jobs.items[i].r.diags.n; k++) vec_push(&m->diags, in->jobs.items[i].r.diags.items[k]);
        return 3;
    }
    // each header's symbols (from its own parse or its including unit's), in header path order
    Map by_header = {0};
    typedef Vec(Symbol *) Syms;
    Syms *lists = xcalloc(m->files.n + 1, sizeof *lists);
    for (size_t i = 0; i < m->files.n; i++) map_put(&by_header, m->files.items[i]->path, &lists[i]);
    for (size_t i = 0; i < in->jobs.n; i++) {
        Job *j = &in->jobs.items[i];
        failed |= j->r.failed;
        for (size_t k = 0; k < j->r.diags.n; k++) vec_push(&m->diags, j->r.diags.items[k]);
        for (size_t k = 0; k < j->r.refs.n; k++) vec_push(&m->raw_refs, j->r.refs.items[k]);
        for (size_t k = 0; k < j->r.misuse.n; k++) vec_push(&m->misuse, j->r.misuse.items[k]);
        for (size_t k = 0; k < j->r.syms.n; k++) {
            Syms *list = map_get(&by_header, j->r.syms.items[k]->header);
            if (list) vec_push(list, j->r.syms.items[k]);
        }
    }
    for (size_t f = 0; f < m->files.n; f++) {
        HeaderFile *h = m->files.items[f];
        for (size_t k = 0; k < lists[f].n; k++) {
            Symbol *s = lists[f].items[k];
            Doc *d = comment_block_before(&h->blocks, h->lines, h->nlines, s->line);
            if (d) s->doc = d, d->used = 1;
            else s->doc = trailing_doc(h, s);
        }
        for (size_t k = 0; k < lists[f].n; k++) {
            Symbol *s = lists[f].items[k];
            fields_doc(h, &s->fields);
            for (size_t e = 0; e < s->enum_values.n; e++) member_doc(h, &s->enum_values.items[e].trailing, s->enum_values.items[e].line);
        }
        for (size_t k = 0; k < lists[f].n; k++) merge_symbol(m, &seen, lists[f].items[k]);
        for (size_t b = 0; b < h->blocks.n; b++)
            if (!h->blocks.items[b]->used)
                diag_add(&m->diags, DIAG_ERROR, h->path, h->blocks.items[b]->line,
                         "doc block never attaches to a declaration (it must be followed, after blank lines only, by the declaration it documents)");
        free(lists[f].items);
    }
    free(lists);
    map_free(&by_header);
    map_free(&seen);
    return failed ? 1 : 0;
}
