// SPDX-License-Identifier: MIT
// api.json from a const model (format of docs/api-json.md): fixed key order, every key present
// (null or [] when empty), sorted lists, no timestamps; checked writes. A streaming writer into
// one buffer (the same layout jansson prints with JSON_INDENT(1)): a tree of json_t for a
// multi-megabyte file cost more than everything else of a warm run. Entry: gen_json_write.
#include "model.h"

#include <stdio.h>  // fopen, ferror, fclose
#include <stdlib.h> // free
#include <string.h> // strcmp

typedef struct {
    char  *buf;
    size_t n, cap;
    int    depth;
    int    first[64]; // per nesting level: no item written yet
} W;

static void put(W *w, const char *s, size_t n) {
    if (w->n + n + 1 > w->cap) {
        w->cap = (w->n + n + 1) * 2;
        w->buf = xrealloc(w->buf, w->cap);
    }
    memcpy(w->buf + w->n, s, n);
    w->n += n;
}

static void puts_(W *w, const char *s) { put(w, s, strlen(s)); }

static void newline(W *w) {
    put(w, "\n", 1);
    for (int i = 0; i < w->depth; i++) put(w, " ", 1);
}

// Before a value inside an array, or before a key inside an object.
static void item(W *w) {
    if (w->depth == 0) return;
    if (!w->first[w->depth]) put(w, ",", 1);
    w->first[w->depth] = 0;
    newline(w);
}

static void quoted(W *w, const char *s) {
    put(w, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(w, run, (size_t)(s - run));
        char esc[8];
        switch (c) {
        case '"': puts_(w, "\\\""); break;
        case '\\': puts_(w, "\\\\"); break;
        case '\b': puts_(w, "\\b"); break;
        case '\f': puts_(w, "\\f"); break;
        case '\n': puts_(w, "\\n"); break;
        case '\r': puts_(w, "\\r"); break;
        case '\t': puts_(w, "\\t"); break;
        default: snprintf(esc, sizeof esc, "\\u%04X", c); puts_(w, esc); break;
        }
        run = s + 1;
    }
    put(w, run, (size_t)(s - run));
    put(w, "\"", 1);
}

static void open_(W *w, const char *bracket) {
    puts_(w, bracket);
    w->depth++;
    w->first[w->depth] = 1;
}

static void close_(W *w, const char *bracket) {
    int empty = w->first[w->depth];
    w->depth--;
    if (!empty) newline(w);
    puts_(w, bracket);
}

static void key(W *w, const char *k) {
    item(w);
    quoted(w, k);
    put(w, ": ", 2);
}

static void k_str(W *w, const char *k, const char *v) {
    key(w, k);
    if (v) quoted(w, v);
    else puts_(w, "null");
}

static void k_int(W *w, const char *k, long long v) {
    char b[32];
    key(w, k);
    snprintf(b, sizeof b, "%lld", v);
    puts_(w, b);
}

static void k_int_or_null(W *w, const char *k, int has, long long v) {
    if (has) k_int(w, k, v);
    else k_str(w, k, NULL);
}

static void k_bool(W *w, const char *k, int v) {
    key(w, k);
    puts_(w, v ? "true" : "false");
}

static void a_str(W *w, const char *v) {
    item(w);
    quoted(w, v);
}

static void k_strs(W *w, const char *k, const StrVec *v) {
    key(w, k);
    open_(w, "[");
    for (size_t i = 0; i < v->n; i++) a_str(w, v->items[i]);
    close_(w, "]");
}

static void doc_json(W *w, const char *k, const Doc *d) {
    key(w, k);
    if (!d) {
        puts_(w, "null");
        return;
    }
    open_(w, "{");
    k_int(w, "line", d->line);
    k_int(w, "end_line", d->end_line);
    k_str(w, "brief", d->brief);
    k_str(w, "description", d->description);
    key(w, "params");
    open_(w, "[");
    for (size_t i = 0; i < d->params.n; i++) {
        const DocParam *p = &d->params.items[i];
        item(w);
        open_(w, "{");
        k_str(w, "name", p->name);
        k_str(w, "direction", p->direction);
        k_str(w, "description", p->description);
        k_int(w, "line", p->line);
        close_(w, "}");
    }
    close_(w, "]");
    key(w, "fields");
    open_(w, "[");
    for (size_t i = 0; i < d->fields.n; i++) {
        item(w);
        open_(w, "{");
        k_str(w, "name", d->fields.items[i].name);
        k_str(w, "description", d->fields.items[i].description);
        k_int(w, "line", d->fields.items[i].line);
        close_(w, "}");
    }
    close_(w, "]");
    k_str(w, "success", d->success);
    k_str(w, "failure", d->failure);
    k_str(w, "returns", d->returns);
    k_str(w, "usage", d->usage);
    key(w, "notes");
    open_(w, "[");
    for (size_t i = 0; i < d->notes.n; i++) {
        item(w);
        open_(w, "{");
        k_str(w, "kind", d->notes.items[i].kind);
        k_str(w, "text", d->notes.items[i].text);
        close_(w, "}");
    }
    close_(w, "]");
    k_str(w, "deprecated", d->deprecated);
    k_strs(w, "see", &d->see);
    k_strs(w, "tags", &d->tags);
    k_strs(w, "tags_written", &d->tags_written);
    close_(w, "}");
}

static const DocParam *doc_param(const Doc *d, const char *name) {
    for (size_t i = 0; d && i < d->params.n; i++)
        if (strcmp(d->params.items[i].name, name) == 0) return &d->params.items[i];
    return NULL;
}

static const char *doc_field(const Doc *d, const char *name) {
    for (size_t i = 0; d && i < d->fields.n; i++)
        if (strcmp(d->fields.items[i].name, name) == 0) return d->fields.items[i].description;
    return NULL;
}

// FIELDS: first, then `///<`.
static void k_merged(W *w, const char *k, const char *fields, const char *trailing) {
    if (fields && trailing && *trailing) {
        char *s = xprintf("%s %s", fields, trailing);
        k_str(w, k, s);
        free(s);
    } else {
        k_str(w, k, fields ? fields : trailing);
    }
}

static void symbol_json(W *w, const Model *m, const Symbol *s) {
    item(w);
    open_(w, "{");
    k_str(w, "id", s->id);
    k_str(w, "name", s->name);
    k_str(w, "kind", kind_name(s->kind));
    k_str(w, "header", s->header);
    k_str(w, "include", s->include);
    k_int(w, "line", s->line);
    k_int(w, "end_line", s->end_line);
    k_str(w, "declaration", s->declaration);
    k_bool(w, "deprecated", s->doc && s->doc->deprecated);
    doc_json(w, "doc", s->doc);
    k_str(w, "return_type", s->return_type);
    key(w, "params");
    open_(w, "[");
    for (size_t i = 0; i < s->params.n; i++) {
        const Param *p = &s->params.items[i];
        const DocParam *dp = doc_param(s->doc, p->name);
        item(w);
        open_(w, "{");
        k_str(w, "name", p->name);
        k_str(w, "type", p->type && strcmp(p->name, "...") ? p->type : NULL);
        k_str(w, "direction", dp ? dp->direction : NULL);
        k_str(w, "description", dp ? dp->description : NULL);
        close_(w, "}");
    }
    close_(w, "]");
    key(w, "fields");
    open_(w, "[");
    for (size_t i = 0; i < s->fields.n; i++) {
        const Field *f = &s->fields.items[i];
        item(w);
        open_(w, "{");
        k_str(w, "name", f->name);
        k_str(w, "type", f->type);
        k_merged(w, "description", doc_field(s->doc, f->name), f->trailing);
        k_int(w, "line", f->line);
        k_str(w, "group", f->group);
        close_(w, "}");
    }
    close_(w, "]");
    key(w, "enum_values");
    open_(w, "[");
    for (size_t i = 0; i < s->enum_values.n; i++) {
        const EnumValue *e = &s->enum_values.items[i];
        item(w);
        open_(w, "{");
        k_str(w, "name", e->name);
        k_int(w, "value", e->value);
        k_merged(w, "description", doc_field(s->doc, e->name), e->trailing);
        k_int(w, "line", e->line);
        close_(w, "}");
    }
    close_(w, "]");
    key(w, "dispatch");
    open_(w, "[");
    for (size_t i = 0; i < s->dispatch.n; i++) {
        const Dispatch *d = &s->dispatch.items[i];
        const Symbol *fn = d->function ? model_find(m, d->function) : NULL;
        item(w);
        open_(w, "{");
        k_str(w, "type", d->type);
        k_str(w, "function", d->function);
        k_str(w, "function_id", fn ? fn->id : NULL);
        k_str(w, "expression", d->expression);
        close_(w, "}");
    }
    close_(w, "]");
    key(w, "references");
    open_(w, "[");
    for (size_t i = 0; i < s->refs.n; i++) {
        const Reference *r = &s->refs.items[i];
        item(w);
        open_(w, "{");
        k_str(w, "file", r->file);
        k_int(w, "line", r->line);
        k_int(w, "column", r->column);
        k_str(w, "kind", r->kind);
        k_str(w, "function", r->function);
        k_int_or_null(w, "function_start", r->function != NULL, r->function_start);
        k_int_or_null(w, "function_end", r->function != NULL, r->function_end);
        k_str(w, "category", ref_category(r->file));
        close_(w, "}");
    }
    close_(w, "]");
    key(w, "examples");
    open_(w, "[");
    for (size_t i = 0; i < s->examples.n; i++) {
        const Example *e = &s->examples.items[i];
        item(w);
        open_(w, "{");
        k_str(w, "file", e->file);
        k_str(w, "function", e->function);
        k_int(w, "start", e->start);
        k_int(w, "end", e->end);
        k_str(w, "category", e->category);
        key(w, "use_lines");
        open_(w, "[");
        for (size_t k = 0; k < e->use_lines.n; k++) {
            char b[16];
            item(w);
            snprintf(b, sizeof b, "%d", e->use_lines.items[k]);
            puts_(w, b);
        }
        close_(w, "]");
        k_str(w, "code", e->code ? e->code : "");
        close_(w, "}");
    }
    close_(w, "]");
    k_strs(w, "uses", &s->uses);
    close_(w, "}");
}

int gen_json_write(const Model *m, const char *path) {
    W w = {0};
    open_(&w, "{");
    k_int(&w, "format_version", 1);
    k_str(&w, "generator", "apidoc");
    key(&w, "files");
    open_(&w, "[");
    for (size_t i = 0; i < m->files.n; i++) {
        const HeaderFile *h = m->files.items[i];
        item(&w);
        open_(&w, "{");
        k_str(&w, "path", h->path);
        k_str(&w, "include", h->include);
        doc_json(&w, "doc", h->doc);
        key(&w, "symbols");
        open_(&w, "[");
        for (size_t k = 0; k < m->symbols.n; k++)
            if (strcmp(m->symbols.items[k]->header, h->path) == 0) a_str(&w, m->symbols.items[k]->id);
        close_(&w, "]");
        close_(&w, "}");
    }
    close_(&w, "]");
    key(&w, "symbols");
    open_(&w, "[");
    for (size_t i = 0; i < m->symbols.n; i++) symbol_json(&w, m, m->symbols.items[i]);
    close_(&w, "]");
    key(&w, "tags");
    open_(&w, "[");
    for (size_t i = 0; i < m->tags.n; i++) {
        const Tag *t = &m->tags.items[i];
        item(&w);
        open_(&w, "{");
        k_str(&w, "name", t->name);
        k_str(&w, "description", t->description);
        k_strs(&w, "synonyms", &t->synonyms);
        key(&w, "symbols");
        open_(&w, "[");
        for (size_t k = 0; k < m->symbols.n; k++) {
            const Doc *d = m->symbols.items[k]->doc;
            for (size_t j = 0; d && j < d->tags.n; j++)
                if (strcmp(d->tags.items[j], t->name) == 0) a_str(&w, m->symbols.items[k]->id);
        }
        close_(&w, "]");
        close_(&w, "}");
    }
    close_(&w, "]");
    close_(&w, "}");
    put(&w, "\n", 1);
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f) {
        free(w.buf);
        return 3;
    }
    int rc = fwrite(w.buf, 1, w.n, f) == w.n ? 0 : 3;
    free(w.buf);
    if (ferror(f)) rc = 3;
    if (f != stdout ? fclose(f) != 0 : fflush(f) != 0) rc = 3;
    return rc;
}
