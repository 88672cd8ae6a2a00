// SPDX-License-Identifier: MIT
// Allocation that never returns NULL (out of memory prints one line and exits 3) and xprintf.
#include "util.h"

#include <stdarg.h> // va_list
#include <stdio.h>  // vsnprintf, fprintf
#include <stdlib.h> // realloc, exit
#include <string.h> // memcpy, strlen

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
