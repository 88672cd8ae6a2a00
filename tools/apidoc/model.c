// SPDX-License-Identifier: MIT
// The model's helpers: kind names, symbol lookup, the category of a path and the deterministic
// sort (header, line, name) every output relies on. Uses no diagnostics (diag.c is separate).
#include "model.h"

#include <stdlib.h> // qsort
#include <string.h> // strcmp

const char *kind_name(SymbolKind k) {
    static const char *const names[] = {"function", "function-macro", "object-macro", "struct",
                                        "union", "enum", "typedef", "variable"};
    return names[k];
}

const char *namespace_name(Namespace n) {
    static const char *const names[] = {"ordinary", "tag", "macro"};
    return names[n];
}

Symbol *model_find(const Model *m, const char *name) {
    if (m->index.cap) return map_get(&m->index, name);
    for (size_t i = 0; i < m->symbols.n; i++)
        if (strcmp(m->symbols.items[i]->name, name) == 0) return m->symbols.items[i];
    return NULL;
}

void model_index(Model *m) {
    map_free(&m->index);
    for (int ns = NS_ORDINARY; ns <= NS_MACRO; ns++)
        for (size_t i = 0; i < m->symbols.n; i++)
            if (m->symbols.items[i]->ns == (Namespace)ns) map_put(&m->index, m->symbols.items[i]->name, m->symbols.items[i]);
    for (size_t i = 0; i < m->symbols.n; i++)
        if (m->symbols.items[i]->tag_name) map_put(&m->index, m->symbols.items[i]->tag_name, m->symbols.items[i]);
}

static int symbol_cmp(const void *a, const void *b) {
    const Symbol *x = *(Symbol *const *)a, *y = *(Symbol *const *)b;
    int c = strcmp(x->header, y->header);
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int file_cmp(const void *a, const void *b) {
    return strcmp((*(HeaderFile *const *)a)->path, (*(HeaderFile *const *)b)->path);
}

void model_sort(Model *m) {
    if (m->symbols.n) qsort(m->symbols.items, m->symbols.n, sizeof(Symbol *), symbol_cmp);
    if (m->files.n) qsort(m->files.items, m->files.n, sizeof(HeaderFile *), file_cmp);
}

const char *ref_category(const char *path) {
    if (strncmp(path, "examples/", 9) == 0) return "example";
    if (strncmp(path, "tests/", 6) == 0) return "test";
    if (strncmp(path, "bench/", 6) == 0) return "bench";
    if (strncmp(path, "include/", 8) == 0) return "header";
    if (strlen(path) > 2 && strcmp(path + strlen(path) - 2, ".h") == 0) return "header";
    return "library";
}
