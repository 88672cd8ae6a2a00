// SPDX-License-Identifier: MIT
// Cross-references of the symbol pages, resolved from api.json (never by matching names in
// prose), built once by md_index_xref: every reference by position, the symbols by id, the API a
// type gathers (md_type_api: the functions that take or return it, the macros that produce it,
// the generic macros with an arm for it) and who names whom (md_users); and the links and member
// anchors of a declaration (md_decl_marks).
#include "gen_md_internal.h"

#include <ctype.h>  // isspace
#include <stdlib.h> // qsort
#include <string.h> // strcmp

static int md_refat_cmp(const void *a, const void *b) {
    const MdRefAt *x = a, *y = b;
    int            c = strcmp(x->file, y->file);
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return x->column < y->column ? -1 : x->column > y->column;
}

static void md_index_refs(MdModel *m) {
    size_t total = 0;
    for (size_t i = 0; i < m->nsyms; i++) total += json_array_size(json_object_get(m->syms[i].json, "references"));
    m->refs = calloc(total + 1, sizeof *m->refs);
    if (!m->refs) exit(3);
    for (size_t i = 0; i < m->nsyms; i++) {
        size_t  k;
        json_t *r;
        json_array_foreach(json_object_get(m->syms[i].json, "references"), k, r) {
            const char *file = md_json_str(r, "file");
            if (file) m->refs[m->nrefs++] = (MdRefAt){file, md_json_int(r, "line"), md_json_int(r, "column"), &m->syms[i]};
        }
    }
    qsort(m->refs, m->nrefs, sizeof *m->refs, md_refat_cmp);
}

// --- Declarations --------------------------------------------------------------------------

typedef struct MdDeclScan {
    const MdModel *m;
    const MdSym   *s;
    const char    *decl, *from_dir;
    const MdSym  **targets; // the symbols this declaration refers to
    size_t         ntargets;
    MdMark        *marks;
    size_t         nmarks, cap;
    int            nident;  // identifiers seen so far
    long           head_end; // offset of the `)` closing a macro's parameter list, or -1
} MdDeclScan;

static void md_add_target(MdDeclScan *d, const MdSym *t) {
    if (!t || t == d->s) return;
    for (size_t i = 0; i < d->ntargets; i++)
        if (d->targets[i] == t) return;
    d->targets = realloc(d->targets, (d->ntargets + 1) * sizeof *d->targets);
    if (!d->targets) exit(3);
    d->targets[d->ntargets++] = t;
}

static MdMark *md_new_mark(MdDeclScan *d, const char *at, size_t len) {
    if (d->nmarks == d->cap) {
        d->cap   = d->cap ? 2 * d->cap : 16;
        d->marks = realloc(d->marks, d->cap * sizeof *d->marks);
        if (!d->marks) exit(3);
    }
    MdMark *k = &d->marks[d->nmarks++];
    *k        = (MdMark){.at = (size_t)(at - d->decl), .len = len};
    return k;
}

// The first character after `p` that is not blank (nor a line continuation).
static char md_next_char(const char *p) {
    while (*p && (isspace((unsigned char)*p) || (*p == '\\' && p[1] == '\n'))) p++;
    return *p;
}

static long md_line_of(const char *code, const char *p) {
    long line = 1;
    for (const char *q = code; q < p; q++) line += *q == '\n';
    return line;
}

// A member named like `at` and declared on this line of the declaration: its anchor id.
static int md_member_anchor(json_t *list, const char *prefix, const char *path, long rel_line, long decl_line,
                            const char *at, size_t len, char *id, size_t cap) {
    size_t  i;
    json_t *f;
    json_array_foreach(list, i, f) {
        const char *name = md_json_str(f, "name");
        if (!name) continue;
        char full[256];
        if (snprintf(full, sizeof full, "%s%s%s", path, *path ? "." : "", name) >= (int)sizeof full) continue;
        if (strlen(name) == len && strncmp(name, at, len) == 0 && md_json_int(f, "line") - decl_line + 1 == rel_line) {
            snprintf(id, cap, "%s-%s", prefix, full);
            return 1;
        }
        if (md_member_anchor(json_object_get(f, "fields"), prefix, full, rel_line, decl_line, at, len, id, cap)) return 1;
    }
    return 0;
}

static int md_is_param(const MdSym *s, const char *at, size_t len) {
    size_t  i;
    json_t *p;
    json_array_foreach(json_object_get(s->json, "params"), i, p) {
        const char *name = md_json_str(p, "name");
        if (name && strlen(name) == len && strncmp(name, at, len) == 0) return 1;
    }
    return 0;
}

static int md_decl_ident(void *ctx, const char *at, size_t len, int after_member, int depth) {
    (void)depth;
    MdDeclScan  *d     = ctx;
    const MdSym *s     = d->s;
    int          macro = strstr(s->kind, "macro") != NULL;
    int          index = d->nident++;
    if (after_member || (macro && index < 2)) return 0; // `define` and the macro's name
    char id[384] = "";
    char next    = md_next_char(at + len);
    if (md_is_param(s, at, len)) {
        // A macro's parameters are anchored in its head; a function's where they are named.
        if (macro ? (d->head_end < 0 || at - d->decl < d->head_end) : (next == ',' || next == ')' || next == '['))
            snprintf(id, sizeof id, "#param-%.*s", (int)len, at);
        else if (macro) return 0; // a use of the parameter in the body
    }
    if (!id[0] && (next == ';' || next == ',' || next == '[' || next == ':' || next == '=' || next == '}' ||
                   next == ')' || next == '\0' || next == '\n')) { // `)`: a function-pointer member
        long rel = md_line_of(d->decl, at);
        char anchor[300];
        if (md_member_anchor(json_object_get(s->json, "fields"), "field", "", rel, s->line, at, len, anchor, sizeof anchor) ||
            md_member_anchor(json_object_get(s->json, "enum_values"), "value", "", rel, s->line, at, len, anchor,
                             sizeof anchor))
            snprintf(id, sizeof id, "#%s", anchor);
    }
    if (id[0]) {
        MdMark *k = md_new_mark(d, at, len);
        snprintf(k->href, sizeof k->href, "%s", id);
        return 0;
    }
    for (size_t i = 0; i < d->ntargets; i++) {
        const MdSym *t   = d->targets[i];
        const char  *tag = md_json_str(t->json, "tag_name");
        if ((strlen(t->name) == len && strncmp(t->name, at, len) == 0) ||
            (tag && strlen(tag) == len && strncmp(tag, at, len) == 0)) {
            MdMark *k = md_new_mark(d, at, len);
            md_sym_href(k->href, sizeof k->href, t, d->from_dir);
            return 0;
        }
    }
    return 0;
}

size_t md_decl_marks(const MdModel *m, const MdSym *s, const char *decl, const char *from_dir, MdMark **out) {
    MdDeclScan d = {.m = m, .s = s, .decl = decl, .from_dir = from_dir, .head_end = -1};
    // What the declaration refers to: the uses libclang found where it is written, its `uses`
    // (types of a prototype or member list, identifiers of a macro body) and its _Generic arms.
    size_t         n;
    const MdRefAt *refs = md_refs_in(m, s->file, s->line, md_json_int(s->json, "end_line") ? md_json_int(s->json, "end_line") : s->line, &n);
    for (size_t i = 0; i < n; i++) md_add_target(&d, refs[i].target);
    size_t  i;
    json_t *v;
    json_array_foreach(json_object_get(s->json, "uses"), i, v) {
        if (json_is_string(v)) md_add_target(&d, md_find_id(m, json_string_value(v)));
    }
    json_array_foreach(json_object_get(s->json, "dispatch"), i, v) {
        const char *fid = md_json_str(v, "function_id");
        if (fid) md_add_target(&d, md_find_id(m, fid));
    }
    if (strcmp(s->kind, "function-macro") == 0) {
        const char *open = strchr(decl, '(');
        const char *close = open ? strchr(open, ')') : NULL;
        if (close) d.head_end = close - decl;
    }
    md_each_ident(decl, md_decl_ident, &d);
    free(d.targets);
    *out = d.marks;
    return d.nmarks;
}

// --- The API of a type ---------------------------------------------------------------------

// Whether a C type spelling names type t (its name or its tag, as a whole word).
int md_type_names(const char *type, const MdSym *t) {
    if (!type) return 0;
    const char *tag = md_json_str(t->json, "tag_name");
    for (const char *p = type; *p; p++) {
        if (md_word_at(type, p, t->name, strlen(t->name))) return 1;
        if (tag && md_word_at(type, p, tag, strlen(tag))) return 1;
    }
    return 0;
}

// The body of a macro: what follows `#define NAME(params)`.
static const char *md_macro_body(const MdSym *s) {
    const char *p = s->decl;
    if (strncmp(p, "#define", 7) == 0) p += 7;
    while (*p && isspace((unsigned char)*p)) p++;
    p += strlen(s->name);
    if (*p == '(') {
        const char *close = strchr(p, ')');
        p                 = close ? close + 1 : p + strlen(p);
    }
    return p;
}

// The type symbols named in a C type spelling (identifiers resolving to a struct, union, enum or
// typedef, by name or by tag), appended to `out` (at most `cap`).
static size_t md_types_in(const MdModel *m, const char *type, const MdSym **out, size_t n, size_t cap) {
    for (const char *p = type ? type : ""; *p;) {
        size_t len = 0;
        while (isalnum((unsigned char)p[len]) || p[len] == '_') len++;
        if (!len) {
            p++;
            continue;
        }
        const MdSym *t = NULL;
        char         name[256];
        if (len < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)len, p);
            t = md_find(m, name);
            if (!t) t = md_find_tag_name(m, name);
        }
        if (t && (!strcmp(t->kind, "struct") || !strcmp(t->kind, "union") || !strcmp(t->kind, "enum") ||
                  !strcmp(t->kind, "typedef"))) {
            int seen = 0;
            for (size_t k = 0; k < n; k++) seen |= out[k] == t;
            if (!seen && n < cap) out[n++] = t;
        }
        p += len;
    }
    return n;
}

// The type macro s expands to a value of: a compound literal or cast `(T)` first, or a call of a
// function returning one or of a macro producing one (followed through `depth` macros); NULL.
static const MdSym *md_macro_type(const MdModel *m, const MdSym *s, int depth) {
    if (depth > 4 || strstr(s->kind, "macro") == NULL) return NULL;
    const MdSym *found[1];
    const char  *p = md_macro_body(s);
    while (*p && (isspace((unsigned char)*p) || *p == '\\' || *p == '(')) {
        if (*p == '(') { // `(T)` or `(struct T)`: a cast or a compound literal of T
            const char *q = p + 1;
            while (isspace((unsigned char)*q)) q++;
            if (strncmp(q, "struct ", 7) == 0 || strncmp(q, "union ", 6) == 0 || strncmp(q, "enum ", 5) == 0)
                q = strchr(q, ' ') + 1;
            size_t n = 0;
            while (isalnum((unsigned char)q[n]) || q[n] == '_') n++;
            if (n && md_next_char(q + n) == ')') {
                char name[256];
                snprintf(name, sizeof name, "%.*s", (int)n, q);
                return md_types_in(m, name, found, 0, 1) ? found[0] : NULL;
            }
        }
        p++;
    }
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_') n++;
    if (!n || md_next_char(p + n) != '(') return NULL;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)n, p);
    const MdSym *callee = md_find(m, name);
    if (!callee || callee == s) return NULL;
    if (strcmp(callee->kind, "function") == 0)
        return md_types_in(m, md_json_str(callee->json, "return_type"), found, 0, 1) ? found[0] : NULL;
    return md_macro_type(m, callee, depth + 1);
}

// The arm of generic macro g for type t, or NULL.
const json_t *md_arm_for(const MdSym *g, const MdSym *t) {
    size_t  i;
    json_t *a;
    json_array_foreach(json_object_get(g->json, "dispatch"), i, a) {
        if (md_type_names(md_json_str(a, "type"), t)) return a;
    }
    return NULL;
}

// Declaration order: header, then line.
static int md_decl_order(const void *a, const void *b) {
    const MdSym *x = *(const MdSym *const *)a, *y = *(const MdSym *const *)b;
    int          c = strcmp(x->file, y->file);
    return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

// --- The index, built once ----------------------------------------------------------------

typedef struct MdList {
    const MdSym **v;
    size_t        n, cap;
} MdList;

struct MdXref {
    const MdSym **by_id;    // sorted by id
    MdList       *funcs;    // per symbol (index in m->syms): its API when it is a type
    MdList       *accepted; // generic macros with an arm for it
    MdList       *users;    // declarations naming it (uses, _Generic arms)
    const MdSym **produced; // per symbol: the type a macro produces, or NULL
    size_t        nid;
    const MdSym **tags;     // symbols with a tag_name, sorted by it
    size_t        ntags;
};

static void md_list_add(MdList *l, const MdSym *s) {
    if (l->n && l->v[l->n - 1] == s) return;
    if (l->n + 1 >= l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v   = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v) exit(3);
    }
    l->v[l->n++] = s;
    l->v[l->n]   = NULL;
}

static int md_by_id_cmp(const void *a, const void *b) {
    return strcmp((*(const MdSym *const *)a)->id, (*(const MdSym *const *)b)->id);
}

static int md_by_tag_cmp(const void *a, const void *b) {
    return strcmp(md_json_str((*(const MdSym *const *)a)->json, "tag_name"),
                  md_json_str((*(const MdSym *const *)b)->json, "tag_name"));
}

const MdSym *md_find_tag_name(const MdModel *m, const char *tag) {
    if (!m->xref) return NULL;
    size_t lo = 0, hi = m->xref->ntags;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int    c   = strcmp(md_json_str(m->xref->tags[mid]->json, "tag_name"), tag);
        if (!c) return m->xref->tags[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

const MdSym *md_find_id(const MdModel *m, const char *id) {
    const struct MdXref *x  = m->xref;
    size_t               lo = 0, hi = x ? x->nid : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int    c   = strcmp(x->by_id[mid]->id, id);
        if (!c) return x->by_id[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

void md_index_xref(MdModel *m) {
    md_index_refs(m);
    struct MdXref *x = calloc(1, sizeof *x);
    if (!x) exit(3);
    m->xref     = x;
    x->by_id    = calloc(m->nsyms + 1, sizeof *x->by_id);
    x->tags     = calloc(m->nsyms + 1, sizeof *x->tags);
    x->funcs    = calloc(m->nsyms + 1, sizeof *x->funcs);
    x->accepted = calloc(m->nsyms + 1, sizeof *x->accepted);
    x->users    = calloc(m->nsyms + 1, sizeof *x->users);
    x->produced = calloc(m->nsyms + 1, sizeof *x->produced);
    if (!x->by_id || !x->tags || !x->funcs || !x->accepted || !x->users || !x->produced) exit(3);
    size_t nid = 0;
    for (size_t i = 0; i < m->nsyms; i++) {
        if (m->syms[i].id) x->by_id[nid++] = &m->syms[i];
        if (md_json_str(m->syms[i].json, "tag_name")) x->tags[x->ntags++] = &m->syms[i];
    }
    qsort(x->by_id, nid, sizeof *x->by_id, md_by_id_cmp);
    qsort(x->tags, x->ntags, sizeof *x->tags, md_by_tag_cmp);
    x->nid = nid;
    enum { MAX_TYPES = 64 };
    for (size_t i = 0; i < m->nsyms; i++) {
        const MdSym *s = &m->syms[i];
        const MdSym *types[MAX_TYPES];
        size_t       nt = 0, k;
        json_t      *v;
        if (json_array_size(json_object_get(s->json, "dispatch"))) {
            json_array_foreach(json_object_get(s->json, "dispatch"), k, v) {
                nt = md_types_in(m, md_json_str(v, "type"), types, nt, MAX_TYPES);
            }
            for (size_t t = 0; t < nt; t++)
                if (types[t] != s) md_list_add(&x->accepted[types[t] - m->syms], s);
        } else if (strcmp(s->kind, "function") == 0) {
            nt = md_types_in(m, md_json_str(s->json, "return_type"), types, nt, MAX_TYPES);
            json_array_foreach(json_object_get(s->json, "params"), k, v) {
                nt = md_types_in(m, md_json_str(v, "type"), types, nt, MAX_TYPES);
            }
            for (size_t t = 0; t < nt; t++)
                if (types[t] != s) md_list_add(&x->funcs[types[t] - m->syms], s);
        } else if ((x->produced[i] = md_macro_type(m, s, 0)) != NULL && x->produced[i] != s) {
            md_list_add(&x->funcs[x->produced[i] - m->syms], s);
        }
    }
    // Who names whom: `uses` and the functions of _Generic arms.
    for (size_t i = 0; i < m->nsyms; i++) {
        const MdSym *d = &m->syms[i];
        size_t       k;
        json_t      *v;
        json_array_foreach(json_object_get(d->json, "uses"), k, v) {
            const MdSym *t = json_is_string(v) ? md_find_id(m, json_string_value(v)) : NULL;
            if (t && t != d) md_list_add(&x->users[t - m->syms], d);
        }
        json_array_foreach(json_object_get(d->json, "dispatch"), k, v) {
            const MdSym *t = md_json_str(v, "function_id") ? md_find_id(m, md_json_str(v, "function_id")) : NULL;
            if (t && t != d) md_list_add(&x->users[t - m->syms], d);
        }
    }
    for (size_t i = 0; i < m->nsyms; i++) {
        if (x->funcs[i].n) qsort(x->funcs[i].v, x->funcs[i].n, sizeof *x->funcs[i].v, md_decl_order);
        if (x->accepted[i].n) qsort(x->accepted[i].v, x->accepted[i].n, sizeof *x->accepted[i].v, md_decl_order);
    }
}

void md_xref_free(MdModel *m) {
    struct MdXref *x = m->xref;
    if (!x) return;
    for (size_t i = 0; i < m->nsyms; i++) free(x->funcs[i].v), free(x->accepted[i].v), free(x->users[i].v);
    free(x->funcs), free(x->accepted), free(x->users), free(x->produced), free(x->by_id), free(x->tags);
    free(x);
    m->xref = NULL;
}

static const MdSym **md_list_copy(const MdList *l) {
    const MdSym **v = calloc(l->n + 1, sizeof *v);
    if (!v) exit(3);
    for (size_t i = 0; i < l->n; i++) v[i] = l->v[i];
    return v;
}

size_t md_type_api(const MdModel *m, const MdSym *t, const MdSym ***funcs, const MdSym ***accepted) {
    size_t i = (size_t)(t - m->syms);
    *funcs    = md_list_copy(&m->xref->funcs[i]);
    *accepted = md_list_copy(&m->xref->accepted[i]);
    return m->xref->funcs[i].n;
}

const MdSym *md_produced_type(const MdModel *m, const MdSym *s) { return m->xref->produced[s - m->syms]; }

const MdSym *const *md_users(const MdModel *m, const MdSym *s, size_t *n) {
    const MdList *l = &m->xref->users[s - m->syms];
    *n              = l->n;
    return l->v;
}
