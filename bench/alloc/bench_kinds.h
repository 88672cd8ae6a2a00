// The allocators a benchmark can run: each is a BenchKind whose loops are the inline workloads of
// workloads.h instantiated with that allocator's constant ops table (so calls are direct).
#ifndef BENCH_KINDS_H
#define BENCH_KINDS_H

#include "workloads.h"

typedef struct BenchKind {
    const char *name;
    void *(*create)(void);
    void (*destroy)(void *ctx);
    void (*random_pair)(void *ctx, const BenchPlan *plan, void **slots, size_t live, size_t n);
    void (*lifo_pair)(void *ctx, const BenchPlan *plan, size_t n);
    void (*batch)(void *ctx, void **slots, size_t batch, size_t bytes, size_t rounds);
    void (*realloc_ladder)(void *ctx, size_t rounds); // NULL: the kind cannot grow blocks
} BenchKind;

// Instantiate the four loops of workloads.h for one constant ops table (a kind uses those it can).
#define BENCH_DEFINE_LOOPS(id, OPS)                                                                \
    __attribute__((unused)) static void id##_random_pair(void *c, const BenchPlan *p, void **s, size_t l, size_t n) {      \
        bench_random_pair(&OPS, c, p, s, l, n);                                                    \
    }                                                                                              \
    __attribute__((unused)) static void id##_lifo_pair(void *c, const BenchPlan *p, size_t n) {                            \
        bench_lifo_pair(&OPS, c, p, n);                                                            \
    }                                                                                              \
    __attribute__((unused)) static void id##_batch(void *c, void **s, size_t b, size_t bytes, size_t r) {                  \
        bench_batch(&OPS, c, s, b, bytes, r);                                                      \
    }                                                                                              \
    __attribute__((unused)) static void id##_realloc_ladder(void *c, size_t r) { bench_realloc_ladder(&OPS, c, r); }

// The kind named `name` (e.g. "malloc", "heap", "heap-dyn"), or NULL.
const BenchKind *bench_kind_named(const char *name);

#endif
