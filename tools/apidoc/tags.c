// SPDX-License-Identifier: MIT
// docs/tags.yml: a reader for the one YAML shape that file uses,
//   Name: {description: "text", synonyms: [A, B]}
// and the folding of written tags (case, synonyms) to canonical names.
#include "model.h"

#include <ctype.h>   // isspace
#include <stdio.h>   // FILE
#include <stdlib.h>  // free
#include <string.h>  // strncmp
#include <strings.h> // strcasecmp

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
    return s;
}

static int parse_entry(char *line, Tag *t) {
    char *colon = strchr(line, ':');
    if (!colon) return -1;
    *colon = '\0';
    t->name = xstrdup(trim(line));
    char *d = strstr(colon + 1, "description:");
    char *s = strstr(colon + 1, "synonyms:");
    if (!d || !s) return -1;
    char *q1 = strchr(d, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
    if (!q2) return -1;
    t->description = xstrndup(q1 + 1, (size_t)(q2 - q1 - 1));
    char *b1 = strchr(s, '['), *b2 = b1 ? strchr(b1, ']') : NULL;
    if (!b2) return -1;
    *b2 = '\0';
    for (char *tok = strtok(b1 + 1, ","); tok; tok = strtok(NULL, ",")) {
        char *n = trim(tok);
        if (*n) vec_push(&t->synonyms, xstrdup(n));
    }
    return 0;
}

int tags_load(const char *path, TagVec *out, DiagVec *diags) {
    int    n     = 0;
    char **lines = read_lines(path, &n, diags);
    if (!lines) return -1;
    int in_tags = 0;
    for (int i = 0; i < n; i++) {
        char *l = lines[i];
        if (l[0] == '#' || trim(xstrdup(l))[0] == '\0') continue;
        if (strncmp(l, "tags:", 5) == 0) {
            in_tags = 1;
            continue;
        }
        if (!in_tags || !isspace((unsigned char)l[0])) {
            diag_add(diags, DIAG_ERROR, path, i + 1, "unexpected line in the tag vocabulary");
            return -1;
        }
        Tag t = {0};
        if (parse_entry(l, &t) != 0) {
            diag_add(diags, DIAG_ERROR, path, i + 1,
                     "expected `Name: {description: \"...\", synonyms: [...]}`");
            return -1;
        }
        vec_push(out, t);
    }
    return 0;
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
