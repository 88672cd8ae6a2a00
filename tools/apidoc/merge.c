// SPDX-License-Identifier: MIT
// Merging the units' results into one model: diagnostics and raw uses are collected, each
// header's symbols get the `///` block written before them, and a symbol declared in several
// headers becomes one entry (the documented declaration is its home, USRs are united; documented
// twice is an error). A block that attaches to nothing is an error. Entry point: merge_units.
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
    if (old->doc && s->doc)
        diag_add(&m->diags, DIAG_ERROR, s->header, s->line, "`%s` is documented twice (also at %s:%d)", s->name, old->header, old->line);
    for (size_t i = 0; i < drop->usrs.n; i++) vec_push(&keep->usrs, drop->usrs.items[i]);
    m->symbols.items[*at] = keep;
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
    for (size_t i = 0; i < in->jobs.n; i++) {
        Job *j = &in->jobs.items[i];
        failed |= j->r.failed;
        for (size_t k = 0; k < j->r.diags.n; k++) vec_push(&m->diags, j->r.diags.items[k]);
        for (size_t k = 0; k < j->r.refs.n; k++) vec_push(&m->raw_refs, j->r.refs.items[k]);
        for (size_t k = 0; k < j->r.misuse.n; k++) vec_push(&m->misuse, j->r.misuse.items[k]);
        if (j->is_header) {
            HeaderFile *h = j->header;
            for (size_t k = 0; k < j->r.syms.n; k++) {
                Symbol *s = j->r.syms.items[k];
                Doc *d = comment_block_before(&h->blocks, h->lines, h->nlines, s->line);
                if (d) s->doc = d, d->used = 1;
            }
            for (size_t k = 0; k < j->r.syms.n; k++) merge_symbol(m, &seen, j->r.syms.items[k]);
            for (size_t b = 0; b < h->blocks.n; b++)
                if (!h->blocks.items[b]->used)
                    diag_add(&m->diags, DIAG_ERROR, h->path, h->blocks.items[b]->line,
                             "doc block never attaches to a declaration (it must be followed, after blank lines only, by the declaration it documents)");
        }
    }
    map_free(&seen);
    return failed ? 1 : 0;
}
