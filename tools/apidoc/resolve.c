// SPDX-License-Identifier: MIT
// Resolution after the merge: alias typedefs join the record they name (resolve_aliases); the raw
// uses extract.c found (by USR) become references of public symbols, one entry per written
// position; each symbol's `uses` (what its own declaration refers to) are derived and example
// candidates ranked (examples and tests first, then shorter functions, then path), one per
// enclosing function, with the function's source text (xref_resolve).
#include "stages.h"

#include <ctype.h>  // isalnum
#include <stdint.h> // uint64_t
#include <stdlib.h> // qsort
#include <string.h> // strcmp

typedef struct { const char *key; Symbol *sym; int member; } Slot;
typedef struct { Slot *slots; size_t cap; } Map;

static uint64_t hash(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void map_put(Map *m, const char *key, Symbol *sym, int member) {
    size_t i = (size_t)(hash(key) & (m->cap - 1));
    while (m->slots[i].key) {
        if (strcmp(m->slots[i].key, key) == 0) return; // first wins
        i = (i + 1) & (m->cap - 1);
    }
    m->slots[i] = (Slot){key, sym, member};
}

static Slot *map_get(const Map *m, const char *key) {
    size_t i = (size_t)(hash(key) & (m->cap - 1));
    while (m->slots[i].key) {
        if (strcmp(m->slots[i].key, key) == 0) return &m->slots[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static int kind_rank(const char *k) {
    static const char *const order[] = {"generic-selection", "call", "macro-expansion", "reference", "type", "member"};
    for (int i = 0; i < 6; i++)
        if (strcmp(order[i], k) == 0) return i;
    return 6;
}

static int ref_cmp(const void *a, const void *b) {
    const Reference *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->column != y->column) return x->column < y->column ? -1 : 1;
    return kind_rank(x->kind) - kind_rank(y->kind);
}

static int cat_rank(const char *c) {
    static const char *const order[] = {"example", "test", "bench", "library", "header"};
    for (int i = 0; i < 5; i++)
        if (strcmp(order[i], c) == 0) return i;
    return 5;
}

static int example_cmp(const void *a, const void *b) {
    const Example *x = a, *y = b;
    int c = cat_rank(x->category) - cat_rank(y->category);
    if (c) return c;
    if (x->end - x->start != y->end - y->start) return (x->end - x->start) < (y->end - y->start) ? -1 : 1;
    c = strcmp(x->file, y->file);
    if (c) return c;
    return x->start - y->start;
}

typedef struct { char *path; char **lines; int n; } CachedFile;
typedef Vec(CachedFile) FileCache;

static CachedFile *cached(FileCache *fc, const char *path) {
    for (size_t i = 0; i < fc->n; i++)
        if (strcmp(fc->items[i].path, path) == 0) return &fc->items[i];
    DiagVec ignore = {0};
    CachedFile f = {xstrdup(path), NULL, 0};
    f.lines = read_lines(path, &f.n, &ignore);
    vec_push(fc, f);
    return &fc->items[fc->n - 1];
}

// A function made by a macro (Criterion's `Test(suite, name) {`) is named as written, not by
// the identifier the macro generates (`suite_name_impl`).
static char *display_name(FileCache *fc, const char *file, int start, char *name) {
    static const char *last_file;
    static int last_start;
    static char *last_in, *last_out;
    if (last_file && last_start == start && strcmp(last_in, name) == 0 && strcmp(last_file, file) == 0) return last_out;
    last_file = file, last_start = start, last_in = name;
    last_out = name;
    CachedFile *f = cached(fc, file);
    if (!f->lines || start < 1 || start > f->n) return name;
    const char *l = f->lines[start - 1];
    while (*l == ' ') l++;
    if (strstr(l, name)) return name;
    const char *p = l;
    while (isalnum((unsigned char)*p) || *p == '_') p++;
    if (p == l || *p != '(') return name;
    const char *close = strchr(p, ')');
    if (!close) return name;
    return last_out = xstrndup(l, (size_t)(close - l + 1));
}

static void add_use(Symbol *s, const char *id) {
    if (strcmp(s->id, id) == 0) return;
    for (size_t i = 0; i < s->uses.n; i++)
        if (strcmp(s->uses.items[i], id) == 0) return;
    vec_push(&s->uses, xstrdup(id));
}

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

// The symbol of `header` whose declaration spans `line`.
static Symbol *symbol_at(Model *m, const char *header, int line) {
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        if (s->line <= line && line <= s->end_line && strcmp(s->header, header) == 0) return s;
    }
    return NULL;
}

void xref_resolve(Model *m) {
    Map usr = {0}, names = {0};
    size_t total = 16;
    for (size_t i = 0; i < m->symbols.n; i++) total += m->symbols.items[i]->usrs.n + m->symbols.items[i]->member_usrs.n + 1;
    for (usr.cap = 64; usr.cap < total * 2; usr.cap *= 2) {}
    names.cap = usr.cap;
    usr.slots = xcalloc(usr.cap, sizeof(Slot));
    names.slots = xcalloc(names.cap, sizeof(Slot));
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        s->id = xprintf("%s:%s", kind_name(s->kind), s->name);
        for (size_t k = 0; k < s->usrs.n; k++) map_put(&usr, s->usrs.items[k], s, 0);
        for (size_t k = 0; k < s->member_usrs.n; k++) map_put(&usr, s->member_usrs.items[k], s, 1);
        map_put(&names, s->name, s, 0);
    }
    FileCache fc = {0};
    for (size_t i = 0; i < m->raw_refs.n; i++) {
        RawRef *r = &m->raw_refs.items[i];
        Slot *sl = map_get(&usr, r->usr);
        if (!sl) continue;
        if (r->function) r->function = display_name(&fc, r->file, r->function_start, r->function);
        Reference ref = {r->file, r->line, r->column, r->kind, r->function,
                         r->function ? r->function_start : 0, r->function ? r->function_end : 0};
        vec_push(&sl->sym->refs, ref);
    }
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        if (s->refs.n) qsort(s->refs.items, s->refs.n, sizeof(Reference), ref_cmp);
        size_t w = 0;
        for (size_t k = 0; k < s->refs.n; k++) {
            Reference *r = &s->refs.items[k];
            if (w && strcmp(s->refs.items[w - 1].file, r->file) == 0 && s->refs.items[w - 1].line == r->line &&
                s->refs.items[w - 1].column == r->column)
                continue;
            s->refs.items[w++] = *r;
        }
        s->refs.n = w;
        // uses: references written inside another symbol's declaration
        for (size_t k = 0; k < s->refs.n; k++) {
            Reference *r = &s->refs.items[k];
            if (strcmp(ref_category(r->file), "header") != 0) continue;
            Symbol *owner = symbol_at(m, r->file, r->line);
            if (owner) add_use(owner, s->id);
        }
        // examples: one per enclosing function
        for (size_t k = 0; k < s->refs.n; k++) {
            Reference *r = &s->refs.items[k];
            if (!r->function) continue;
            Example *ex = NULL;
            for (size_t e = 0; e < s->examples.n; e++)
                if (strcmp(s->examples.items[e].file, r->file) == 0 && s->examples.items[e].start == r->function_start)
                    ex = &s->examples.items[e];
            if (!ex) {
                Example e = {xstrdup(r->file), xstrdup(r->function), (char *)ref_category(r->file), NULL,
                             r->function_start, r->function_end, {0}};
                vec_push(&s->examples, e);
                ex = &s->examples.items[s->examples.n - 1];
            }
            if (!ex->use_lines.n || ex->use_lines.items[ex->use_lines.n - 1] != r->line) vec_push(&ex->use_lines, r->line);
        }
        if (s->examples.n) qsort(s->examples.items, s->examples.n, sizeof(Example), example_cmp);
        for (size_t e = 0; e < s->examples.n; e++) {
            Example *ex = &s->examples.items[e];
            CachedFile *f = cached(&fc, ex->file);
            size_t cap = 1024, n = 0;
            char *code = xrealloc(NULL, cap);
            code[0] = '\0';
            for (int l = ex->start; f->lines && l <= ex->end && l <= f->n; l++) {
                size_t len = strlen(f->lines[l - 1]);
                if (n + len + 2 > cap) code = xrealloc(code, cap = (n + len + 2) * 2);
                memcpy(code + n, f->lines[l - 1], len);
                n += len;
                code[n++] = '\n';
                code[n] = '\0';
            }
            ex->code = code;
        }
    }
    // macros: public names in the body
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        for (size_t k = 0; k < s->body_idents.n; k++) {
            Slot *sl = map_get(&names, s->body_idents.items[k]);
            if (sl) add_use(s, sl->sym->id);
        }
        // functions named in a _Generic table
        for (size_t k = 0; k < s->dispatch.n; k++) {
            if (!s->dispatch.items[k].function) continue;
            Slot *sl = map_get(&names, s->dispatch.items[k].function);
            if (sl) add_use(s, sl->sym->id);
        }
        if (s->uses.n) qsort(s->uses.items, s->uses.n, sizeof(char *), str_cmp);
    }
    free(usr.slots);
    free(names.slots);
}
// Alias typedefs (`typedef struct X X;`) denote their record; a doc block on the forward
// typedef documents the record when the definition has none.
void resolve_aliases(Model *m) {
    for (size_t i = 0; i < m->aliases.n; i++) {
        Symbol *a = m->aliases.items[i], *s = model_find(m, a->name);
        if (!s) {
            vec_push(&m->declared, xstrdup(a->name));
            if (a->doc)
                diag_add(&m->diags, DIAG_ERROR, a->header, a->doc->line,
                         "doc block on a forward declaration of `%s`, which no public header defines", a->name);
            continue;
        }
        for (size_t k = 0; k < a->usrs.n; k++) vec_push(&s->usrs, a->usrs.items[k]);
        if (a->doc && !s->doc) s->doc = a->doc;
        else if (a->doc)
            diag_add(&m->diags, DIAG_ERROR, a->header, a->doc->line, "`%s` is documented twice (also at %s:%d)",
                     a->name, s->header, s->doc->line);
    }
}
