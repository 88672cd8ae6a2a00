// SPDX-License-Identifier: MIT
// One measurement: `bench_alloc ALLOCATOR WORKLOAD [DIVISOR]` runs WORKLOAD once on ALLOCATOR,
// DIVISOR times fewer iterations than its table says, and prints "ns_per_op <CPU ns>" and
// "ops <count>" (or "unsupported: <why>"). `bench_alloc --list` prints the workloads and the
// allocators. bench/run_alloc.sh calls it round after round, swapping the malloc peer (glibc,
// mimalloc, jemalloc, tcmalloc) with LD_PRELOAD, and once more under callgrind, whose count is
// taken inside bench_timed_loop only (--toggle-collect), so instructions per op leave out the set-up.
#include "bench_kinds.h"
#include "workloads.h"

#include <stdbool.h> // bool
#include <stdio.h>   // printf, fprintf
#include <stdlib.h>  // malloc: the plan tables; strtol
#include <string.h>  // strcmp
#include <time.h>    // clock_gettime

enum { LIVE_SLOTS = 1000, PLAN_COUNT = 1 << 14, BATCH = 8192 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

// Sizes and slots drawn before the clock starts: the loop reads two tables and nothing else.
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

typedef enum { RANDOM_PAIR, LIFO_PAIR, BATCH_FREE, BATCH_UNTOUCHED, LADDER } Loop;

typedef struct Workload {
    const char *name;
    Loop        loop;
    uint32_t    min_bytes, max_bytes; // sizes drawn uniformly from this range
    size_t      live;                 // blocks live at once
    size_t      iterations;           // pairs, batch rounds or ladder climbs
    size_t      ops_per_iteration;    // operations counted per iteration
} Workload;

static const Workload workloads[] = {
    {"random-pair", RANDOM_PAIR, 16, 256, LIVE_SLOTS, 2000000, 1},
    {"lifo-pair", LIFO_PAIR, 16, 256, 1, 4000000, 1},
    {"batch", BATCH_FREE, 64, 64, BATCH, 100, 2 * BATCH},
    {"realloc-ladder", LADDER, 8, 8, 1, 2000, 18},
    {"large-64k", LIFO_PAIR, 65536, 65536, 1, 20000, 1},
    {"large-1m", LIFO_PAIR, 1 << 20, 1 << 20, 1, 5000, 1},
    {"arena", BATCH_FREE, 32, 32, BATCH, 200, BATCH},
    {"slab", RANDOM_PAIR, 64, 64, LIVE_SLOTS, 2000000, 1},
    {"arena-bump", BATCH_UNTOUCHED, 32, 32, BATCH, 400, BATCH},
};
enum { WORKLOAD_COUNT = sizeof workloads / sizeof workloads[0] };

static bool supports(const BenchKind *kind, Loop loop) {
    switch (loop) {
    case RANDOM_PAIR: return kind->random_pair != NULL;
    case LIFO_PAIR: return kind->lifo_pair != NULL;
    case BATCH_FREE:
    case BATCH_UNTOUCHED: return kind->batch != NULL;
    case LADDER: return kind->realloc_ladder != NULL;
    }
    return false;
}

static void *slots[BATCH];

// The measured region: callgrind counts instructions only inside this function.
__attribute__((noinline)) static void bench_timed_loop(const BenchKind *kind, void *ctx,
                                                      const Workload *w, const BenchPlan *plan,
                                                      size_t iterations) {
    switch (w->loop) {
    case RANDOM_PAIR: kind->random_pair(ctx, plan, slots, w->live, iterations); break;
    case LIFO_PAIR: kind->lifo_pair(ctx, plan, iterations); break;
    case BATCH_FREE: kind->batch(ctx, slots, BATCH, w->min_bytes, iterations, true); break;
    case BATCH_UNTOUCHED: kind->batch(ctx, slots, BATCH, w->min_bytes, iterations, false); break;
    case LADDER: kind->realloc_ladder(ctx, iterations); break;
    }
}

// Runs one workload on one kind and prints its CPU nanoseconds per operation.
static int measure(const BenchKind *kind, const Workload *w, size_t divisor) {
    if (!supports(kind, w->loop)) {
        printf("unsupported: %s\n", kind->refusal ? kind->refusal : "no such loop");
        return 0;
    }
    BenchPlan plan       = make_plan(w->min_bytes, w->max_bytes);
    size_t    scaled     = w->iterations / (divisor * kind->divisor);
    size_t    iterations = scaled ? scaled : 1;
    void     *ctx        = kind->create((BenchShape){w->max_bytes, w->live});
    double    start      = cpu_seconds();
    bench_timed_loop(kind, ctx, w, &plan, iterations);
    double end = cpu_seconds();
    kind->destroy(ctx);
    size_t ops = iterations * w->ops_per_iteration;
    printf("ns_per_op %.3f\nops %zu\n", (end - start) * 1e9 / (double)ops, ops);
    free(plan.sizes);
    free(plan.slots);
    return 0;
}

static int list(void) {
    for (size_t i = 0; i < WORKLOAD_COUNT; ++i) printf("workload %s\n", workloads[i].name);
    size_t           count;
    const BenchKind *all = bench_kinds(&count);
    for (size_t i = 0; i < count; ++i) printf("allocator %s\n", all[i].name);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "--list")) return list();
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: bench_alloc --list | ALLOCATOR WORKLOAD [ITERATION_DIVISOR]\n");
        return 2;
    }
    const BenchKind *kind = bench_kind_named(argv[1]);
    if (!kind) {
        fprintf(stderr, "bench_alloc: unknown allocator '%s'\n", argv[1]);
        return 2;
    }
    long divisor = argc == 4 ? strtol(argv[3], NULL, 10) : 1;
    for (size_t i = 0; i < WORKLOAD_COUNT; ++i)
        if (!strcmp(workloads[i].name, argv[2]))
            return measure(kind, &workloads[i], divisor > 0 ? (size_t)divisor : 1);
    fprintf(stderr, "bench_alloc: unknown workload '%s'\n", argv[2]);
    return 2;
}
