// SPDX-License-Identifier: MIT
// What extract.c found in one unit (symbols, raw uses, diagnostics) as JSON (tu_out, tu_in; shard
// parts use them too), and the per-unit cache: one JSON file per unit keyed by its file and
// flags, valid while every file the unit read (and the apidoc binary itself) keeps its size and
// modification time. Entry points: cache_load, cache_store. A damaged or stale entry is a miss,
// never an error.
#include "model.h"
#include "schema.h"

#include <jansson.h>
#include <stdio.h>    // snprintf, rename
#include <stdlib.h>   // free
#include <string.h>   // strcmp
#include <sys/stat.h> // stat, mkdir
#include <unistd.h>   // getpid

#define CACHE_FORMAT 3

static const char *const REF_KINDS[] = {"generic-selection", "call", "macro-expansion", "reference", "type", "member"};

static const char *intern_kind(const char *k) {
    for (size_t i = 0; i < sizeof REF_KINDS / sizeof *REF_KINDS; i++)
        if (strcmp(REF_KINDS[i], k) == 0) return REF_KINDS[i];
    return NULL;
}

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }
static char *sdup(json_t *j) { return json_is_string(j) ? xstrdup(json_string_value(j)) : NULL; }
static int ival(json_t *o, const char *k) { return (int)json_integer_value(json_object_get(o, k)); }

static json_t *strs(const StrVec *v) {
    json_t *a = json_array();
    for (size_t i = 0; i < v->n; i++) json_array_append_new(a, json_string(v->items[i]));
    return a;
}

static void unstrs(json_t *a, StrVec *v) {
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) vec_push(v, sdup(x));
}

static json_t *fields_out(const FieldVec *v) {
    json_t *a = json_array();
    for (size_t i = 0; i < v->n; i++) {
        const Field *f = &v->items[i];
        json_array_append_new(a, json_pack("[s, s, o, o, i, i, o, i]", f->name, f->type, jstr(f->group), jstr(f->trailing),
                                           f->line, f->bits, fields_out(&f->sub), f->decl_line));
    }
    return a;
}

static void fields_in(json_t *a, FieldVec *v) {
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) {
        Field f = {sdup(json_array_get(x, 0)), sdup(json_array_get(x, 1)), sdup(json_array_get(x, 2)),
                   sdup(json_array_get(x, 3)), (int)json_integer_value(json_array_get(x, 4)),
                   (int)json_integer_value(json_array_get(x, 5)), {0},
                   (int)json_integer_value(json_array_get(x, 7))};
        fields_in(json_array_get(x, 6), &f.sub);
        vec_push(v, f);
    }
}

static json_t *sym_out(const Symbol *s) {
    json_t *o = json_pack("{s:s, s:i, s:i, s:s, s:s, s:o, s:o, s:o, s:i, s:i, s:i, s:i, s:i}", K_NAME, s->name,
                          K_KIND, (int)s->kind, K_NAMESPACE, (int)s->ns, K_HEADER, s->header, K_INCLUDE, s->include,
                          K_DECLARATION, jstr(s->declaration), K_RETURN_TYPE, jstr(s->return_type),
                          K_TAG_NAME, jstr(s->tag_name), K_LINE, s->line, K_END_LINE, s->end_line,
                          "variadic", s->variadic, K_BASIC, s->basic, "alias", s->alias);
    json_t *a = json_array();
    for (size_t i = 0; i < s->params.n; i++)
        json_array_append_new(a, json_pack("[s, o]", s->params.items[i].name, jstr(s->params.items[i].type)));
    json_object_set_new(o, K_PARAMS, a);
    json_object_set_new(o, K_FIELDS, fields_out(&s->fields));
    a = json_array();
    for (size_t i = 0; i < s->enum_values.n; i++) {
        const EnumValue *e = &s->enum_values.items[i];
        json_array_append_new(a, json_pack("[s, o, I, i]", e->name, jstr(e->trailing), (json_int_t)e->value, e->line));
    }
    json_object_set_new(o, K_ENUM_VALUES, a);
    a = json_array();
    for (size_t i = 0; i < s->dispatch.n; i++) {
        const Dispatch *d = &s->dispatch.items[i];
        json_array_append_new(a, json_pack("[s, s, o]", d->type, d->expression, jstr(d->function)));
    }
    json_object_set_new(o, K_DISPATCH, a);
    json_object_set_new(o, "body_idents", strs(&s->body_idents));
    json_object_set_new(o, "usrs", strs(&s->usrs));
    json_object_set_new(o, "member_usrs", strs(&s->member_usrs));
    return o;
}

static Symbol *sym_in(json_t *o) {
    Symbol *s = xcalloc(1, sizeof *s);
    s->name = sdup(json_object_get(o, K_NAME));
    s->kind = (SymbolKind)ival(o, K_KIND);
    s->ns = (Namespace)ival(o, K_NAMESPACE);
    s->header = sdup(json_object_get(o, K_HEADER));
    s->include = sdup(json_object_get(o, K_INCLUDE));
    s->declaration = sdup(json_object_get(o, K_DECLARATION));
    s->return_type = sdup(json_object_get(o, K_RETURN_TYPE));
    s->tag_name = sdup(json_object_get(o, K_TAG_NAME));
    s->line = ival(o, K_LINE);
    s->end_line = ival(o, K_END_LINE);
    s->variadic = ival(o, "variadic");
    s->basic = ival(o, K_BASIC);
    s->alias = ival(o, "alias");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, K_PARAMS), i, x) {
        Param p = {sdup(json_array_get(x, 0)), sdup(json_array_get(x, 1))};
        vec_push(&s->params, p);
    }
    fields_in(json_object_get(o, K_FIELDS), &s->fields);
    json_array_foreach(json_object_get(o, K_ENUM_VALUES), i, x) {
        EnumValue e = {sdup(json_array_get(x, 0)), sdup(json_array_get(x, 1)),
                       (long long)json_integer_value(json_array_get(x, 2)), (int)json_integer_value(json_array_get(x, 3))};
        vec_push(&s->enum_values, e);
    }
    json_array_foreach(json_object_get(o, K_DISPATCH), i, x) {
        Dispatch d = {sdup(json_array_get(x, 0)), sdup(json_array_get(x, 1)), sdup(json_array_get(x, 2))};
        vec_push(&s->dispatch, d);
    }
    unstrs(json_object_get(o, "body_idents"), &s->body_idents);
    unstrs(json_object_get(o, "usrs"), &s->usrs);
    unstrs(json_object_get(o, "member_usrs"), &s->member_usrs);
    return s;
}

static json_t *stamp(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return json_null();
    return json_pack("[s, I, I, I]", path, (json_int_t)st.st_size, (json_int_t)st.st_mtim.tv_sec,
                     (json_int_t)st.st_mtim.tv_nsec);
}

static char *entry_path(const char *dir, const char *key) { return xprintf("%s/%s.json", dir, key); }

json_t *tu_out(const TuResult *r) {
    json_t *root = json_object(), *a = json_array();
    for (size_t i = 0; i < r->syms.n; i++) json_array_append_new(a, sym_out(r->syms.items[i]));
    json_object_set_new(root, "syms", a);
    a = json_array();
    for (size_t i = 0; i < r->refs.n; i++) {
        const RawRef *x = &r->refs.items[i];
        json_array_append_new(a, json_pack("[s, s, o, s, i, i, i, i]", x->usr, x->file, jstr(x->function), x->kind,
                                           x->line, x->column, x->function_start, x->function_end));
    }
    json_object_set_new(root, "refs", a);
    a = json_array();
    for (size_t i = 0; i < r->misuse.n; i++)
        json_array_append_new(a, json_pack("[s, i]", r->misuse.items[i].file, r->misuse.items[i].line));
    json_object_set_new(root, "misuse", a);
    a = json_array();
    for (size_t i = 0; i < r->diags.n; i++) {
        const Diag *d = &r->diags.items[i];
        json_array_append_new(a, json_pack("[i, o, i, s]", (int)d->level, jstr(d->file), d->line, d->message));
    }
    json_object_set_new(root, "diags", a);
    json_object_set_new(root, "deps", strs(&r->deps));
    json_object_set_new(root, "failed", json_integer(r->failed));
    return root;
}

void tu_in(json_t *root, TuResult *r) {
    size_t i;
    json_t *x;
    unstrs(json_object_get(root, "deps"), &r->deps);
    json_array_foreach(json_object_get(root, "syms"), i, x) vec_push(&r->syms, sym_in(x));
    json_array_foreach(json_object_get(root, "refs"), i, x) {
        RawRef f = {sdup(json_array_get(x, 0)), sdup(json_array_get(x, 1)), sdup(json_array_get(x, 2)),
                    intern_kind(json_string_value(json_array_get(x, 3)) ? json_string_value(json_array_get(x, 3)) : ""),
                    (int)json_integer_value(json_array_get(x, 4)), (int)json_integer_value(json_array_get(x, 5)),
                    (int)json_integer_value(json_array_get(x, 6)), (int)json_integer_value(json_array_get(x, 7))};
        if (f.kind) vec_push(&r->refs, f);
    }
    json_array_foreach(json_object_get(root, "misuse"), i, x) {
        Site site = {sdup(json_array_get(x, 0)), (int)json_integer_value(json_array_get(x, 1))};
        vec_push(&r->misuse, site);
    }
    json_array_foreach(json_object_get(root, "diags"), i, x) {
        Diag d = {(DiagLevel)json_integer_value(json_array_get(x, 0)), sdup(json_array_get(x, 1)),
                  (int)json_integer_value(json_array_get(x, 2)), sdup(json_array_get(x, 3))};
        vec_push(&r->diags, d);
    }
    r->failed = (int)json_integer_value(json_object_get(root, "failed"));
}

void cache_store(const char *dir, const char *key, const TuResult *r) {
    json_t *root = json_object(), *a = json_array();
    json_object_set_new(root, "format", json_integer(CACHE_FORMAT));
    json_array_append_new(a, stamp("/proc/self/exe"));
    for (size_t i = 0; i < r->deps.n; i++) json_array_append_new(a, stamp(r->deps.items[i]));
    json_object_set_new(root, "stamps", a);
    json_object_set_new(root, "unit", tu_out(r));
    mkdir(dir, 0777);
    char *path = entry_path(dir, key), *tmp = xprintf("%s.%d.tmp", path, (int)getpid());
    if (json_dump_file(root, tmp, JSON_COMPACT) == 0) rename(tmp, path);
    else remove(tmp);
    free(path), free(tmp);
    json_decref(root);
}

int cache_load(const char *dir, const char *key, TuResult *r) {
    char *path = entry_path(dir, key);
    size_t len = 0;
    char *text = read_text(path, &len);
    free(path);
    json_t *root = text ? json_loadb(text, len, 0, NULL) : NULL;
    free(text);
    if (!root) return 0;
    int ok = json_integer_value(json_object_get(root, "format")) == CACHE_FORMAT;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(root, "stamps"), i, x) {
        if (!ok) break;
        json_t *now = stamp(json_string_value(json_array_get(x, 0)) ? json_string_value(json_array_get(x, 0)) : "");
        ok = json_equal(now, x);
        json_decref(now);
    }
    if (ok) tu_in(json_object_get(root, "unit"), r);
    json_decref(root);
    return ok;
}
