// SPDX-License-Identifier: MIT
// api.json from a const model (format of docs/api-json.md): fixed key order, every key present
// (null or [] when empty), sorted lists, no timestamps; checked writes. Entry: gen_json_write.
#include "model.h"

#include <jansson.h>
#include <stdio.h>  // fopen, ferror, fclose
#include <stdlib.h> // free
#include <string.h> // strcmp

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *str_list(const StrVec *v) {
    json_t *a = json_array();
    for (size_t i = 0; i < v->n; i++) json_array_append_new(a, json_string(v->items[i]));
    return a;
}

static json_t *doc_json(const Doc *d) {
    if (!d) return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "line", json_integer(d->line));
    json_object_set_new(o, "end_line", json_integer(d->end_line));
    json_object_set_new(o, "brief", json_string(d->brief));
    json_object_set_new(o, "description", json_string(d->description));
    json_t *ps = json_array();
    for (size_t i = 0; i < d->params.n; i++) {
        const DocParam *p = &d->params.items[i];
        json_t *x = json_object();
        json_object_set_new(x, "name", json_string(p->name));
        json_object_set_new(x, "direction", json_string(p->direction));
        json_object_set_new(x, "description", json_string(p->description));
        json_object_set_new(x, "line", json_integer(p->line));
        json_array_append_new(ps, x);
    }
    json_object_set_new(o, "params", ps);
    json_t *fs = json_array();
    for (size_t i = 0; i < d->fields.n; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "name", json_string(d->fields.items[i].name));
        json_object_set_new(x, "description", json_string(d->fields.items[i].description));
        json_object_set_new(x, "line", json_integer(d->fields.items[i].line));
        json_array_append_new(fs, x);
    }
    json_object_set_new(o, "fields", fs);
    json_object_set_new(o, "success", str_or_null(d->success));
    json_object_set_new(o, "failure", str_or_null(d->failure));
    json_object_set_new(o, "returns", str_or_null(d->returns));
    json_object_set_new(o, "usage", str_or_null(d->usage));
    json_t *ns = json_array();
    for (size_t i = 0; i < d->notes.n; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "kind", json_string(d->notes.items[i].kind));
        json_object_set_new(x, "text", json_string(d->notes.items[i].text));
        json_array_append_new(ns, x);
    }
    json_object_set_new(o, "notes", ns);
    json_object_set_new(o, "deprecated", str_or_null(d->deprecated));
    json_object_set_new(o, "see", str_list(&d->see));
    json_object_set_new(o, "tags", str_list(&d->tags));
    json_object_set_new(o, "tags_written", str_list(&d->tags_written));
    return o;
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
static json_t *merged(const char *fields, const char *trailing) {
    if (fields && trailing && *trailing) {
        char *s = xprintf("%s %s", fields, trailing);
        json_t *j = json_string(s);
        free(s);
        return j;
    }
    return str_or_null(fields ? fields : trailing);
}

static json_t *symbol_json(const Model *m, const Symbol *s) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(s->id));
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "kind", json_string(kind_name(s->kind)));
    json_object_set_new(o, "header", json_string(s->header));
    json_object_set_new(o, "include", json_string(s->include));
    json_object_set_new(o, "line", json_integer(s->line));
    json_object_set_new(o, "end_line", json_integer(s->end_line));
    json_object_set_new(o, "declaration", json_string(s->declaration));
    json_object_set_new(o, "deprecated", json_boolean(s->doc && s->doc->deprecated));
    json_object_set_new(o, "doc", doc_json(s->doc));
    json_object_set_new(o, "return_type", str_or_null(s->return_type));
    json_t *ps = json_array();
    for (size_t i = 0; i < s->params.n; i++) {
        const Param *p = &s->params.items[i];
        const DocParam *dp = doc_param(s->doc, p->name);
        json_t *x = json_object();
        json_object_set_new(x, "name", json_string(p->name));
        json_object_set_new(x, "type", str_or_null(p->type && strcmp(p->name, "...") ? p->type : NULL));
        json_object_set_new(x, "direction", str_or_null(dp ? dp->direction : NULL));
        json_object_set_new(x, "description", str_or_null(dp ? dp->description : NULL));
        json_array_append_new(ps, x);
    }
    json_object_set_new(o, "params", ps);
    json_t *fs = json_array();
    for (size_t i = 0; i < s->fields.n; i++) {
        const Field *f = &s->fields.items[i];
        json_t *x = json_object();
        json_object_set_new(x, "name", json_string(f->name));
        json_object_set_new(x, "type", json_string(f->type));
        json_object_set_new(x, "description", merged(doc_field(s->doc, f->name), f->trailing));
        json_object_set_new(x, "line", json_integer(f->line));
        json_object_set_new(x, "group", str_or_null(f->group));
        json_array_append_new(fs, x);
    }
    json_object_set_new(o, "fields", fs);
    json_t *es = json_array();
    for (size_t i = 0; i < s->enum_values.n; i++) {
        const EnumValue *e = &s->enum_values.items[i];
        json_t *x = json_object();
        json_object_set_new(x, "name", json_string(e->name));
        json_object_set_new(x, "value", json_integer(e->value));
        json_object_set_new(x, "description", merged(doc_field(s->doc, e->name), e->trailing));
        json_object_set_new(x, "line", json_integer(e->line));
        json_array_append_new(es, x);
    }
    json_object_set_new(o, "enum_values", es);
    json_t *ds = json_array();
    for (size_t i = 0; i < s->dispatch.n; i++) {
        const Dispatch *d = &s->dispatch.items[i];
        const Symbol *fn = d->function ? model_find(m, d->function) : NULL;
        json_t *x = json_object();
        json_object_set_new(x, "type", json_string(d->type));
        json_object_set_new(x, "function", str_or_null(d->function));
        json_object_set_new(x, "function_id", str_or_null(fn ? fn->id : NULL));
        json_object_set_new(x, "expression", json_string(d->expression));
        json_array_append_new(ds, x);
    }
    json_object_set_new(o, "dispatch", ds);
    json_t *rs = json_array();
    for (size_t i = 0; i < s->refs.n; i++) {
        const Reference *r = &s->refs.items[i];
        json_t *x = json_object();
        json_object_set_new(x, "file", json_string(r->file));
        json_object_set_new(x, "line", json_integer(r->line));
        json_object_set_new(x, "column", json_integer(r->column));
        json_object_set_new(x, "kind", json_string(r->kind));
        json_object_set_new(x, "function", str_or_null(r->function));
        json_object_set_new(x, "function_start", r->function ? json_integer(r->function_start) : json_null());
        json_object_set_new(x, "function_end", r->function ? json_integer(r->function_end) : json_null());
        json_object_set_new(x, "category", json_string(ref_category(r->file)));
        json_array_append_new(rs, x);
    }
    json_object_set_new(o, "references", rs);
    json_t *xs = json_array();
    for (size_t i = 0; i < s->examples.n; i++) {
        const Example *e = &s->examples.items[i];
        json_t *x = json_object(), *ul = json_array();
        json_object_set_new(x, "file", json_string(e->file));
        json_object_set_new(x, "function", json_string(e->function));
        json_object_set_new(x, "start", json_integer(e->start));
        json_object_set_new(x, "end", json_integer(e->end));
        json_object_set_new(x, "category", json_string(e->category));
        for (size_t k = 0; k < e->use_lines.n; k++) json_array_append_new(ul, json_integer(e->use_lines.items[k]));
        json_object_set_new(x, "use_lines", ul);
        json_object_set_new(x, "code", json_string(e->code ? e->code : ""));
        json_array_append_new(xs, x);
    }
    json_object_set_new(o, "examples", xs);
    json_object_set_new(o, "uses", str_list(&s->uses));
    return o;
}

int gen_json_write(const Model *m, const char *path) {
    json_t *root = json_object();
    json_object_set_new(root, "format_version", json_integer(1));
    json_object_set_new(root, "generator", json_string("apidoc"));
    json_t *files = json_array();
    for (size_t i = 0; i < m->files.n; i++) {
        const HeaderFile *h = m->files.items[i];
        json_t *f = json_object(), *ids = json_array();
        json_object_set_new(f, "path", json_string(h->path));
        json_object_set_new(f, "include", json_string(h->include));
        json_object_set_new(f, "doc", doc_json(h->doc));
        for (size_t k = 0; k < m->symbols.n; k++)
            if (strcmp(m->symbols.items[k]->header, h->path) == 0)
                json_array_append_new(ids, json_string(m->symbols.items[k]->id));
        json_object_set_new(f, "symbols", ids);
        json_array_append_new(files, f);
    }
    json_object_set_new(root, "files", files);
    json_t *syms = json_array();
    for (size_t i = 0; i < m->symbols.n; i++) json_array_append_new(syms, symbol_json(m, m->symbols.items[i]));
    json_object_set_new(root, "symbols", syms);
    json_t *tags = json_array();
    for (size_t i = 0; i < m->tags.n; i++) {
        const Tag *t = &m->tags.items[i];
        json_t *x = json_object(), *ids = json_array();
        json_object_set_new(x, "name", json_string(t->name));
        json_object_set_new(x, "description", json_string(t->description));
        json_object_set_new(x, "synonyms", str_list(&t->synonyms));
        for (size_t k = 0; k < m->symbols.n; k++) {
            const Doc *d = m->symbols.items[k]->doc;
            for (size_t j = 0; d && j < d->tags.n; j++)
                if (strcmp(d->tags.items[j], t->name) == 0) json_array_append_new(ids, json_string(m->symbols.items[k]->id));
        }
        json_object_set_new(x, "symbols", ids);
        json_array_append_new(tags, x);
    }
    json_object_set_new(root, "tags", tags);
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f) {
        json_decref(root);
        return 3;
    }
    int rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    json_decref(root);
    if (rc != 0 || ferror(f)) rc = 3;
    if (f != stdout ? fclose(f) != 0 : fflush(f) != 0) rc = 3;
    return rc;
}
