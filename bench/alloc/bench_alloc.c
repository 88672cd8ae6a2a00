// SPDX-License-Identifier: MIT
// One measurement: `bench_alloc ALLOCATOR WORKLOAD [DIVISOR]` runs WORKLOAD once on ALLOCATOR and prints
// "ns_per_op <value>" (CPU time). bench/run_alloc.sh calls it round after round, swapping the
// malloc peer (glibc, mimalloc, jemalloc, tcmalloc) with LD_PRELOAD, and bench/report_alloc.py
// turns the results into bench/results/alloc.md.
#include "bench_kinds.h"
#include "workloads.h"

#include <stdbool.h> // bool
#include <stdio.h>  // printf, fprintf
#include <stdlib.h> // malloc: the peers' interface, and the plan tables
#include <string.h> // strcmp
#include <time.h>   // clock_gettime

enum { LIVE_SLOTS = 1000, PLAN_COUNT = 1 << 16, BATCH = 8192 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static BenchPlan make_plan(uint32_t min_bytes, uint32_t max_bytes) {
    BenchPlan plan = {malloc(PLAN_COUNT * sizeof(uint32_t)), malloc(PLAN_COUNT * sizeof(uint32_t)),
                      PLAN_COUNT};
    for (size_t i = 0; i < PLAN_COUNT; ++i) {
        plan.sizes[i] = min_bytes + next_random() % (max_bytes - min_bytes + 1);
        plan.slots[i] = next_random() % LIVE_SLOTS;
    }
    return plan;
}

static double cpu_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

typedef enum { RANDOM_PAIR, LIFO_PAIR, BATCH_FREE, LADDER } Loop;

typedef struct Workload {
    const char *name;
    Loop        loop;
    uint32_t    min_bytes, max_bytes; // sizes drawn uniformly from this range
    size_t      iterations;           // pairs, batch rounds or ladder climbs
    size_t      ops_per_iteration;    // operations counted per iteration
} Workload;

static const Workload workloads[] = {
    {"random-pair", RANDOM_PAIR, 16, 256, 2000000, 1},
    {"lifo-pair", LIFO_PAIR, 16, 256, 4000000, 1},
    {"slab", RANDOM_PAIR, 64, 64, 2000000, 1},
    {"batch", BATCH_FREE, 64, 64, 100, 2 * BATCH},
    {"arena", BATCH_FREE, 32, 32, 200, BATCH},
    {"realloc-ladder", LADDER, 8, 8, 2000, 18},
    {"large-64k", LIFO_PAIR, 65536, 65536, 20000, 1},
    {"large-1m", LIFO_PAIR, 1 << 20, 1 << 20, 5000, 1},
};

// Runs one workload on one kind, `divisor` times fewer iterations than the table says (for kinds
// thousands of times slower, like DebugAllocator), and returns CPU nanoseconds per operation
// (< 0: unsupported).
static double measure(const BenchKind *kind, const Workload *w, size_t divisor) {
    static void *slots[BATCH];
    BenchPlan    plan = make_plan(w->min_bytes, w->max_bytes);
    bool supported = (w->loop == RANDOM_PAIR && kind->random_pair) ||
                     (w->loop == LIFO_PAIR && kind->lifo_pair) || (w->loop == BATCH_FREE && kind->batch) ||
                     (w->loop == LADDER && kind->realloc_ladder);
    if (!supported) return -1;
    void  *ctx   = kind->create();
    size_t iterations = w->iterations / divisor ? w->iterations / divisor : 1;
    double start      = cpu_seconds();
    switch (w->loop) {
    case RANDOM_PAIR: kind->random_pair(ctx, &plan, slots, LIVE_SLOTS, iterations); break;
    case LIFO_PAIR: kind->lifo_pair(ctx, &plan, iterations); break;
    case BATCH_FREE: kind->batch(ctx, slots, BATCH, w->min_bytes, iterations); break;
    case LADDER: kind->realloc_ladder(ctx, iterations); break;
    }
    double end = cpu_seconds();
    kind->destroy(ctx);
    return (end - start) * 1e9 / (double)(iterations * w->ops_per_iteration);
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: bench_alloc ALLOCATOR WORKLOAD [ITERATION_DIVISOR]\n");
        return 2;
    }
    const BenchKind *kind = bench_kind_named(argv[1]);
    if (!kind) {
        fprintf(stderr, "bench_alloc: unknown allocator '%s'\n", argv[1]);
        return 2;
    }
    for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; ++i) {
        if (strcmp(workloads[i].name, argv[2])) continue;
        long   divisor = argc == 4 ? strtol(argv[3], NULL, 10) : 1;
        double ns      = measure(kind, &workloads[i], divisor > 0 ? (size_t)divisor : 1);
        if (ns < 0) printf("unsupported\n");
        else printf("ns_per_op %.3f\n", ns);
        return 0;
    }
    fprintf(stderr, "bench_alloc: unknown workload '%s'\n", argv[2]);
    return 2;
}
