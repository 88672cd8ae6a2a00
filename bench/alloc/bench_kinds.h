// SPDX-License-Identifier: MIT
// The allocators a benchmark can run: each is a BenchKind whose loops are the inline workloads of
// workloads.h instantiated with that allocator's constant ops table (so calls are direct).
#ifndef BENCH_KINDS_H
#define BENCH_KINDS_H

#include "workloads.h"

// What a workload asks of an allocator, so a kind of fixed-size slots can size them.
typedef struct BenchShape {
    size_t max_bytes; // the largest block the workload allocates
    size_t live;      // the most blocks it holds at once
} BenchShape;

typedef struct BenchKind {
    const char *name;
    void *(*create)(BenchShape shape);
    void (*destroy)(void *ctx);
    // A NULL loop: the kind cannot run that workload, for the reason in `refusal`.
    void (*random_pair)(void *ctx, const BenchPlan *plan, void **slots, size_t live, size_t n);
    void (*lifo_pair)(void *ctx, const BenchPlan *plan, size_t n);
    void (*batch)(void *ctx, void **slots, size_t batch, size_t bytes, size_t rounds, bool touch);
    void (*realloc_ladder)(void *ctx, size_t rounds);
    const char *refusal;
    // Run this many times fewer iterations than a workload's table says (a kind thousands of
    // times slower than malloc, like DebugAllocator, would otherwise take minutes per run).
    size_t divisor;
} BenchKind;

// Instantiate the four loops of workloads.h for one constant ops table (a kind uses those it can).
#define BENCH_DEFINE_LOOPS(id, OPS)                                                                \
    __attribute__((unused)) static void id##_random_pair(void *c, const BenchPlan *p, void **s,   \
                                                         size_t l, size_t n) {                    \
        bench_random_pair(&OPS, c, p, s, l, n);                                                    \
    }                                                                                              \
    __attribute__((unused)) static void id##_lifo_pair(void *c, const BenchPlan *p, size_t n) {   \
        bench_lifo_pair(&OPS, c, p, n);                                                            \
    }                                                                                              \
    __attribute__((unused)) static void id##_batch(void *c, void **s, size_t b, size_t bytes,     \
                                                   size_t r, bool t) {                            \
        bench_batch(&OPS, c, s, b, bytes, r, t);                                                   \
    }                                                                                              \
    __attribute__((unused)) static void id##_realloc_ladder(void *c, size_t r) {                  \
        bench_realloc_ladder(&OPS, c, r);                                                          \
    }

// The kind named `name` (e.g. "malloc", "heap", "heap-dyn"), or NULL.
const BenchKind *bench_kind_named(const char *name);
// Every kind, in the order reports show them; `*count` receives their number.
const BenchKind *bench_kinds(size_t *count);

#endif
