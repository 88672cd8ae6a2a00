// SPDX-License-Identifier: MIT
// Allocation that never returns NULL (out of memory prints one line and exits 3), xprintf and
// the hash map of util.h.
#include "util.h"

#include <stdarg.h> // va_list
#include <stdint.h> // uintptr_t
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

size_t hash_str(const char *s) {
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h | 1; // 0 marks an empty slot
}

static size_t hash_ptr(const void *p) {
    size_t h = (size_t)(uintptr_t)p * 11400714819323198485ULL;
    return (h ^ (h >> 29)) | 1;
}

static MapSlot *slot_for(const Map *m, const void *key, size_t h, int by_string) {
    size_t i = h & (m->cap - 1);
    for (;;) {
        MapSlot *s = &m->slots[i];
        if (!s->hash) return s;
        if (s->hash == h && (by_string ? strcmp(s->key, key) == 0 : s->key == key)) return s;
        i = (i + 1) & (m->cap - 1);
    }
}

static void grow(Map *m, int by_string) {
    if (m->cap && (m->n + 1) * 2 <= m->cap) return;
    Map bigger = {xcalloc(m->cap ? m->cap * 2 : 64, sizeof(MapSlot)), m->cap ? m->cap * 2 : 64, m->n};
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].hash) *slot_for(&bigger, m->slots[i].key, m->slots[i].hash, by_string) = m->slots[i];
    free(m->slots);
    *m = bigger;
}

void *map_get(const Map *m, const char *key) {
    if (!m->cap) return NULL;
    MapSlot *s = slot_for(m, key, hash_str(key), 1);
    return s->hash ? s->value : NULL;
}

void *map_put(Map *m, const char *key, void *value) {
    grow(m, 1);
    size_t   h = hash_str(key);
    MapSlot *s = slot_for(m, key, h, 1);
    if (s->hash) return s->value;
    *s = (MapSlot){key, h, value};
    m->n++;
    return value;
}

void *map_get_p(const Map *m, const void *key) {
    if (!m->cap) return NULL;
    MapSlot *s = slot_for(m, key, hash_ptr(key), 0);
    return s->hash ? s->value : NULL;
}

void map_put_p(Map *m, const void *key, void *value) {
    grow(m, 0);
    size_t   h = hash_ptr(key);
    MapSlot *s = slot_for(m, key, h, 0);
    if (!s->hash) m->n++;
    *s = (MapSlot){key, h, value};
}

void map_free(Map *m) {
    free(m->slots);
    *m = (Map){0};
}

void str_add(Str *s, const char *t, size_t n) {
    if (s->n + n + 1 > s->cap) {
        s->cap = (s->n + n + 1) * 2;
        s->buf = xrealloc(s->buf, s->cap);
    }
    memcpy(s->buf + s->n, t, n);
    s->n += n;
    s->buf[s->n] = '\0';
}

void str_cat(Str *s, const char *t) { str_add(s, t, strlen(t)); }

char *int_digits(char buf[24], long long v) {
    char              *p = buf + 24;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    return p;
}

void str_int(Str *s, long long v) {
    char  t[24];
    char *p = int_digits(t, v);
    str_add(s, p, (size_t)(t + sizeof t - p));
}
