// SPDX-License-Identifier: MIT
// Reading an api.json back into the model (jansson; key names from schema.h), so that
// `apidoc lint api.json` checks that very file: its symbols, members, parameters, doc blocks and
// tag vocabulary. What only the sources know (a block that attaches to nothing, the grammar of a
// block) was reported when the file was extracted. Entry point: api_read.
#include "model.h"
#include "schema.h"

#include <jansson.h>
#include <string.h> // strcmp

static char *str(const json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? xstrdup(s) : NULL;
}
static int num(const json_t *o, const char *k) { return (int)json_integer_value(json_object_get(o, k)); }

static void strs(const json_t *a, StrVec *v) {
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) if (json_is_string(x)) vec_push(v, xstrdup(json_string_value(x)));
}

static Doc *doc_in(const json_t *o) {
    if (!json_is_object(o)) return NULL;
    Doc *d = xcalloc(1, sizeof *d);
    d->line = num(o, K_LINE), d->end_line = num(o, K_END_LINE);
    d->brief = str(o, K_BRIEF), d->description = str(o, K_DESCRIPTION);
    if (!d->description) d->description = xstrdup("");
    d->success = str(o, K_SUCCESS), d->failure = str(o, K_FAILURE), d->returns = str(o, K_RETURNS);
    d->usage = str(o, K_USAGE), d->deprecated = str(o, K_DEPRECATED);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, K_PARAMS), i, x) {
        DocParam p = {str(x, K_NAME), str(x, K_DIRECTION), str(x, K_DESCRIPTION), num(x, K_LINE)};
        vec_push(&d->params, p);
    }
    json_array_foreach(json_object_get(o, K_FIELDS), i, x) {
        DocField f = {str(x, K_NAME), str(x, K_DESCRIPTION), num(x, K_LINE)};
        vec_push(&d->fields, f);
    }
    json_array_foreach(json_object_get(o, K_NOTES), i, x) {
        DocNote n = {str(x, K_KIND), str(x, K_TEXT)};
        vec_push(&d->notes, n);
    }
    strs(json_object_get(o, K_SEE), &d->see);
    strs(json_object_get(o, K_TAGS), &d->tags);
    strs(json_object_get(o, K_TAGS_WRITTEN), &d->tags_written);
    d->has_tags = d->tags_written.n > 0; // an empty `TAGS:` line and none look alike here
    d->tags_line = d->fields_line = d->line;
    d->used = 1;
    return d;
}

static int documented_in_fields(const Doc *d, const char *name) {
    for (size_t i = 0; d && i < d->fields.n; i++)
        if (strcmp(d->fields.items[i].name, name) == 0) return 1;
    return 0;
}

// A member's description merges FIELDS: and `///<`: one that FIELDS: does not name came from `///<`.
static void fields_in(const json_t *a, const Doc *d, FieldVec *out) {
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) {
        Field f = {str(x, K_NAME), str(x, K_TYPE), str(x, K_GROUP), NULL, num(x, K_LINE),
                   json_is_integer(json_object_get(x, K_BITS)) ? num(x, K_BITS) : -1, {0}, num(x, K_LINE)};
        if (f.name && !documented_in_fields(d, f.name)) f.trailing = str(x, K_DESCRIPTION);
        fields_in(json_object_get(x, K_FIELDS), d, &f.sub);
        vec_push(out, f);
    }
}

static int kind_of(const char *k, SymbolKind *out) {
    for (int i = KIND_FUNCTION; i <= KIND_VARIABLE; i++)
        if (k && strcmp(kind_name((SymbolKind)i), k) == 0) return *out = (SymbolKind)i, 1;
    return 0;
}

int api_read(const char *path, Model *m) {
    json_error_t e;
    json_t *root = json_load_file(path, 0, &e);
    if (!root) {
        diag_add(&m->diags, DIAG_ERROR, path, e.line, "not valid JSON: %s", e.text);
        return 3;
    }
    int version = num(root, K_FORMAT_VERSION);
    if (version != API_FORMAT_VERSION) {
        diag_add(&m->diags, DIAG_ERROR, path, 1, "format_version %d is not supported (expected %d)", version, API_FORMAT_VERSION);
        json_decref(root);
        return 3;
    }
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(root, K_FILES), i, x) {
        HeaderFile *h = xcalloc(1, sizeof *h);
        h->path = str(x, K_PATH), h->include = str(x, K_INCLUDE), h->doc = doc_in(json_object_get(x, K_DOC));
        if (!h->path) continue;
        vec_push(&m->files, h);
    }
    json_array_foreach(json_object_get(root, K_SYMBOLS), i, x) {
        Symbol *s = xcalloc(1, sizeof *s);
        s->id = str(x, K_ID), s->name = str(x, K_NAME), s->header = str(x, K_HEADER), s->include = str(x, K_INCLUDE);
        s->declaration = str(x, K_DECLARATION), s->return_type = str(x, K_RETURN_TYPE), s->tag_name = str(x, K_TAG_NAME);
        s->line = num(x, K_LINE), s->end_line = num(x, K_END_LINE);
        s->basic = json_is_true(json_object_get(x, K_BASIC));
        const char *ns = json_string_value(json_object_get(x, K_NAMESPACE));
        s->ns = ns && strcmp(ns, "macro") == 0 ? NS_MACRO : ns && strcmp(ns, "tag") == 0 ? NS_TAG : NS_ORDINARY;
        if (!s->name || !s->header || !kind_of(json_string_value(json_object_get(x, K_KIND)), &s->kind)) {
            diag_add(&m->diags, DIAG_ERROR, path, 0, "symbol %zu has no name, header or known kind", i + 1);
            continue;
        }
        s->doc = doc_in(json_object_get(x, K_DOC));
        size_t k;
        json_t *y;
        json_array_foreach(json_object_get(x, K_PARAMS), k, y) {
            Param p = {str(y, K_NAME), str(y, K_TYPE)};
            if (!p.name) p.name = xstrdup("");
            vec_push(&s->params, p);
            if (strcmp(p.name, "...") == 0) s->variadic = 1;
        }
        fields_in(json_object_get(x, K_FIELDS), s->doc, &s->fields);
        json_array_foreach(json_object_get(x, K_ENUM_VALUES), k, y) {
            EnumValue ev = {str(y, K_NAME), NULL, (long long)json_integer_value(json_object_get(y, K_VALUE)), num(y, K_LINE)};
            if (ev.name && !documented_in_fields(s->doc, ev.name)) ev.trailing = str(y, K_DESCRIPTION);
            vec_push(&s->enum_values, ev);
        }
        vec_push(&m->symbols, s);
    }
    json_array_foreach(json_object_get(root, K_TAGS), i, x) {
        Tag t = {str(x, K_NAME), str(x, K_DESCRIPTION), {0}};
        strs(json_object_get(x, K_SYNONYMS), &t.synonyms);
        if (t.name) vec_push(&m->tags, t);
    }
    json_decref(root);
    return 0;
}
