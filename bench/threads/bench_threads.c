// SPDX-License-Identifier: MIT
// Two threads, blocks freed by the thread that did not allocate them: `bench_threads WORKLOAD`
// runs one workload on whatever malloc the process has (glibc, or a peer or the liballoc shim
// preloaded by bench/run_threads.sh) and prints "wall_ns_per_op", "cpu_ns_per_op" (both threads'
// CPU time) and "ops". Workloads:
//   prodcons-small / prodcons-large: one thread allocates and touches blocks and hands them over
//     a lock-free ring; the other frees them (every free is a cross-thread free).
//   larson-small / larson-large: each thread frees a random slot of its live set and allocates
//     into it; every ROUND_OPS ops the threads swap live sets (after Larson & Krishnan), so half
//     of all frees hit blocks the other thread allocated.
// Sizes are drawn before the clock starts; an op is one malloc or one free.
#include <pthread.h>   // pthread_create, pthread_barrier_t
#include <sched.h>     // sched_yield
#include <stdatomic.h> // the ring's indices
#include <stdint.h>    // uint32_t, uint64_t
#include <stdio.h>     // printf, fprintf
#include <stdlib.h>    // malloc, free
#include <string.h>    // strcmp
#include <time.h>      // clock_gettime

enum { PLAN_COUNT = 1 << 14, RING = 1024, ROUND_OPS = 10000 };

typedef struct Workload {
    const char *name;
    int         larson;     // 0: producer/consumer
    uint32_t    min_bytes, max_bytes;
    size_t      live;       // larson: blocks live per thread
    size_t      iterations; // producer/consumer: blocks; larson: pairs per thread
} Workload;

static const Workload workloads[] = {
    {"prodcons-small", 0, 16, 256, 0, 2000000},
    {"prodcons-large", 0, 8 << 10, 300 << 10, 0, 100000},
    {"larson-small", 1, 16, 256, 1000, 4000000},
    {"larson-large", 1, 8 << 10, 300 << 10, 100, 100000},
};

static uint32_t sizes[PLAN_COUNT];
static uint32_t slots_of[PLAN_COUNT];

static void make_plan(const Workload *w) {
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < PLAN_COUNT; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        sizes[i] = w->min_bytes + (uint32_t)(x >> 16) % (w->max_bytes - w->min_bytes + 1);
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        slots_of[i] = w->live ? (uint32_t)((x >> 16) % w->live) : 0;
    }
}

static void touch(void *ptr, size_t bytes) {
    volatile unsigned char *p = ptr;
    p[0] = 1, p[bytes - 1] = 1;
}

static double now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

// --- producer / consumer: a single-producer single-consumer ring ----------------------------
static void *_Atomic ring[RING];
static _Atomic size_t head, tail; // head: next slot to fill; tail: next slot to drain
static const Workload *current;

// Wait politely: the machine has 2 cores and other processes, so a spinning thread may be
// keeping its peer off the CPU.
static void backoff(unsigned *spins) {
    if (++*spins > 64) sched_yield(), *spins = 0;
}

static void *consumer(void *unused) {
    (void)unused;
    for (size_t i = 0; i < current->iterations; ++i) {
        unsigned spins = 0;
        size_t   t     = atomic_load_explicit(&tail, memory_order_relaxed);
        while (atomic_load_explicit(&head, memory_order_acquire) == t) backoff(&spins);
        void *ptr = atomic_load_explicit(&ring[t % RING], memory_order_relaxed);
        atomic_store_explicit(&tail, t + 1, memory_order_release);
        free(ptr);
    }
    return NULL;
}

static size_t run_prodcons(const Workload *w) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, consumer, NULL)) return 0;
    for (size_t i = 0; i < w->iterations; ++i) {
        size_t bytes = sizes[i & (PLAN_COUNT - 1)];
        void  *ptr   = malloc(bytes);
        touch(ptr, bytes);
        unsigned spins = 0;
        size_t   h     = atomic_load_explicit(&head, memory_order_relaxed);
        while (h - atomic_load_explicit(&tail, memory_order_acquire) == RING) backoff(&spins);
        atomic_store_explicit(&ring[h % RING], ptr, memory_order_relaxed);
        atomic_store_explicit(&head, h + 1, memory_order_release);
    }
    pthread_join(thread, NULL);
    return 2 * w->iterations;
}

// --- larson-style: live sets swapped between the threads -------------------------------------
static void            **live_sets[2];
static pthread_barrier_t barrier;

static void *larson_thread(void *arg) {
    size_t me = (size_t)arg, op = me * 7919; // the threads walk the plan at different offsets
    for (size_t done = 0; done < current->iterations; done += ROUND_OPS) {
        void **mine = live_sets[me];
        for (size_t i = 0; i < ROUND_OPS && done + i < current->iterations; ++i, ++op) {
            size_t slot  = slots_of[op & (PLAN_COUNT - 1)];
            size_t bytes = sizes[op & (PLAN_COUNT - 1)];
            free(mine[slot]);
            mine[slot] = malloc(bytes);
            touch(mine[slot], bytes);
        }
        // Swap live sets: from now on each thread frees the blocks the other allocated.
        if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
            void **swap = live_sets[0];
            live_sets[0] = live_sets[1], live_sets[1] = swap;
        }
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static size_t run_larson(const Workload *w) {
    for (size_t t = 0; t < 2; ++t) {
        live_sets[t] = calloc(w->live, sizeof(void *));
        if (!live_sets[t]) return 0;
        for (size_t i = 0; i < w->live; ++i) {
            size_t bytes       = sizes[(t * w->live + i) & (PLAN_COUNT - 1)];
            live_sets[t][i] = malloc(bytes);
            touch(live_sets[t][i], bytes);
        }
    }
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_t thread;
    if (pthread_create(&thread, NULL, larson_thread, (void *)1)) return 0;
    larson_thread((void *)0);
    pthread_join(thread, NULL);
    pthread_barrier_destroy(&barrier);
    for (size_t t = 0; t < 2; ++t) {
        for (size_t i = 0; i < w->live; ++i) free(live_sets[t][i]);
        free(live_sets[t]);
    }
    return 2 * 2 * w->iterations; // two threads, a free and a malloc per pair
}

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "--list")) {
        for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; ++i)
            printf("workload %s\n", workloads[i].name);
        return 0;
    }
    for (size_t i = 0; argc == 2 && i < sizeof workloads / sizeof workloads[0]; ++i) {
        if (strcmp(workloads[i].name, argv[1])) continue;
        current = &workloads[i];
        make_plan(current);
        double wall = now(CLOCK_MONOTONIC), cpu = now(CLOCK_PROCESS_CPUTIME_ID);
        size_t ops  = current->larson ? run_larson(current) : run_prodcons(current);
        wall = now(CLOCK_MONOTONIC) - wall, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu;
        if (!ops) {
            fprintf(stderr, "bench_threads: out of memory or threads\n");
            return 1;
        }
        printf("wall_ns_per_op %.3f\ncpu_ns_per_op %.3f\nops %zu\n", wall * 1e9 / (double)ops,
               cpu * 1e9 / (double)ops, ops);
        return 0;
    }
    fprintf(stderr, "usage: bench_threads --list | WORKLOAD\n");
    return 2;
}
