// SPDX-License-Identifier: MIT
// docs/tags.yml, read with libyaml (any valid YAML spelling: flow or block style, quoted or
// plain scalars), and the folding of written tags (case, synonyms) to canonical names.
// The vocabulary is the mapping under the root key `tags`; each entry is `Name:` followed by
// nothing, a description string, or a mapping with `description` (string) and `synonyms` (a
// list of strings, or one string). A YAML error or another shape is `file:line:column: …`.
#include "model.h"

#include <stdio.h>   // FILE
#include <stdlib.h>  // free
#include <string.h>  // strcmp
#include <strings.h> // strcasecmp
#include <yaml.h>

typedef struct { const char *path; yaml_document_t *doc; DiagVec *diags; } Yaml;

static int bad(Yaml *y, const yaml_node_t *n, const char *what) {
    diag_add(y->diags, DIAG_ERROR, y->path, (int)n->start_mark.line + 1, "column %d: %s", (int)n->start_mark.column + 1, what);
    return -1;
}

static const char *scalar(const yaml_node_t *n) {
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int is_null(const yaml_node_t *n) {
    const char *s = scalar(n);
    return s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0);
}

static int entry(Yaml *y, const yaml_node_t *key, const yaml_node_t *val, Tag *t) {
    if (!scalar(key) || !*scalar(key)) return bad(y, key, "a tag name must be a non-empty string");
    t->name = xstrdup(scalar(key));
    t->description = xstrdup("");
    if (is_null(val)) return 0;
    if (scalar(val)) {
        free(t->description);
        t->description = xstrdup(scalar(val));
        return 0;
    }
    if (val->type != YAML_MAPPING_NODE) return bad(y, val, "a tag is a description string or a mapping {description, synonyms}");
    for (yaml_node_pair_t *p = val->data.mapping.pairs.start; p < val->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, p->key), *v = yaml_document_get_node(y->doc, p->value);
        const char *name = scalar(k);
        if (name && strcmp(name, "description") == 0) {
            if (!scalar(v)) return bad(y, v, "`description` must be a string");
            free(t->description);
            t->description = xstrdup(is_null(v) ? "" : scalar(v));
        } else if (name && strcmp(name, "synonyms") == 0) {
            if (is_null(v)) continue;
            if (scalar(v)) {
                vec_push(&t->synonyms, xstrdup(scalar(v)));
                continue;
            }
            if (v->type != YAML_SEQUENCE_NODE) return bad(y, v, "`synonyms` must be a list of strings");
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
                yaml_node_t *s = yaml_document_get_node(y->doc, *i);
                if (!scalar(s) || !*scalar(s)) return bad(y, s, "a synonym must be a non-empty string");
                vec_push(&t->synonyms, xstrdup(scalar(s)));
            }
        } else {
            return bad(y, k, "unknown key in a tag (expected `description` or `synonyms`)");
        }
    }
    return 0;
}

int tags_load(const char *path, TagVec *out, DiagVec *diags) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read file");
        return -1;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int ok = yaml_parser_load(&parser, &doc);
    if (!ok) {
        diag_add(diags, DIAG_ERROR, path, (int)parser.problem_mark.line + 1, "column %d: not valid YAML: %s",
                 (int)parser.problem_mark.column + 1, parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        fclose(f);
        return -1;
    }
    Yaml y = {path, &doc, diags};
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc), *tags = NULL;
    if (root && root->type == YAML_MAPPING_NODE)
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
            const char *k = scalar(yaml_document_get_node(&doc, p->key));
            if (k && strcmp(k, "tags") == 0) tags = yaml_document_get_node(&doc, p->value);
        }
    if (!root) {
        diag_add(diags, DIAG_ERROR, path, 1, "column 1: empty file: expected a mapping with the key `tags`");
        rc = -1;
    } else if (!tags) {
        rc = bad(&y, root, "expected a mapping with the key `tags`");
    } else if (!is_null(tags) && tags->type != YAML_MAPPING_NODE) {
        rc = bad(&y, tags, "`tags` must map each tag name to its description and synonyms");
    } else if (!is_null(tags)) {
        for (yaml_node_pair_t *p = tags->data.mapping.pairs.start; rc == 0 && p < tags->data.mapping.pairs.top; p++) {
            Tag t = {0};
            yaml_node_t *k = yaml_document_get_node(&doc, p->key);
            rc = entry(&y, k, yaml_document_get_node(&doc, p->value), &t);
            for (size_t i = 0; rc == 0 && i < out->n; i++)
                if (strcmp(out->items[i].name, t.name) == 0) rc = bad(&y, k, "tag listed twice");
            if (rc == 0) vec_push(out, t);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

const char *tags_fold(const TagVec *tags, const char *written) {
    for (size_t i = 0; i < tags->n; i++) {
        if (strcasecmp(tags->items[i].name, written) == 0) return tags->items[i].name;
        for (size_t j = 0; j < tags->items[i].synonyms.n; j++)
            if (strcasecmp(tags->items[i].synonyms.items[j], written) == 0) return tags->items[i].name;
    }
    return NULL;
}

static void fold_doc(const TagVec *tags, Doc *d) {
    if (!d) return;
    for (size_t i = 0; i < d->tags_written.n; i++) {
        const char *c = tags_fold(tags, d->tags_written.items[i]);
        if (!c) continue;
        int dup = 0;
        for (size_t k = 0; k < d->tags.n; k++) dup |= strcmp(d->tags.items[k], c) == 0;
        if (!dup) vec_push(&d->tags, xstrdup(c));
    }
}

void tags_fold_model(Model *m) {
    for (size_t i = 0; i < m->symbols.n; i++) fold_doc(&m->tags, m->symbols.items[i]->doc);
    for (size_t i = 0; i < m->files.n; i++) fold_doc(&m->tags, m->files.items[i]->doc);
}
