// SPDX-License-Identifier: MIT
// The model's helpers: allocation that never returns NULL, reading sources as UTF-8 lines,
// symbol lookup and the deterministic sort (header, line, name) every output relies on.
#include "model.h"

#include <stdarg.h> // va_list
#include <stdio.h>  // vsnprintf, fopen
#include <stdlib.h> // realloc, qsort, exit
#include <string.h> // strcmp, memcpy

void *xrealloc(void *p, size_t bytes) {
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q) {
        fprintf(stderr, "apidoc: error: out of memory\n");
        exit(3);
    }
    return q;
}

void *xcalloc(size_t n, size_t bytes) {
    void *p = calloc(n ? n : 1, bytes ? bytes : 1);
    if (!p) {
        fprintf(stderr, "apidoc: error: out of memory\n");
        exit(3);
    }
    return p;
}

char *xstrndup(const char *s, size_t n) {
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xstrdup(const char *s) { return s ? xstrndup(s, strlen(s)) : NULL; }

char *xprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xrealloc(NULL, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

const char *kind_name(SymbolKind k) {
    static const char *const names[] = {"function", "function-macro", "object-macro", "struct",
                                        "union", "enum", "typedef"};
    return names[k];
}

Symbol *model_find(const Model *m, const char *name) {
    for (size_t i = 0; i < m->symbols.n; i++)
        if (strcmp(m->symbols.items[i]->name, name) == 0) return m->symbols.items[i];
    return NULL;
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

char *read_text(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char  *buf = xrealloc(NULL, cap);
    for (;;) {
        if (n + 1 >= cap) buf = xrealloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

// Returns the 1-based line of the first invalid UTF-8 sequence, or 0.
static int utf8_bad_line(const unsigned char *s, size_t n) {
    int line = 1;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t        k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (k == 0 || i + k > n) return line;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return line;
        if (c == '\n') line++;
        i += k;
    }
    return 0;
}

char **read_lines(const char *path, int *nlines, DiagVec *diags) {
    size_t len  = 0;
    char  *text = read_text(path, &len);
    if (!text) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read file");
        return NULL;
    }
    int bad = utf8_bad_line((const unsigned char *)text, len);
    if (bad || memchr(text, '\0', len)) {
        diag_add(diags, DIAG_ERROR, path, bad ? bad : 1, "file is not valid UTF-8 text");
        free(text);
        return NULL;
    }
    Vec(char *) lines = {0};
    char *p = text;
    while (*p) {
        char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l && p[l - 1] == '\r') l--;
        vec_push(&lines, xstrndup(p, l));
        p = e ? e + 1 : p + strlen(p);
    }
    free(text);
    *nlines = (int)lines.n;
    vec_push(&lines, NULL);
    return lines.items;
}

const char *ref_category(const char *path) {
    if (strncmp(path, "examples/", 9) == 0) return "example";
    if (strncmp(path, "tests/", 6) == 0) return "test";
    if (strncmp(path, "bench/", 6) == 0) return "bench";
    if (strncmp(path, "include/", 8) == 0) return "header";
    if (strlen(path) > 2 && strcmp(path + strlen(path) - 2, ".h") == 0) return "header";
    return "library";
}
