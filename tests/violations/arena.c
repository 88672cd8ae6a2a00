// Violation catalogue of ArenaAllocator: what each misuse ends in (see violations.h). Only the
// most recent block can be freed; a free of any other block is a documented no-op, so several
// misuses are not detectable and their cases check that documented behaviour instead.
#include "alloc/Arena.h"
#include "alloc/Page.h"
#include "violations.h"

#include <stdlib.h> // malloc

const char violation_kind[] = "ArenaAllocator";

static ArenaAllocator arena;
static ArenaAllocator other;

static char *fresh(size bytes) {
    arena   = ArenaAllocatorInit();
    char *p = arena_allocator_allocate(&arena, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

static void free_twice(size bytes) {
    char *p = fresh(bytes);
    arena_allocator_deallocate(&arena, p);
    violation_point(p);
    arena_allocator_deallocate(&arena, p);
}

static void double_free_small(void) { free_twice(24); }
static void double_free_large(void) { free_twice((size)1 << 20); }

// Frees of blocks other than the last one do nothing: check it, and that the arena is intact.
static void no_op_free(char *p, const char *what) {
    violation_require(arena_allocator_deallocate(&arena, p) == 0, "the free was not a no-op");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
    violation_say(what);
}

static void double_free_delayed(void) {
    char *a = fresh(24);
    char *b = arena_allocator_allocate(&arena, 5000, 0);
    char *c = arena_allocator_allocate(&arena, 24, 0);
    violation_require(arena_allocator_deallocate(&arena, a) == 0, "free of a was not a no-op");
    arena_allocator_deallocate(&arena, b);
    violation_require(arena_allocator_deallocate(&arena, c) == 32, "free of c released nothing");
    no_op_free(a, "both frees of the first block returned 0; ArenaAllocatorCheck passed");
}

static void double_free_after_reuse(void) {
    char *p = fresh(24);
    arena_allocator_deallocate(&arena, p);
    char *q = arena_allocator_allocate(&arena, 24, 0);
    violation_require(q == p, "the rewound memory was not reused");
    arena_allocator_deallocate(&arena, q);
    violation_point(q);
    arena_allocator_deallocate(&arena, q);
}

static void free_non_last(void) {
    char *a = fresh(24);
    (void)arena_allocator_allocate(&arena, 24, 0);
    no_op_free(a, "the free returned 0 and released nothing; ArenaAllocatorCheck passed");
}

static void free_after_reset(void) {
    char *p = fresh(24);
    ArenaAllocatorReset(&arena);
    violation_point(p);
    arena_allocator_deallocate(&arena, p);
}

static void free_foreign(void *foreign) {
    (void)fresh(24); // the arena has a chunk
    violation_point(foreign);
    arena_allocator_deallocate(&arena, foreign);
}

static void foreign_stack(void) {
    _Alignas(64) char local[64];
    free_foreign(local);
}
static void foreign_global(void) { free_foreign(violation_global); }
static void foreign_libc(void) { free_foreign(malloc(64)); }

static void foreign_other_instance(void) {
    other = ArenaAllocatorInit();
    free_foreign(arena_allocator_allocate(&other, 24, 0));
}

static void foreign_other_type(void) {
    static PageAllocator pages;
    pages = PageAllocatorInit();
    free_foreign(page_allocator_allocate(&pages, 100, 0));
}

static void interior_pointer(void) {
    char *p = fresh(64);
    no_op_free(p + 16, "the free returned 0 and released nothing; ArenaAllocatorCheck passed");
}

static void unaligned_pointer(void) {
    char *p = fresh(64);
    violation_point(p + 1);
    arena_allocator_deallocate(&arena, p + 1);
}

static void realloc_foreign(void) {
    (void)fresh(24);
    violation_point(violation_global);
    arena_allocator_remap(&arena, violation_global, 200);
}

// Two neighbouring blocks; bytes at `offset` from the end of the first are overwritten.
static void smash_neighbour(long offset, size n) {
    char *a = fresh(32);
    char *b = arena_allocator_allocate(&arena, 32, 0);
    violation_require(b == a + 32, "the two blocks are not neighbours");
    for (size i = 0; i < n; ++i) a[32 + offset + (long)i] = 'x';
    ArenaAllocatorCheck(&arena);
    violation_require(arena_allocator_deallocate(&arena, b) == 32, "free of b failed");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
    violation_say("the arena did not notice; ArenaAllocatorCheck passed");
}
static void overflow_1(void) { smash_neighbour(0, 1); }
static void overflow_8(void) { smash_neighbour(0, 8); }
static void underflow_1(void) { smash_neighbour(-1, 1); }
static void underflow_8(void) { smash_neighbour(-8, 8); }

static void write_after_free(void) {
    char *p = fresh(32);
    arena_allocator_deallocate(&arena, p);
    p[0] = 'x';
    char *q = arena_allocator_allocate(&arena, 32, 1);
    violation_require(q == p && q[0] == 0, "expected the same memory back, zeroed as asked");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
    violation_say("the write landed; the memory came back zeroed when asked; "
                  "ArenaAllocatorCheck passed");
}

static void wrong_type(void) {
    static PageAllocator pages;
    pages   = PageAllocatorInit();
    void *p = page_allocator_allocate(&pages, 100, 0);
    violation_point(&pages);
    arena_allocator_deallocate((ArenaAllocator *)(void *)&pages, p);
}

static void use_after_deinit(void) {
    char *p = fresh(24);
    ArenaAllocatorDeinit(&arena);
    violation_point(&arena);
    arena_allocator_deallocate(&arena, p);
}

static void deinit_twice(void) {
    (void)fresh(24);
    ArenaAllocatorDeinit(&arena);
    violation_point(&arena);
    ArenaAllocatorDeinit(&arena);
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "arena_allocator_deallocate"
#define NO_OP "not detected: the free of a block other than the most recent one is a documented no-op"
#define NEIGHBOUR                                                                                  \
    "not detected: no canaries and no per-block bookkeeping, so only the neighbouring block's "   \
    "bytes change (use DebugAllocator)"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"),
     "the most recent block: its free rewound the cursor, so the pointer is past the memory in use",
     double_free_small},
    {"double_free_large", FATAL(FREE, "double free"), "1 MiB, in a chunk of its own",
     double_free_large},
    {"double_free_delayed", VIOLATION_SURVIVES, NULL,
     NO_OP " (the arena keeps no per-block sizes), so both frees of that block do nothing", NULL,
     double_free_delayed},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "the rewound memory is handed out again at the same address", double_free_after_reuse},
    {"free_non_last", VIOLATION_SURVIVES, NULL,
     NO_OP "; the memory comes back at ArenaAllocatorReset or Deinit", NULL, free_non_last},
    {"free_after_reset", FATAL(FREE, "double free"), NULL, free_after_reset},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, foreign_stack},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, foreign_global},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, foreign_libc},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, foreign_other_instance},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a PageAllocator block",
     foreign_other_type},
    {"interior_pointer", VIOLATION_SURVIVES, NULL,
     "not detected: the arena keeps no block boundaries, so an aligned interior pointer looks like "
     "an older block and its free is a no-op",
     NULL, interior_pointer},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, unaligned_pointer},
    {"realloc_foreign", FATAL("arena_allocator_remap", "foreign pointer"), NULL, realloc_foreign},
    {"overflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, overflow_1},
    {"overflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, overflow_8},
    {"underflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, underflow_1},
    {"underflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, underflow_8},
    {"write_after_free", VIOLATION_SURVIVES, NULL,
     "not detected: freed memory is just unused arena memory (use DebugAllocator)", NULL,
     write_after_free},
    {"wrong_type", FATAL(FREE, "type-confusion: not an ArenaAllocator"),
     "a PageAllocator passed as an ArenaAllocator", wrong_type},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, use_after_deinit},
    {"deinit_twice", FATAL("ArenaAllocatorDeinit", "uninitialised allocator"), NULL, deinit_twice},
};
const size violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
