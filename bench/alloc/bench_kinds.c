// SPDX-License-Identifier: MIT
// The allocators `bench_alloc` can measure. "malloc" is whatever malloc the process has (glibc, or
// a peer preloaded by bench/run_alloc.sh); each of this library's six kinds runs on its typed fast
// path and, with a "-dyn" suffix, through `Allocator *`; "loop" allocates nothing (the cost of the
// loop itself) and "os-mmap" maps and unmaps every block (what page retention must beat).
#include "bench_kinds.h"

#include "alloc/Arena.h"
#include "alloc/Budget.h"
#include "alloc/Debug.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Slab.h"

#include <stdlib.h>   // malloc, free, realloc, aligned_alloc
#include <string.h>   // strcmp
#include <sys/mman.h> // mmap, munmap: the fresh-mapping baseline

static void *no_context(BenchShape shape) { return (void)shape, NULL; }
static void  no_destroy(void *ctx) { (void)ctx; }

// --- malloc: glibc's or a preloaded peer's --------------------------------------------------
static void *malloc_allocate(void *ctx, size_t bytes) { return (void)ctx, malloc(bytes); }
static void  malloc_release(void *ctx, void *ptr) { (void)ctx, free(ptr); }
static void *malloc_reallocate(void *ctx, void *ptr, size_t bytes) {
    return (void)ctx, realloc(ptr, bytes);
}
static const BenchOps malloc_ops = {malloc_allocate, malloc_release, malloc_reallocate, NULL};
BENCH_DEFINE_LOOPS(malloc, malloc_ops)

// --- loop: every block is the same static buffer; what remains is the loop and the touches ----
enum { LOOP_BUFFER_BYTES = 1 << 20 };
static _Alignas(64) unsigned char loop_buffer[LOOP_BUFFER_BYTES];
static void *loop_allocate(void *ctx, size_t bytes) { return (void)ctx, (void)bytes, loop_buffer; }
static void  loop_release(void *ctx, void *ptr) { (void)ctx, (void)ptr; }
static void *loop_reallocate(void *ctx, void *ptr, size_t bytes) {
    return (void)ctx, (void)bytes, ptr;
}
static const BenchOps loop_ops = {loop_allocate, loop_release, loop_reallocate, NULL};
BENCH_DEFINE_LOOPS(loop, loop_ops)

// --- os-mmap: a fresh mapping per block (only the lifo loop: one block live at a time) ------
typedef struct MmapContext {
    size_t bytes;
} MmapContext;
static MmapContext mmap_context;
static void       *mmap_create(BenchShape shape) { return (void)shape, &mmap_context; }
static void       *mmap_allocate(void *ctx, size_t bytes) {
    ((MmapContext *)ctx)->bytes = bytes;
    void *ptr = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return ptr == MAP_FAILED ? NULL : ptr;
}
static void mmap_release(void *ctx, void *ptr) { munmap(ptr, ((MmapContext *)ctx)->bytes); }
static const BenchOps mmap_ops = {mmap_allocate, mmap_release, NULL, NULL};
BENCH_DEFINE_LOOPS(mmap, mmap_ops)

// --- this library's kinds -------------------------------------------------------------------

// Ops through the public macros: with a typed pointer they call the typed functions directly
// (the fast path); with `Allocator *` they take the validating dynamic path. Growth tries the
// in-place resize first, then the moving remap, on both paths alike.
#define OUR_OPS(id, Type, reset)                                                                   \
    static void *id##_allocate(void *c, size_t n) { return AllocatorAlloc((Type *)c, n, 0); }    \
    static void  id##_release(void *c, void *p) { AllocatorFree((Type *)c, p); }                  \
    static void *id##_reallocate(void *c, void *p, size_t n) {                                     \
        return AllocatorResize((Type *)c, p, n) ? p : AllocatorRemap((Type *)c, p, n);            \
    }                                                                                              \
    static const BenchOps id##_ops = {id##_allocate, id##_release, id##_reallocate, reset};        \
    BENCH_DEFINE_LOOPS(id, id##_ops)

// A kind's typed and dynamic entries share one instance, made from the workload's shape by
// `init` and ended by `deinit`.
#define OUR_KIND(id, Type, init, deinit, reset)                                                    \
    static Type  id##_instance;                                                                    \
    static void *id##_create(BenchShape shape) {                                                  \
        id##_instance = init(shape);                                                               \
        return &id##_instance;                                                                     \
    }                                                                                              \
    static void *id##_create_dyn(BenchShape shape) {                                              \
        return ALLOCATOR_OF((Type *)id##_create(shape));                                           \
    }                                                                                              \
    static void id##_destroy(void *c) { (void)c, deinit(&id##_instance); }                         \
    OUR_OPS(id, Type, reset)                                                                       \
    OUR_OPS(id##_dyn, Allocator, reset)

// Both entries of a kind; LOOP(x) is the loop `x` or NULL for a loop the kind refuses.
#define KIND_ENTRIES(name, id, RANDOM, LADDER, refusal, divisor)                                   \
    {name,          id##_create,         id##_destroy,       RANDOM(id##_random_pair),             \
     id##_lifo_pair, id##_batch,         LADDER(id##_realloc_ladder), refusal, divisor},           \
    {name "-dyn",   id##_create_dyn,     id##_destroy,       RANDOM(id##_dyn_random_pair),         \
     id##_dyn_lifo_pair, id##_dyn_batch, LADDER(id##_dyn_realloc_ladder), refusal, divisor}
#define RUNS(loop)    loop
#define REFUSES(loop) NULL

static PageAllocator  page_init(BenchShape s) { return (void)s, PageAllocatorInit(); }
static HeapAllocator  heap_init(BenchShape s) { return (void)s, HeapAllocatorInit(); }
static ArenaAllocator arena_init(BenchShape s) { return (void)s, ArenaAllocatorInit(); }
static DebugAllocator debug_init(BenchShape s) { return (void)s, DebugAllocatorInit(); }
static SlabAllocator  slab_init(BenchShape s) { return SlabAllocatorInit(s.max_bytes); }

// A budget's buffer holds exactly the workload's live blocks of its largest size.
static unsigned char  *budget_buffer;
static BudgetAllocator budget_init(BenchShape s) {
    size_t bytes  = (BudgetAllocatorBufferBytes(s.live, s.max_bytes) + 63) / 64 * 64;
    budget_buffer = aligned_alloc(64, bytes);
    return BudgetAllocatorInit(budget_buffer, budget_buffer ? bytes : 0, s.max_bytes);
}
static void budget_deinit(BudgetAllocator *self) {
    BudgetAllocatorDeinit(self);
    free(budget_buffer);
    budget_buffer = NULL;
}

// The arena frees a whole batch by Reset (its reason to exist); `ctx` is the arena either way,
// since an `Allocator *` to it is the same address.
static void arena_reset(void *ctx) { ArenaAllocatorReset(ctx); }

OUR_KIND(page, PageAllocator, page_init, PageAllocatorDeinit, NULL)
OUR_KIND(heap, HeapAllocator, heap_init, HeapAllocatorDeinit, NULL)
OUR_KIND(arena, ArenaAllocator, arena_init, ArenaAllocatorDeinit, arena_reset)
OUR_KIND(slab, SlabAllocator, slab_init, SlabAllocatorDeinit, NULL)
OUR_KIND(budget, BudgetAllocator, budget_init, budget_deinit, NULL)
OUR_KIND(debug, DebugAllocator, debug_init, DebugAllocatorDeinit, NULL)

#define ARENA_REFUSAL                                                                              \
    "an arena frees only its most recent block: a random free is a no-op, the live set would "   \
    "grow without bound"
#define SLOTS_REFUSAL "slots have one fixed size: a block cannot grow past it"

static const BenchKind kinds[] = {
    {"malloc", no_context, no_destroy, malloc_random_pair, malloc_lifo_pair, malloc_batch,
     malloc_realloc_ladder, NULL, 1},
    // PageAllocator maps whole pages (hundreds of ns per op on small blocks): 10 times fewer.
    KIND_ENTRIES("page", page, RUNS, RUNS, NULL, 10),
    KIND_ENTRIES("heap", heap, RUNS, RUNS, NULL, 1),
    KIND_ENTRIES("arena", arena, REFUSES, RUNS, ARENA_REFUSAL, 1),
    KIND_ENTRIES("slab", slab, RUNS, REFUSES, SLOTS_REFUSAL, 1),
    KIND_ENTRIES("budget", budget, RUNS, REFUSES, SLOTS_REFUSAL, 1),
    // DebugAllocator carves blocks from its heap (issue 11): full iterations like the others.
    KIND_ENTRIES("debug", debug, RUNS, RUNS, NULL, 1),
    {"loop", no_context, no_destroy, loop_random_pair, loop_lifo_pair, loop_batch,
     loop_realloc_ladder, NULL, 1},
    {"os-mmap", mmap_create, no_destroy, NULL, mmap_lifo_pair, NULL, NULL,
     "a fresh mapping per block: only one block live at a time", 1},
};

const BenchKind *bench_kinds(size_t *count) {
    *count = sizeof kinds / sizeof kinds[0];
    return kinds;
}

const BenchKind *bench_kind_named(const char *name) {
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
        if (!strcmp(kinds[i].name, name)) return &kinds[i];
    return NULL;
}
