// SPDX-License-Identifier: MIT
// The generator's allocation helpers (libc malloc; out of memory exits 3) and `Vec(T)`, the
// growable array every stage uses. Depends on nothing else of apidoc.
#ifndef APIDOC_UTIL_H
#define APIDOC_UTIL_H

#include <stddef.h> // size_t

// A growable array: `Vec(T) v = {0}; vec_push(&v, x);` (the tool may use libc malloc).
#define Vec(T) struct { T *items; size_t n, cap; }
#define vec_push(v, x)                                                                             \
    do {                                                                                           \
        if ((v)->n == (v)->cap) {                                                                  \
            (v)->cap = (v)->cap ? (v)->cap * 2 : 8;                                                \
            (v)->items = xrealloc((v)->items, (v)->cap * sizeof *(v)->items);                      \
        }                                                                                          \
        (v)->items[(v)->n++] = (x);                                                                \
    } while (0)

typedef Vec(char *) StrVec;

void *xrealloc(void *p, size_t bytes);
void *xcalloc(size_t n, size_t bytes);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
