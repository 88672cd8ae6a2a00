// SPDX-License-Identifier: MIT
// The generator's allocation helpers (libc malloc; out of memory exits 3), `Vec(T)`, the
// growable array every stage uses, and `Map`, a hash map. Depends on nothing else of apidoc.
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

// A growing NUL-terminated string: zero-initialise, append, free(buf).
typedef struct {
    char  *buf;
    size_t n, cap;
} Str;
void str_add(Str *s, const char *t, size_t n); // append n bytes of t
void str_cat(Str *s, const char *t);           // append the string t
void str_int(Str *s, long long v);             // append v in decimal (no printf: hot paths use it)
// v in decimal at the end of buf (no printf, no NUL); returns where the digits start.
char *int_digits(char buf[24], long long v);
char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// A hash map from strings (or, with the _p variants, pointers) to pointers; keys are not copied.
// Open addressing, grows at half full: every lookup the stages do by USR, name or path is O(1).
typedef struct { const void *key; size_t hash; void *value; } MapSlot;
typedef struct { MapSlot *slots; size_t cap, n; } Map;

void  *map_get(const Map *m, const char *key);
// Stores `value` unless `key` is present already; returns the value now stored for `key`.
void  *map_put(Map *m, const char *key, void *value);
void  *map_get_p(const Map *m, const void *key);
void   map_put_p(Map *m, const void *key, void *value);
void   map_free(Map *m);
size_t hash_str(const char *s);

#endif
