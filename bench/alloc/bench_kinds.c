// SPDX-License-Identifier: MIT
// The allocators `bench_alloc` can measure. "malloc" is whatever malloc the process has (glibc, or
// a peer preloaded by bench/run_alloc.sh); the others are this library's allocators, each on its
// typed fast path and, with a "-dyn" suffix, through `Allocator *`.
#include "bench_kinds.h"

#include <stdlib.h>   // malloc, free, realloc
#include <string.h>   // strcmp
#include <sys/mman.h> // mmap, munmap: the fresh-mapping baseline

static void *malloc_create(void) { return NULL; }
static void  malloc_destroy(void *ctx) { (void)ctx; }
static void *malloc_allocate(void *ctx, size_t bytes) { (void)ctx; return malloc(bytes); }
static void  malloc_release(void *ctx, void *ptr) { (void)ctx; free(ptr); }
static void *malloc_reallocate(void *ctx, void *ptr, size_t bytes) { (void)ctx; return realloc(ptr, bytes); }
static const BenchOps malloc_ops = {malloc_allocate, malloc_release, malloc_reallocate, NULL};
BENCH_DEFINE_LOOPS(malloc, malloc_ops)

// A fresh mmap + munmap per block: the baseline a page allocator's retention must beat. Only
// for the lifo loops, where each block is released before the next is allocated.
typedef struct { size_t bytes; } MmapContext;
static MmapContext mmap_context;
static void *mmap_create(void) { return &mmap_context; }
static void *mmap_allocate(void *ctx, size_t bytes) {
    ((MmapContext *)ctx)->bytes = bytes;
    void *ptr = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return ptr == MAP_FAILED ? NULL : ptr;
}
static void mmap_release(void *ctx, void *ptr) { munmap(ptr, ((MmapContext *)ctx)->bytes); }
static const BenchOps mmap_ops = {mmap_allocate, mmap_release, NULL, NULL};
BENCH_DEFINE_LOOPS(mmap, mmap_ops)

static const BenchKind kinds[] = {
    {"os-mmap", mmap_create, malloc_destroy, NULL, mmap_lifo_pair, NULL, NULL},
    {"malloc", malloc_create, malloc_destroy, malloc_random_pair, malloc_lifo_pair, malloc_batch,
     malloc_realloc_ladder},
};

const BenchKind *bench_kind_named(const char *name) {
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
        if (!strcmp(kinds[i].name, name)) return &kinds[i];
    return NULL;
}
