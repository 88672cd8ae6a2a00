// SPDX-License-Identifier: MIT
// Resolution after the merge: alias typedefs join the record they name (resolve_aliases); the raw
// uses extract.c found (by USR) become references of public symbols, one entry per written
// position; each symbol's `uses` (what its own declaration refers to) are derived and example
// candidates ranked (examples and tests first, then shorter functions, then path), one per
// enclosing function, with the function's source text (xref_resolve).
#include "stages.h"

#include <ctype.h>  // isalnum
#include <stdint.h> // uintptr_t
#include <stdlib.h> // qsort
#include <string.h> // strcmp

typedef struct { Symbol *sym; int member; } Target;

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

typedef struct { char **lines; int n; } Lines;

// The lines of a source file, read once (Map path -> Lines).
static Lines *lines_of(Map *files, const char *path) {
    Lines *f = map_get(files, path);
    if (f) return f;
    f = xcalloc(1, sizeof *f);
    DiagVec ignore = {0};
    f->lines = read_lines(path, &f->n, &ignore);
    map_put(files, xstrdup(path), f);
    return f;
}

static int is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

// Whether `text` spells the identifier `name` (not as part of a longer identifier).
static int spells(const char *text, const char *name) {
    size_t n = strlen(name);
    for (const char *p = strstr(text, name); p; p = strstr(p + 1, name))
        if ((p == text || !is_ident_char(p[-1])) && !is_ident_char(p[n])) return 1;
    return 0;
}

// A function made by a macro (Criterion's `Test(suite, name) {`, `OUR_KIND(page, PageAllocator,
// PageAllocatorInit())`) is named as written, not by the identifier the macro generates: the
// macro's name and its whole argument list, parentheses balanced (string and character literals
// skipped), over several lines if need be, whitespace runs collapsed.
static char *display_name(Map *files, const char *file, int start, const char *name) {
    Lines *f = lines_of(files, file);
    if (!f->lines || start < 1 || start > f->n) return xstrdup(name);
    const char *l = f->lines[start - 1];
    while (*l == ' ' || *l == '\t') l++;
    if (spells(l, name)) return xstrdup(name);
    const char *p = l;
    while (is_ident_char(*p)) p++;
    if (p == l || *p != '(') return xstrdup(name);
    size_t cap = 128, n = 0;
    char *out = xrealloc(NULL, cap);
    int depth = 0, space = 0;
    char quote = 0;
    for (int line = start; line <= f->n && line < start + 64; line++) {
        const char *t = line == start ? l : f->lines[line - 1];
        for (; *t; t++) {
            char ch = *t;
            if (ch == '\t') ch = ' ';
            if (!quote && ch == ' ') {
                space = n > 0;
                continue;
            }
            if (n + 3 > cap) out = xrealloc(out, cap *= 2);
            if (space && !quote) out[n++] = ' ';
            space = 0;
            out[n++] = ch;
            if (quote) {
                if (ch == '\\' && t[1]) out[n++] = *++t;
                else if (ch == quote) quote = 0;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')' && --depth == 0) {
                out[n] = '\0';
                return out;
            }
        }
        space = n > 0;
    }
    free(out);
    return xstrdup(name);
}

// A misuse example: a Criterion test declared to die (`.signal =` or `.exit_code =` in the macro
// that makes it), or a function handed to a death-test runner (extract.c: note_death_bodies).
static int expects_death(Lines *f, int start) {
    for (int line = start; f->lines && line <= f->n && line < start + 16; line++) {
        const char *t = f->lines[line - 1];
        if (strstr(t, ".signal") || strstr(t, ".exit_code")) return 1;
        if (strchr(t, '{')) break;
    }
    return 0;
}

static void add_use(Symbol *s, const char *id) {
    if (strcmp(s->id, id) == 0) return;
    for (size_t i = 0; i < s->uses.n; i++)
        if (strcmp(s->uses.items[i], id) == 0) return;
    vec_push(&s->uses, xstrdup(id));
}

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int name_cmp(const void *a, const void *b) {
    const Symbol *x = *(Symbol *const *)a, *y = *(Symbol *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->id, y->id);
}

typedef struct { size_t lo, hi; } Range;

// The symbol of `header` whose declaration spans `line`: binary search in the header's run of
// the sorted symbols (model_sort: header, line, name); the earliest that spans it.
static Symbol *symbol_at(const Model *m, const Map *headers, const char *header, int line) {
    const Range *r = map_get(headers, header);
    if (!r) return NULL;
    size_t lo = r->lo, hi = r->hi;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->symbols.items[mid]->line <= line) lo = mid + 1;
        else hi = mid;
    }
    Symbol *found = NULL;
    for (size_t i = lo; i > r->lo && i + 8 > lo; i--) {
        Symbol *s = m->symbols.items[i - 1];
        if (s->line <= line && line <= s->end_line) found = s;
    }
    return found;
}

static const Model *sort_model;
static int use_cmp(const void *a, const void *b) {
    const Example *x = &sort_model->examples.items[((const ExampleUse *)a)->example];
    const Example *y = &sort_model->examples.items[((const ExampleUse *)b)->example];
    if (x->misuse != y->misuse) return x->misuse - y->misuse; // misuse never first
    int c = cat_rank(x->origin) - cat_rank(y->origin);
    if (c) return c;
    if (x->end - x->start != y->end - y->start) return (x->end - x->start) < (y->end - y->start) ? -1 : 1;
    c = strcmp(x->file, y->file);
    if (c) return c;
    return x->start - y->start;
}

static int example_cmp(const void *a, const void *b) {
    const Example *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : x->start - y->start;
}

// The identifier written at (line, column) of a file, or NULL.
static char *ident_at(Map *files, const char *file, int line, int column) {
    Lines *f = lines_of(files, file);
    if (!f->lines || line < 1 || line > f->n || column < 1 || (size_t)column > strlen(f->lines[line - 1])) return NULL;
    const char *p = f->lines[line - 1] + column - 1, *e = p;
    while (is_ident_char(*e)) e++;
    return e > p ? xstrndup(p, (size_t)(e - p)) : NULL;
}

// `file:line` in a buffer reused for every lookup (the key is copied only when stored).
static const char *pos_key(Str *k, const char *file, int line) {
    k->n = 0;
    str_cat(k, file);
    str_add(k, ":", 1);
    str_int(k, line);
    return k->buf;
}

static void assign_ids(Model *m) {
    Map ids = {0};
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        s->id = xprintf("%s:%s", kind_name(s->kind), s->name);
        if (map_get(&ids, s->id)) { // the same kind and name in another name space
            free(s->id);
            s->id = xprintf("%s:%s:%s", kind_name(s->kind), namespace_name(s->ns), s->name);
        }
        map_put(&ids, s->id, s);
    }
    map_free(&ids);
    // same_name: the other entries of one name (a function `gzgetc` and its macro `gzgetc`)
    Symbol **by = xcalloc(m->symbols.n + 1, sizeof *by);
    for (size_t i = 0; i < m->symbols.n; i++) by[i] = m->symbols.items[i];
    if (m->symbols.n) qsort(by, m->symbols.n, sizeof *by, name_cmp);
    for (size_t i = 0, j; i < m->symbols.n; i = j) {
        for (j = i + 1; j < m->symbols.n && strcmp(by[i]->name, by[j]->name) == 0; j++) {}
        for (size_t a = i; j - i > 1 && a < j; a++)
            for (size_t b = i; b < j; b++)
                if (a != b) vec_push(&by[a]->same_name, xstrdup(by[b]->id));
    }
    free(by);
}

void xref_resolve(Model *m) {
    assign_ids(m);
    Map usr = {0}, names = {0}, headers = {0}, files = {0}, fn_index = {0}, death = {0};
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        Target *t = xcalloc(2, sizeof *t);
        t[0] = (Target){s, 0}, t[1] = (Target){s, 1};
        for (size_t k = 0; k < s->usrs.n; k++) map_put(&usr, s->usrs.items[k], &t[0]);
        for (size_t k = 0; k < s->member_usrs.n; k++) map_put(&usr, s->member_usrs.items[k], &t[1]);
        map_put(&names, s->name, s);
        Range *r = map_get(&headers, s->header);
        if (!r) r = map_put(&headers, s->header, xcalloc(1, sizeof *r)), r->lo = i;
        r->hi = i + 1;
    }
    for (size_t i = 0; i < m->symbols.n; i++)
        if (m->symbols.items[i]->tag_name) map_put(&names, m->symbols.items[i]->tag_name, m->symbols.items[i]);
    Str key = {0};
    for (size_t i = 0; i < m->misuse.n; i++)
        map_put(&death, xstrdup(pos_key(&key, m->misuse.items[i].file, m->misuse.items[i].line)), m);
    // references, and the table of enclosing functions (one entry each, shared by every symbol)
    for (size_t i = 0; i < m->raw_refs.n; i++) {
        RawRef *r = &m->raw_refs.items[i];
        Target *t = map_get(&usr, r->usr);
        if (!t) continue;
        Reference ref = {r->file, r->line, r->column, r->kind, NULL, 0, 0, -1};
        if (r->function) {
            size_t *at = map_get(&fn_index, pos_key(&key, r->file, r->function_start));
            if (!at) {
                at = xcalloc(1, sizeof *at);
                *at = m->examples.n;
                map_put(&fn_index, xstrdup(key.buf), at);
                Example e = {xstrdup(r->file), display_name(&files, r->file, r->function_start, r->function),
                             (char *)ref_category(r->file), NULL, r->function_start, r->function_end, 0};
                vec_push(&m->examples, e);
            }
            ref.example = (int)*at;
        }
        vec_push(&t->sym->refs, ref);
    }
    // the table sorted by (file, start), indices remapped
    size_t ne = m->examples.n;
    int *order = xcalloc(ne + 1, sizeof *order), *remap = xcalloc(ne + 1, sizeof *remap);
    Example *sorted = xcalloc(ne + 1, sizeof *sorted);
    for (size_t i = 0; i < ne; i++) sorted[i] = m->examples.items[i], sorted[i].misuse = (int)i; // carry old index
    if (ne) qsort(sorted, ne, sizeof *sorted, example_cmp);
    for (size_t i = 0; i < ne; i++) remap[sorted[i].misuse] = (int)i, order[i] = sorted[i].misuse;
    free(m->examples.items);
    m->examples.items = sorted, m->examples.cap = ne;
    free(order);
    for (size_t i = 0; i < ne; i++) {
        Example *e = &m->examples.items[i];
        Lines *f = lines_of(&files, e->file);
        e->misuse = map_get(&death, pos_key(&key, e->file, e->start)) != NULL || expects_death(f, e->start);
        size_t cap = 1024, n = 0;
        char *code = xrealloc(NULL, cap);
        code[0] = '\0';
        for (int l = e->start; f->lines && l <= e->end && l <= f->n; l++) {
            size_t len = strlen(f->lines[l - 1]);
            if (n + len + 2 > cap) code = xrealloc(code, cap = (n + len + 2) * 2);
            memcpy(code + n, f->lines[l - 1], len);
            n += len;
            code[n++] = '\n';
            code[n] = '\0';
        }
        e->code = code;
    }
    sort_model = m;
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        for (size_t k = 0; k < s->refs.n; k++)
            if (s->refs.items[k].example >= 0) {
                Reference *r = &s->refs.items[k];
                r->example = remap[r->example];
                r->function = m->examples.items[r->example].function;
                r->function_start = m->examples.items[r->example].start;
                r->function_end = m->examples.items[r->example].end;
            }
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
            Symbol *owner = symbol_at(m, &headers, r->file, r->line);
            if (owner) add_use(owner, s->id);
        }
        if (s->basic) continue; // `size`, `u8`: a use count, no example list
        // examples: one per enclosing function
        Map at = {0};
        for (size_t k = 0; k < s->refs.n; k++) {
            Reference *r = &s->refs.items[k];
            if (r->example < 0) continue;
            size_t *slot = map_get_p(&at, (void *)(uintptr_t)(r->example + 1));
            if (!slot) {
                ExampleUse u = {r->example, {0}, NULL};
                vec_push(&s->examples, u);
                slot = xcalloc(1, sizeof *slot);
                *slot = s->examples.n - 1;
                map_put_p(&at, (void *)(uintptr_t)(r->example + 1), slot);
            }
            ExampleUse *u = &s->examples.items[*slot];
            if (!u->use_lines.n || u->use_lines.items[u->use_lines.n - 1] != r->line) vec_push(&u->use_lines, r->line);
        }
        for (size_t k = 0; k < at.cap; k++) free(at.slots[k].hash ? at.slots[k].value : NULL);
        map_free(&at);
        // via: when no highlighted line spells the name, the macro written where the use is
        for (size_t e = 0; e < s->examples.n; e++) {
            ExampleUse *u = &s->examples.items[e];
            const Example *ex = &m->examples.items[u->example];
            Lines *f = lines_of(&files, ex->file);
            int spelled = 0;
            for (size_t k = 0; k < u->use_lines.n && !spelled; k++) {
                int l = u->use_lines.items[k];
                if (f->lines && l >= 1 && l <= f->n)
                    spelled = spells(f->lines[l - 1], s->name) || (s->tag_name && spells(f->lines[l - 1], s->tag_name));
            }
            for (size_t k = 0; !spelled && !u->via && k < s->refs.n; k++) {
                const Reference *r = &s->refs.items[k];
                if (r->example != u->example || strcmp(r->kind, "member") == 0 || strcmp(r->kind, "type") == 0) continue;
                char *id = ident_at(&files, r->file, r->line, r->column);
                if (id && strcmp(id, s->name) != 0) u->via = id;
                else free(id);
            }
        }
        if (s->examples.n) qsort(s->examples.items, s->examples.n, sizeof(ExampleUse), use_cmp);
    }
    free(remap), free(key.buf);
    // macros: public names in the body
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        for (size_t k = 0; k < s->body_idents.n; k++) {
            Symbol *t = map_get(&names, s->body_idents.items[k]);
            if (t) add_use(s, t->id);
        }
        // functions named in a _Generic table
        for (size_t k = 0; k < s->dispatch.n; k++) {
            if (!s->dispatch.items[k].function) continue;
            Symbol *t = map_get(&names, s->dispatch.items[k].function);
            if (t) add_use(s, t->id);
        }
        if (s->uses.n) qsort(s->uses.items, s->uses.n, sizeof(char *), str_cmp);
    }
    map_free(&usr), map_free(&names), map_free(&headers), map_free(&fn_index), map_free(&death);
    map_free(&files); // the Lines stay: example code and display names point into nothing of them
}

// Alias typedefs (`typedef struct X Y;` apart from the definition) denote their record: the
// record takes the typedef's name (the tag stays as `tag_name`), its USRs and, when it has none,
// its doc block. A typedef of a record no public header defines is an opaque type: a symbol of
// its own (kind typedef), documentable like any other.
void resolve_aliases(Model *m) {
    Map ordinary = {0}, tags = {0};
    for (size_t i = 0; i < m->symbols.n; i++) {
        Symbol *s = m->symbols.items[i];
        if (s->ns == NS_ORDINARY) map_put(&ordinary, s->name, s);
        if (s->ns == NS_TAG) map_put(&tags, s->name, s);
        if (s->ns == NS_ORDINARY && s->tag_name) map_put(&tags, s->tag_name, s);
    }
    for (size_t i = 0; i < m->aliases.n; i++) {
        Symbol *a = m->aliases.items[i];
        Symbol *s = *a->tag_name ? map_get(&tags, a->tag_name) : NULL;
        Symbol *named = map_get(&ordinary, a->name);
        if (s && s->ns == NS_TAG && !named) { // the record takes the typedef's name
            map_put(&ordinary, a->name, s);
            s->tag_name = s->name, s->name = xstrdup(a->name);
            s->ns = NS_ORDINARY;
        } else if (!(s && (!named || named == s))) {
            s = named; // a redeclared opaque typedef, or `typedef struct X X;` of a folded record
        }
        if (!s) { // opaque: a symbol of its own
            if (!*a->tag_name) a->tag_name = NULL; // not freed: it may lie in a cache entry's block
            a->alias = 0;
            map_put(&ordinary, a->name, a);
            vec_push(&m->symbols, a);
            continue;
        }
        for (size_t k = 0; k < a->usrs.n; k++) vec_push(&s->usrs, a->usrs.items[k]);
        if (a->doc && !s->doc) s->doc = a->doc;
        else if (a->doc) // Doxygen documents a typedef and its record apart: a warning there
            diag_add(&m->diags, a->doc->is_doxygen || s->doc->is_doxygen ? DIAG_WARNING : DIAG_ERROR, a->header,
                     a->doc->line, "`%s` is documented twice (also at %s:%d)", a->name, s->header, s->doc->line);
    }
    map_free(&ordinary);
    map_free(&tags);
}
