// SPDX-License-Identifier: MIT
// What extract.c found in one unit (symbols, raw uses, misuse sites, diagnostics, the files it
// read) in a compact positional encoding — decimal integers and length-prefixed strings, read
// back without building a tree (unit_encode, unit_decode; shard parts use them too) — and the
// per-unit cache: one file per unit keyed by its file and flags, valid while every file the unit
// read (and the apidoc binary itself) keeps its size and modification time. Entry points:
// cache_load, cache_store. A damaged or stale entry is a miss, never an error.
#include "model.h"

#include <stdio.h>    // snprintf, rename
#include <stdlib.h>   // free
#include <string.h>   // strcmp, memcpy
#include <sys/stat.h> // stat, mkdir
#include <unistd.h>   // getpid

#define CACHE_MAGIC "apidoc-unit-5\n"

static const char *const REF_KINDS[] = {"generic-selection", "call", "macro-expansion", "reference", "type", "member"};

static const char *intern_kind(const char *k) {
    for (size_t i = 0; k && i < sizeof REF_KINDS / sizeof *REF_KINDS; i++)
        if (strcmp(REF_KINDS[i], k) == 0) return REF_KINDS[i];
    return NULL;
}

// ---- writing ---------------------------------------------------------------------------------
static void w_put(Buf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) b->data = xrealloc(b->data, b->cap = (b->n + n + 1) * 2);
    memcpy(b->data + b->n, s, n);
    b->n += n;
}

static void w_int(Buf *b, long long v) {
    char t[32];
    w_put(b, t, (size_t)snprintf(t, sizeof t, "%lld ", v));
}

static void w_str(Buf *b, const char *s) {
    if (!s) {
        w_put(b, "~", 1);
        return;
    }
    char t[32];
    size_t n = strlen(s);
    w_put(b, t, (size_t)snprintf(t, sizeof t, "%zu:", n));
    w_put(b, s, n);
}

static void w_strs(Buf *b, const StrVec *v) {
    w_int(b, (long long)v->n);
    for (size_t i = 0; i < v->n; i++) w_str(b, v->items[i]);
}

static void w_fields(Buf *b, const FieldVec *v) {
    w_int(b, (long long)v->n);
    for (size_t i = 0; i < v->n; i++) {
        const Field *f = &v->items[i];
        w_str(b, f->name), w_str(b, f->type), w_str(b, f->group), w_str(b, f->trailing);
        w_int(b, f->line), w_int(b, f->bits), w_int(b, f->decl_line);
        w_fields(b, &f->sub);
    }
}

static void w_symbol(Buf *b, const Symbol *s) {
    w_str(b, s->name), w_str(b, s->header), w_str(b, s->include), w_str(b, s->declaration);
    w_str(b, s->return_type), w_str(b, s->tag_name);
    w_int(b, s->kind), w_int(b, s->ns), w_int(b, s->line), w_int(b, s->end_line);
    w_int(b, s->variadic), w_int(b, s->basic), w_int(b, s->alias);
    w_int(b, (long long)s->params.n);
    for (size_t i = 0; i < s->params.n; i++) w_str(b, s->params.items[i].name), w_str(b, s->params.items[i].type);
    w_fields(b, &s->fields);
    w_int(b, (long long)s->enum_values.n);
    for (size_t i = 0; i < s->enum_values.n; i++) {
        const EnumValue *e = &s->enum_values.items[i];
        w_str(b, e->name), w_str(b, e->trailing), w_int(b, e->value), w_int(b, e->line);
    }
    w_int(b, (long long)s->dispatch.n);
    for (size_t i = 0; i < s->dispatch.n; i++)
        w_str(b, s->dispatch.items[i].type), w_str(b, s->dispatch.items[i].expression), w_str(b, s->dispatch.items[i].function);
    w_strs(b, &s->body_idents), w_strs(b, &s->usrs), w_strs(b, &s->member_usrs);
}

void unit_encode(Buf *b, const TuResult *r) {
    w_int(b, (long long)r->syms.n);
    for (size_t i = 0; i < r->syms.n; i++) w_symbol(b, r->syms.items[i]);
    w_int(b, (long long)r->refs.n);
    for (size_t i = 0; i < r->refs.n; i++) {
        const RawRef *x = &r->refs.items[i];
        w_str(b, x->usr), w_str(b, x->file), w_str(b, x->function), w_str(b, x->kind);
        w_int(b, x->line), w_int(b, x->column), w_int(b, x->function_start), w_int(b, x->function_end);
    }
    w_int(b, (long long)r->misuse.n);
    for (size_t i = 0; i < r->misuse.n; i++) w_str(b, r->misuse.items[i].file), w_int(b, r->misuse.items[i].line);
    w_int(b, (long long)r->diags.n);
    for (size_t i = 0; i < r->diags.n; i++) {
        const Diag *d = &r->diags.items[i];
        w_int(b, d->level), w_str(b, d->file), w_int(b, d->line), w_str(b, d->message);
    }
    w_strs(b, &r->deps);
    w_int(b, r->failed);
}

// ---- reading ---------------------------------------------------------------------------------
// Decoded strings go to `arena` (one block per unit, never freed piecemeal: every string costs
// at least two bytes of the text, "N:", so the text's length bounds the block) when it is set.
typedef struct { const char *p, *end; int bad; char *arena; } R;

// A decimal integer at r->p ending at `stop`; strtoll's generality (spaces, signs, locales)
// cost a fifth of a warm run. More than 18 digits is damage.
static long long r_digits(R *r, char stop) {
    const char *p = r->p;
    int neg = p < r->end && *p == '-';
    p += neg;
    long long v = 0;
    const char *start = p;
    while (p < r->end && *p >= '0' && *p <= '9' && p - start < 19) v = v * 10 + (*p++ - '0');
    if (p == start || p - start > 18 || p >= r->end || *p != stop) return r->bad = 1, 0;
    r->p = p + 1;
    return neg ? -v : v;
}

static long long r_int(R *r) {
    if (r->bad || r->p >= r->end) return r->bad = 1, 0;
    return r_digits(r, ' ');
}

static size_t r_count(R *r) {
    long long n = r_int(r);
    if (n < 0 || n > r->end - r->p) return r->bad = 1, 0; // every item takes at least a byte
    return (size_t)n;
}

static char *r_str(R *r) {
    if (r->bad || r->p >= r->end) return r->bad = 1, NULL;
    if (*r->p == '~') return r->p++, NULL;
    long long n = r_digits(r, ':');
    if (r->bad || n < 0 || n > r->end - r->p) return r->bad = 1, NULL;
    r->p += n;
    if (!r->arena) return xstrndup(r->p - n, (size_t)n);
    char *d = r->arena;
    memcpy(d, r->p - n, (size_t)n);
    d[n] = '\0';
    r->arena += n + 1;
    return d;
}

static void r_strs(R *r, StrVec *v) {
    for (size_t i = 0, n = r_count(r); i < n && !r->bad; i++) vec_push(v, r_str(r));
}

static void r_fields(R *r, FieldVec *v, int depth) {
    if (depth > 256) r->bad = 1;
    for (size_t i = 0, n = r_count(r); i < n && !r->bad; i++) {
        Field f = {0};
        f.name = r_str(r), f.type = r_str(r), f.group = r_str(r), f.trailing = r_str(r);
        f.line = (int)r_int(r), f.bits = (int)r_int(r), f.decl_line = (int)r_int(r);
        r_fields(r, &f.sub, depth + 1);
        vec_push(v, f);
    }
}

static Symbol *r_symbol(R *r) {
    Symbol *s = xcalloc(1, sizeof *s);
    s->name = r_str(r), s->header = r_str(r), s->include = r_str(r), s->declaration = r_str(r);
    s->return_type = r_str(r), s->tag_name = r_str(r);
    long long kind = r_int(r), ns = r_int(r);
    if (kind < KIND_FUNCTION || kind > KIND_VARIABLE || ns < NS_ORDINARY || ns > NS_MACRO || !s->name || !s->header)
        r->bad = 1;
    s->kind = (SymbolKind)kind, s->ns = (Namespace)ns;
    s->line = (int)r_int(r), s->end_line = (int)r_int(r);
    s->variadic = (int)r_int(r), s->basic = (int)r_int(r), s->alias = (int)r_int(r);
    for (size_t i = 0, n = r_count(r); i < n && !r->bad; i++) {
        Param p = {r_str(r), NULL};
        p.type = r_str(r);
        if (!p.name) p.name = xstrdup("");
        vec_push(&s->params, p);
    }
    r_fields(r, &s->fields, 0);
    for (size_t i = 0, n = r_count(r); i < n && !r->bad; i++) {
        EnumValue e = {r_str(r), NULL, 0, 0};
        e.trailing = r_str(r), e.value = r_int(r), e.line = (int)r_int(r);
        vec_push(&s->enum_values, e);
    }
    for (size_t i = 0, n = r_count(r); i < n && !r->bad; i++) {
        Dispatch d = {r_str(r), NULL, NULL};
        d.expression = r_str(r), d.function = r_str(r);
        vec_push(&s->dispatch, d);
    }
    r_strs(r, &s->body_idents), r_strs(r, &s->usrs), r_strs(r, &s->member_usrs);
    return s;
}

int unit_decode(const char *text, size_t len, TuResult *out) {
    R r = {text, text + len, 0, xrealloc(NULL, len + 1)};
    TuResult t = {0};
    for (size_t i = 0, n = r_count(&r); i < n && !r.bad; i++) vec_push(&t.syms, r_symbol(&r));
    for (size_t i = 0, n = r_count(&r); i < n && !r.bad; i++) {
        RawRef x = {r_str(&r), NULL, NULL, NULL, 0, 0, 0, 0};
        x.file = r_str(&r), x.function = r_str(&r);
        x.kind = intern_kind(r_str(&r));
        x.line = (int)r_int(&r), x.column = (int)r_int(&r), x.function_start = (int)r_int(&r), x.function_end = (int)r_int(&r);
        if (!x.kind || !x.usr || !x.file) r.bad = 1;
        vec_push(&t.refs, x);
    }
    for (size_t i = 0, n = r_count(&r); i < n && !r.bad; i++) {
        Site s = {r_str(&r), 0};
        s.line = (int)r_int(&r);
        vec_push(&t.misuse, s);
    }
    for (size_t i = 0, n = r_count(&r); i < n && !r.bad; i++) {
        Diag d = {DIAG_NOTE, NULL, 0, NULL};
        long long level = r_int(&r);
        d.file = r_str(&r), d.line = (int)r_int(&r), d.message = r_str(&r);
        if (level < DIAG_NOTE || level > DIAG_ERROR || !d.message) r.bad = 1;
        d.level = (DiagLevel)level;
        vec_push(&t.diags, d);
    }
    r_strs(&r, &t.deps);
    t.failed = (int)r_int(&r);
    if (r.bad) return -1; // what was read stays allocated: a miss is rare and the tool is short-lived
    *out = t;
    return (int)(r.p - text);
}

// ---- the cache ----------------------------------------------------------------------------
static void w_stamp(Buf *b, const char *path) {
    struct stat st;
    w_str(b, path);
    if (stat(path, &st) != 0) {
        w_int(b, -1), w_int(b, 0), w_int(b, 0);
        return;
    }
    w_int(b, (long long)st.st_size), w_int(b, (long long)st.st_mtim.tv_sec), w_int(b, (long long)st.st_mtim.tv_nsec);
}

static char *entry_path(const char *dir, const char *key) { return xprintf("%s/%s.unit", dir, key); }

void cache_store(const char *dir, const char *key, const TuResult *r) {
    Buf b = {0};
    w_put(&b, CACHE_MAGIC, strlen(CACHE_MAGIC));
    w_int(&b, (long long)r->deps.n + 1);
    w_stamp(&b, "/proc/self/exe");
    for (size_t i = 0; i < r->deps.n; i++) w_stamp(&b, r->deps.items[i]);
    unit_encode(&b, r);
    mkdir(dir, 0777);
    char *path = entry_path(dir, key), *tmp = xprintf("%s.%d.tmp", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(b.data, 1, b.n, f) == b.n;
    if (f && fclose(f) != 0) ok = 0;
    if (ok) rename(tmp, path);
    else remove(tmp);
    free(path), free(tmp), free(b.data);
}

int cache_load(const char *dir, const char *key, TuResult *r) {
    char *path = entry_path(dir, key);
    size_t len = 0;
    char *text = read_text(path, &len);
    free(path);
    size_t m = strlen(CACHE_MAGIC);
    if (!text || len < m || memcmp(text, CACHE_MAGIC, m) != 0) return free(text), 0;
    R rd = {text + m, text + len, 0, NULL};
    int ok = 1;
    for (size_t i = 0, n = r_count(&rd); i < n && ok && !rd.bad; i++) {
        char *file = r_str(&rd);
        long long size = r_int(&rd), sec = r_int(&rd), nsec = r_int(&rd);
        struct stat st;
        ok = file && !rd.bad &&
             (stat(file, &st) == 0 ? (size == (long long)st.st_size && sec == (long long)st.st_mtim.tv_sec &&
                                      nsec == (long long)st.st_mtim.tv_nsec)
                                   : size == -1);
        free(file);
    }
    ok = ok && !rd.bad && unit_decode(rd.p, (size_t)(rd.end - rd.p), r) >= 0;
    free(text);
    return ok;
}
