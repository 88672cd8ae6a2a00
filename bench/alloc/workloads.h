// SPDX-License-Identifier: MIT
// The allocator workloads of shared/design/BENCH.md, written once against a small table of
// operations. Each workload is `static inline` and forced inline, and is called with a constant
// ops table, so the compiler turns every `ops->allocate(...)` into a direct call: a typed
// allocator's fast path is measured as a user would call it, not through a function pointer.
#ifndef BENCH_WORKLOADS_H
#define BENCH_WORKLOADS_H

#include <stdbool.h> // bool
#include <stddef.h>  // size_t
#include <stdint.h> // uint32_t, uint64_t

typedef struct BenchOps {
    void *(*allocate)(void *ctx, size_t bytes);
    void (*release)(void *ctx, void *ptr);
    void *(*reallocate)(void *ctx, void *ptr, size_t bytes); // NULL: workload not supported
    void (*reset)(void *ctx);                                // NULL: free blocks one by one
} BenchOps;

// Precomputed random choices, so the loop itself costs a few instructions per op (the "loop"
// allocator of bench_kinds.c measures it). The tables stay small enough for the L2 cache.
typedef struct BenchPlan {
    uint32_t *sizes; // per op: a size in the workload's range
    uint32_t *slots; // per op: a slot index in [0, live)
    size_t    count; // length of both tables (a power of two)
} BenchPlan;

#define BENCH_INLINE static inline __attribute__((always_inline))

// Touch the first and last byte, so untouched pages cannot make an allocator look fast.
BENCH_INLINE void bench_touch(void *ptr, size_t bytes) {
    volatile unsigned char *p = ptr;
    p[0]                      = 1;
    p[bytes - 1]              = 1;
}

// live set of `live` slots; each op frees a random slot and allocates a random size into it.
BENCH_INLINE void bench_random_pair(const BenchOps *ops, void *ctx, const BenchPlan *plan,
                                    void **slots, size_t live, size_t iterations) {
    // Locals, not plan->...: the touches are volatile stores the compiler must assume alias the
    // plan, so reading it through the pointer would reload three fields every op.
    const uint32_t *sizes = plan->sizes, *which = plan->slots;
    const size_t    mask  = plan->count - 1;
    for (size_t i = 0; i < live; ++i) {
        size_t bytes = sizes[i & mask];
        slots[i]     = ops->allocate(ctx, bytes);
        bench_touch(slots[i], bytes);
    }
    for (size_t i = 0; i < iterations; ++i) {
        size_t slot  = which[i & mask];
        size_t bytes = sizes[i & mask];
        ops->release(ctx, slots[slot]);
        slots[slot] = ops->allocate(ctx, bytes);
        bench_touch(slots[slot], bytes);
    }
    for (size_t i = 0; i < live; ++i) ops->release(ctx, slots[i]);
}

// allocate then free at once: the ping-pong that punishes an allocator without hysteresis.
BENCH_INLINE void bench_lifo_pair(const BenchOps *ops, void *ctx, const BenchPlan *plan,
                                  size_t iterations) {
    const uint32_t *sizes = plan->sizes;
    const size_t    mask  = plan->count - 1;
    for (size_t i = 0; i < iterations; ++i) {
        size_t bytes = sizes[i & mask];
        void  *ptr   = ops->allocate(ctx, bytes);
        bench_touch(ptr, bytes);
        ops->release(ctx, ptr);
    }
}

// allocate `batch` blocks of `bytes`, then release them all (by reset when the ops have one).
// `touch` false leaves the blocks untouched: the bare cost of a bump allocation (arena-bump).
BENCH_INLINE void bench_batch(const BenchOps *ops, void *ctx, void **slots, size_t batch,
                              size_t bytes, size_t rounds, bool touch) {
    for (size_t r = 0; r < rounds; ++r) {
        for (size_t i = 0; i < batch; ++i) {
            slots[i] = ops->allocate(ctx, bytes);
            if (touch) bench_touch(slots[i], bytes);
        }
        if (ops->reset) {
            ops->reset(ctx);
        } else {
            for (size_t i = 0; i < batch; ++i) ops->release(ctx, slots[i]);
        }
    }
}

// grow one block from 8 B to 1 MiB by doubling: in-place growth and mremap.
BENCH_INLINE void bench_realloc_ladder(const BenchOps *ops, void *ctx, size_t rounds) {
    for (size_t r = 0; r < rounds; ++r) {
        void *ptr = ops->allocate(ctx, 8);
        bench_touch(ptr, 8);
        for (size_t bytes = 16; bytes <= ((size_t)1 << 20); bytes *= 2) {
            ptr = ops->reallocate(ctx, ptr, bytes);
            bench_touch(ptr, bytes);
        }
        ops->release(ctx, ptr);
    }
}

#endif
