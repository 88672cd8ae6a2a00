// SPDX-License-Identifier: MIT
// api.json from a const model (format of docs/api-json.md, key names from schema.h): fixed key
// order, every key present (null or [] when empty), sorted lists, no timestamps; checked writes.
// A streaming writer through a 64 KB buffer (a whole-file buffer cost a warm run ~1,800 page
// faults): one-space indentation, the small objects of long lists
// (example uses, parameters, members) each on one line, references as one-line arrays. A tree of json_t for a
// multi-megabyte file cost more than everything else of a warm run. Entry: gen_json_write.
#include "model.h"
#include "schema.h"

#include <stdint.h> // uint64_t
#include <stdio.h>  // fopen, ferror, fclose
#include <stdlib.h> // free
#include <string.h> // strcmp

typedef struct {
    FILE  *out;
    int    failed; // a write to `out` failed
    char  *buf;
    size_t n, cap;
    int    depth;
    int    flat;       // > 0: inside an object written on one line (its depth)
    int    first[256]; // per nesting level: no item written yet
} W;

static void flush_out(W *w) {
    if (w->n && fwrite(w->buf, 1, w->n, w->out) != w->n) w->failed = 1;
    w->n = 0;
}

static inline void reserve(W *w, size_t n) {
    if (w->n + n + 1 > w->cap) {
        flush_out(w);
        if (n + 1 > w->cap) w->cap = n + 1 > (1 << 16) ? (n + 1) * 2 : 1 << 16, w->buf = xrealloc(w->buf, w->cap);
    }
}

static inline void put(W *w, const char *s, size_t n) {
    reserve(w, n);
    memcpy(w->buf + w->n, s, n);
    w->n += n;
}

static void puts_(W *w, const char *s) { put(w, s, strlen(s)); }

// A decimal integer without snprintf (a warm run writes ~100,000 of them).
static void put_int(W *w, long long v) {
    char  t[24];
    char *p = int_digits(t, v);
    put(w, p, (size_t)(t + sizeof t - p));
}

static void newline(W *w) {
    reserve(w, (size_t)w->depth + 1);
    w->buf[w->n++] = '\n';
    memset(w->buf + w->n, ' ', (size_t)w->depth);
    w->n += (size_t)w->depth;
}

// Before a value inside an array, or before a key inside an object.
static void item(W *w) {
    if (w->depth == 0) return;
    int first = w->first[w->depth];
    w->first[w->depth] = 0;
    if (w->flat) {
        if (!first) put(w, ", ", 2);
        return;
    }
    if (!first) put(w, ",", 1);
    newline(w);
}

// Whether any of the eight bytes of `x` must be escaped in a JSON string: below 0x20, '"' or '\\'
// (the usual "has a zero byte" test; a false hit only sends the word to the byte loop).
static int word_needs_escape(uint64_t x) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs ? 1 : 0;
}

static void quoted(W *w, const char *s) {
    put(w, "\"", 1);
    size_t n = strlen(s), run = 0;
    for (size_t i = 0; i < n;) {
        uint64_t x;
        if (i + 8 <= n && (memcpy(&x, s + i, 8), !word_needs_escape(x))) {
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        put(w, s + run, i - run);
        char esc[8];
        switch (c) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\b': put(w, "\\b", 2); break;
        case '\f': put(w, "\\f", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        default: snprintf(esc, sizeof esc, "\\u%04X", c); puts_(w, esc); break;
        }
        run = ++i;
    }
    put(w, s + run, n - run);
    put(w, "\"", 1);
}

static void open_(W *w, const char *bracket) {
    puts_(w, bracket);
    w->depth++;
    w->first[w->depth] = 1;
}

static void close_(W *w, const char *bracket) {
    int empty = w->first[w->depth];
    if (w->flat == w->depth) w->flat = 0;
    w->depth--;
    if (!empty && !w->flat) newline(w);
    puts_(w, bracket);
}

// An object written on one line (with everything inside it).
static void open_flat(W *w) {
    item(w);
    open_(w, "{");
    if (!w->flat) w->flat = w->depth;
}

// Keys are schema.h's names, which need no escapes: copied, not scanned.
static void key(W *w, const char *k) {
    item(w);
    size_t n = strlen(k);
    reserve(w, n + 4);
    w->buf[w->n] = '"';
    memcpy(w->buf + w->n + 1, k, n);
    memcpy(w->buf + w->n + 1 + n, "\": ", 3);
    w->n += n + 4;
}

static void k_str(W *w, const char *k, const char *v) {
    key(w, k);
    if (v) quoted(w, v);
    else puts_(w, "null");
}

static void k_int(W *w, const char *k, long long v) {
    key(w, k);
    put_int(w, v);
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
    k_int(w, K_LINE, d->line);
    k_int(w, K_END_LINE, d->end_line);
    k_str(w, K_BRIEF, d->brief);
    k_str(w, K_DESCRIPTION, d->description);
    key(w, K_PARAMS);
    open_(w, "[");
    for (size_t i = 0; i < d->params.n; i++) {
        const DocParam *p = &d->params.items[i];
        open_flat(w);
        k_str(w, K_NAME, p->name);
        k_str(w, K_DIRECTION, p->direction);
        k_str(w, K_DESCRIPTION, p->description);
        k_int(w, K_LINE, p->line);
        close_(w, "}");
    }
    close_(w, "]");
    key(w, K_FIELDS);
    open_(w, "[");
    for (size_t i = 0; i < d->fields.n; i++) {
        open_flat(w);
        k_str(w, K_NAME, d->fields.items[i].name);
        k_str(w, K_DESCRIPTION, d->fields.items[i].description);
        k_int(w, K_LINE, d->fields.items[i].line);
        close_(w, "}");
    }
    close_(w, "]");
    k_str(w, K_SUCCESS, d->success);
    k_str(w, K_FAILURE, d->failure);
    k_str(w, K_RETURNS, d->returns);
    k_str(w, K_USAGE, d->usage);
    key(w, K_NOTES);
    open_(w, "[");
    for (size_t i = 0; i < d->notes.n; i++) {
        open_flat(w);
        k_str(w, K_KIND, d->notes.items[i].kind);
        k_str(w, K_TEXT, d->notes.items[i].text);
        close_(w, "}");
    }
    close_(w, "]");
    k_str(w, K_DEPRECATED, d->deprecated);
    k_strs(w, K_SEE, &d->see);
    k_strs(w, K_TAGS, &d->tags);
    k_strs(w, K_TAGS_WRITTEN, &d->tags_written);
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

static void fields_json(W *w, const Symbol *s, const FieldVec *fields) {
    key(w, K_FIELDS);
    open_(w, "[");
    for (size_t i = 0; i < fields->n; i++) {
        const Field *f = &fields->items[i];
        open_flat(w);
        k_str(w, K_NAME, f->name);
        k_str(w, K_TYPE, f->type);
        k_int_or_null(w, K_BITS, f->bits >= 0, f->bits);
        k_merged(w, K_DESCRIPTION, doc_field(s->doc, f->name), f->trailing);
        k_int(w, K_LINE, f->line);
        k_str(w, K_GROUP, f->group);
        fields_json(w, s, &f->sub);
        close_(w, "}");
    }
    close_(w, "]");
}

static void symbol_json(W *w, const Model *m, const Symbol *s) {
    item(w);
    open_(w, "{");
    k_str(w, K_ID, s->id);
    k_str(w, K_NAME, s->name);
    k_str(w, K_KIND, kind_name(s->kind));
    k_str(w, K_NAMESPACE, namespace_name(s->ns));
    k_str(w, K_HEADER, s->header);
    k_str(w, K_INCLUDE, s->include);
    k_int(w, K_LINE, s->line);
    k_int(w, K_END_LINE, s->end_line);
    k_str(w, K_DECLARATION, s->declaration);
    k_bool(w, K_DEPRECATED, s->doc && s->doc->deprecated);
    doc_json(w, K_DOC, s->doc);
    k_str(w, K_RETURN_TYPE, s->return_type);
    key(w, K_PARAMS);
    open_(w, "[");
    for (size_t i = 0; i < s->params.n; i++) {
        const Param *p = &s->params.items[i];
        const DocParam *dp = doc_param(s->doc, p->name);
        open_flat(w);
        k_str(w, K_NAME, p->name);
        k_str(w, K_TYPE, p->type && strcmp(p->name, "...") ? p->type : NULL);
        k_str(w, K_DIRECTION, dp ? dp->direction : NULL);
        k_str(w, K_DESCRIPTION, dp ? dp->description : NULL);
        close_(w, "}");
    }
    close_(w, "]");
    fields_json(w, s, &s->fields);
    key(w, K_ENUM_VALUES);
    open_(w, "[");
    for (size_t i = 0; i < s->enum_values.n; i++) {
        const EnumValue *e = &s->enum_values.items[i];
        open_flat(w);
        k_str(w, K_NAME, e->name);
        k_int(w, K_VALUE, e->value);
        k_merged(w, K_DESCRIPTION, doc_field(s->doc, e->name), e->trailing);
        k_int(w, K_LINE, e->line);
        close_(w, "}");
    }
    close_(w, "]");
    key(w, K_DISPATCH);
    open_(w, "[");
    for (size_t i = 0; i < s->dispatch.n; i++) {
        const Dispatch *d = &s->dispatch.items[i];
        const Symbol *fn = d->function ? model_find(m, d->function) : NULL;
        open_flat(w);
        k_str(w, K_TYPE, d->type);
        k_str(w, K_FUNCTION, d->function);
        k_str(w, K_FUNCTION_ID, fn ? fn->id : NULL);
        k_str(w, K_EXPRESSION, d->expression);
        close_(w, "}");
    }
    close_(w, "]");
    k_str(w, K_TAG_NAME, s->tag_name);
    k_strs(w, K_SAME_NAME, &s->same_name);
    k_bool(w, K_BASIC, s->basic);
    k_int(w, K_USE_COUNT, (long long)s->refs.n);
    key(w, K_REFERENCES);
    open_(w, "[");
    for (size_t i = 0; i < s->refs.n; i++) { // the longest list: each a [file, line, column, kind, example]
        const Reference *r = &s->refs.items[i];
        item(w);
        put(w, "[", 1);
        quoted(w, r->file);
        put(w, ", ", 2), put_int(w, r->line);
        put(w, ", ", 2), put_int(w, r->column);
        put(w, ", ", 2), quoted(w, r->kind);
        if (r->example >= 0) put(w, ", ", 2), put_int(w, r->example), put(w, "]", 1);
        else put(w, ", null]", 7);
    }
    close_(w, "]");
    key(w, K_EXAMPLES);
    open_(w, "[");
    for (size_t i = 0; i < s->examples.n; i++) {
        const ExampleUse *e = &s->examples.items[i];
        open_flat(w);
        k_int(w, K_EXAMPLE, e->example);
        key(w, K_USE_LINES);
        open_(w, "[");
        for (size_t k = 0; k < e->use_lines.n; k++) {
            item(w);
            put_int(w, e->use_lines.items[k]);
        }
        close_(w, "]");
        k_str(w, K_VIA, e->via);
        close_(w, "}");
    }
    close_(w, "]");
    k_strs(w, K_USES, &s->uses);
    close_(w, "}");
}

int gen_json_write(const Model *m, const char *path) {
    W w = {0};
    w.out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!w.out) return 3;
    open_(&w, "{");
    k_int(&w, K_FORMAT_VERSION, API_FORMAT_VERSION);
    k_str(&w, K_GENERATOR, "apidoc");
    key(&w, K_FILES);
    open_(&w, "[");
    size_t at = 0; // symbols are sorted by header as files are by path
    for (size_t i = 0; i < m->files.n; i++) {
        const HeaderFile *h = m->files.items[i];
        item(&w);
        open_(&w, "{");
        k_str(&w, K_PATH, h->path);
        k_str(&w, K_INCLUDE, h->include);
        doc_json(&w, K_DOC, h->doc);
        key(&w, K_SYMBOLS);
        open_(&w, "[");
        while (at < m->symbols.n && strcmp(m->symbols.items[at]->header, h->path) < 0) at++;
        for (; at < m->symbols.n && strcmp(m->symbols.items[at]->header, h->path) == 0; at++)
            a_str(&w, m->symbols.items[at]->id);
        close_(&w, "]");
        close_(&w, "}");
    }
    close_(&w, "]");
    key(&w, K_SYMBOLS);
    open_(&w, "[");
    for (size_t i = 0; i < m->symbols.n; i++) symbol_json(&w, m, m->symbols.items[i]);
    close_(&w, "]");
    key(&w, K_EXAMPLES);
    open_(&w, "[");
    for (size_t i = 0; i < m->examples.n; i++) {
        const Example *e = &m->examples.items[i];
        item(&w);
        open_(&w, "{");
        k_str(&w, K_FILE, e->file);
        k_str(&w, K_FUNCTION, e->function);
        k_int(&w, K_START, e->start);
        k_int(&w, K_END, e->end);
        k_str(&w, K_ORIGIN, e->origin);
        k_bool(&w, K_MISUSE, e->misuse);
        k_str(&w, K_CODE, e->code ? e->code : "");
        close_(&w, "}");
    }
    close_(&w, "]");
    key(&w, K_TAGS);
    open_(&w, "[");
    for (size_t i = 0; i < m->tags.n; i++) {
        const Tag *t = &m->tags.items[i];
        item(&w);
        open_(&w, "{");
        k_str(&w, K_NAME, t->name);
        k_str(&w, K_DESCRIPTION, t->description);
        k_strs(&w, K_SYNONYMS, &t->synonyms);
        key(&w, K_SYMBOLS);
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
    flush_out(&w);
    free(w.buf);
    FILE *f = w.out;
    int rc = w.failed || ferror(f) ? 3 : 0;
    if (f != stdout ? fclose(f) != 0 : fflush(f) != 0) rc = 3;
    return rc;
}
