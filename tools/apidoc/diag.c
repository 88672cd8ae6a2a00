// SPDX-License-Identifier: MIT
// Diagnostics are values ({level, file, line, message}); printed at the end as
// `file:line: error: message`, sorted so the output is deterministic.
#include "diag.h"

#include <stdarg.h> // va_list
#include <stdio.h>  // vsnprintf, fprintf
#include <stdlib.h> // qsort
#include <string.h> // strcmp

void diag_add(DiagVec *d, DiagLevel level, const char *file, int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    Diag x = {level, file ? xstrdup(file) : NULL, line, xstrdup(buf)};
    vec_push(d, x);
}

static int diag_cmp(const void *a, const void *b) {
    const Diag *x = a, *y = b;
    int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return strcmp(x->message, y->message);
}

void diag_sort(DiagVec *d) {
    if (d->n) qsort(d->items, d->n, sizeof(Diag), diag_cmp);
    // drop exact duplicates (a header parsed by several translation units)
    size_t w = 0;
    for (size_t i = 0; i < d->n; i++)
        if (w == 0 || diag_cmp(&d->items[w - 1], &d->items[i]) != 0 ||
            d->items[w - 1].level != d->items[i].level)
            d->items[w++] = d->items[i];
    d->n = w;
}

int diag_print(const DiagVec *d, const char *prog) {
    static const char *const level[] = {"note", "warning", "error"};
    int errors = 0;
    for (size_t i = 0; i < d->n; i++) {
        const Diag *x = &d->items[i];
        if (x->file && x->line)
            fprintf(stderr, "%s:%d: %s: %s\n", x->file, x->line, level[x->level], x->message);
        else if (x->file)
            fprintf(stderr, "%s: %s: %s\n", x->file, level[x->level], x->message);
        else
            fprintf(stderr, "%s: %s: %s\n", prog, level[x->level], x->message);
        errors += x->level == DIAG_ERROR;
    }
    return errors;
}
