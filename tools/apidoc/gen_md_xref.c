// SPDX-License-Identifier: MIT
// Cross-references of the symbol pages, resolved from api.json (never by matching names in
// prose): the index of every reference by position (md_index_refs), the links and member anchors
// of a declaration (md_decl_marks), and the API a type gathers (md_type_api): the functions that
// take or return it, the macros that produce it, the generic macros with an arm for it.
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

void md_index_refs(MdModel *m) {
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

// Whether macro s expands to a value of type t: a compound literal or cast `(t)` first, or a call
// of a function returning t or of a macro producing t (followed through `depth` macros).
static int md_macro_produces(const MdModel *m, const MdSym *s, const MdSym *t, int depth) {
    if (depth > 4 || strstr(s->kind, "macro") == NULL) return 0;
    const char *p = md_macro_body(s);
    while (*p && (isspace((unsigned char)*p) || *p == '\\' || *p == '(')) {
        if (*p == '(') { // `(T)` or `(struct T)`: a cast or a compound literal of t
            const char *q = p + 1;
            while (isspace((unsigned char)*q)) q++;
            if (strncmp(q, "struct ", 7) == 0 || strncmp(q, "union ", 6) == 0 || strncmp(q, "enum ", 5) == 0)
                q = strchr(q, ' ') + 1;
            size_t n = 0;
            while (isalnum((unsigned char)q[n]) || q[n] == '_') n++;
            if (n && md_next_char(q + n) == ')') {
                char name[256];
                snprintf(name, sizeof name, "%.*s", (int)n, q);
                return md_type_names(name, t);
            }
        }
        p++;
    }
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_') n++;
    if (!n || md_next_char(p + n) != '(') return 0;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)n, p);
    const MdSym *callee = md_find(m, name);
    if (!callee || callee == s) return 0;
    if (strcmp(callee->kind, "function") == 0) return md_type_names(md_json_str(callee->json, "return_type"), t);
    return md_macro_produces(m, callee, t, depth + 1);
}

static int md_takes_type(const MdSym *f, const MdSym *t) {
    if (md_type_names(md_json_str(f->json, "return_type"), t)) return 1;
    size_t  i;
    json_t *p;
    json_array_foreach(json_object_get(f->json, "params"), i, p) {
        if (md_type_names(md_json_str(p, "type"), t)) return 1;
    }
    return 0;
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

size_t md_type_api(const MdModel *m, const MdSym *t, const MdSym ***funcs, const MdSym ***accepted) {
    *funcs = *accepted = NULL;
    const MdSym **f = calloc(m->nsyms + 1, sizeof *f), **g = calloc(m->nsyms + 1, sizeof *g);
    if (!f || !g) exit(3);
    size_t nf = 0, ng = 0;
    for (size_t i = 0; i < m->nsyms; i++) {
        const MdSym *s = &m->syms[i];
        if (s == t) continue;
        if (json_array_size(json_object_get(s->json, "dispatch"))) {
            if (md_arm_for(s, t)) g[ng++] = s;
        } else if (strcmp(s->kind, "function") == 0 ? md_takes_type(s, t) : md_macro_produces(m, s, t, 0)) {
            f[nf++] = s;
        }
    }
    qsort(f, nf, sizeof *f, md_decl_order);
    qsort(g, ng, sizeof *g, md_decl_order);
    f[nf]     = NULL;
    g[ng]     = NULL;
    *funcs    = f;
    *accepted = g;
    return nf;
}
