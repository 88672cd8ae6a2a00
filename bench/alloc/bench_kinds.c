// SPDX-License-Identifier: MIT
// The allocators `bench_alloc` can measure. "malloc" is whatever malloc the process has (glibc, or
// a peer preloaded by bench/run_alloc.sh); the others are this library's allocators, each on its
// typed fast path and, with a "-dyn" suffix, through `Allocator *`.
#include "bench_kinds.h"

#include "alloc/Arena.h"
#include "alloc/Budget.h"
#include "alloc/Debug.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Slab.h"

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

// Ops through the public macros: with a typed pointer they call the typed functions directly
// (the fast path); with `Allocator *` they take the validating dynamic path.
#define OUR_OPS(id, Type, reset)                                                                   \
    static void *id##_allocate(void *c, size_t n) { return AllocatorAlloc((Type *)c, n, 0); }    \
    static void  id##_release(void *c, void *p) { AllocatorFree((Type *)c, p); }                  \
    static void *id##_reallocate(void *c, void *p, size_t n) {                                     \
        return AllocatorResize((Type *)c, p, n) ? p : AllocatorRemap((Type *)c, p, n);            \
    }                                                                                              \
    static const BenchOps id##_ops = {id##_allocate, id##_release, id##_reallocate, reset};        \
    BENCH_DEFINE_LOOPS(id, id##_ops)

// A kind's typed and dynamic entries share one instance, made by `init` and ended by `deinit`.
#define OUR_KIND(id, Type, init, deinit, reset)                                                    \
    static Type  id##_instance;                                                                    \
    static void *id##_create(void) { return id##_instance = init, &id##_instance; }               \
    static void *id##_create_dyn(void) { return ALLOCATOR_OF((Type *)id##_create()); }         \
    static void  id##_destroy(void *c) { (void)c; deinit(&id##_instance); }                        \
    OUR_OPS(id, Type, reset)                                                                       \
    OUR_OPS(id##_dyn, Allocator, reset)

#define KIND_ENTRIES(name, id)                                                                     \
    {name, id##_create, id##_destroy, id##_random_pair, id##_lifo_pair, id##_batch,               \
     id##_realloc_ladder},                                                                         \
    {name "-dyn", id##_create_dyn, id##_destroy, id##_dyn_random_pair, id##_dyn_lifo_pair,        \
     id##_dyn_batch, id##_dyn_realloc_ladder}

// The arena frees a whole batch by Reset (its reason to exist); `ctx` is the arena either way,
// since an `Allocator *` to it is the same address.
static void arena_reset(void *ctx) { ArenaAllocatorReset(ctx); }

enum { BUDGET_SLOTS = 1100, BUDGET_SLOT_BYTES = 64 };
_Alignas(64) static unsigned char budget_buffer[BudgetAllocatorBufferBytes(BUDGET_SLOTS, BUDGET_SLOT_BYTES)];

OUR_KIND(page, PageAllocator, PageAllocatorInit(), PageAllocatorDeinit, NULL)
OUR_KIND(debug, DebugAllocator, DebugAllocatorInit(), DebugAllocatorDeinit, NULL)
OUR_KIND(heap, HeapAllocator, HeapAllocatorInit(), HeapAllocatorDeinit, NULL)
OUR_KIND(arena, ArenaAllocator, ArenaAllocatorInit(), ArenaAllocatorDeinit, arena_reset)
OUR_KIND(slab, SlabAllocator, SlabAllocatorInit(64), SlabAllocatorDeinit, NULL)
OUR_KIND(budget, BudgetAllocator,
         BudgetAllocatorInit(budget_buffer, sizeof budget_buffer, BUDGET_SLOT_BYTES),
         BudgetAllocatorDeinit, NULL)

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
    KIND_ENTRIES("page", page),
    KIND_ENTRIES("debug", debug),
    KIND_ENTRIES("heap", heap),
    KIND_ENTRIES("arena", arena),
    KIND_ENTRIES("slab", slab),
    KIND_ENTRIES("budget", budget),
    {"malloc", malloc_create, malloc_destroy, malloc_random_pair, malloc_lifo_pair, malloc_batch,
     malloc_realloc_ladder},
};

const BenchKind *bench_kind_named(const char *name) {
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
        if (!strcmp(kinds[i].name, name)) return &kinds[i];
    return NULL;
}
