// SPDX-License-Identifier: MIT
// Violation catalogue of ArenaAllocator: what each shared misuse of cases.c ends in, and the
// arena's own cases. Only the most recent block can be freed; a free of any other block is a
// documented no-op, so several misuses are not detectable and their cases check that behaviour.
#include "arena.h"
#include "violations.h"

#include <string.h> // memset

const char violation_kind[] = "ArenaAllocator";

void violation_init(ViolationType *self, size_t block) {
    (void)block;
    *self = ArenaAllocatorInit();
}

static ArenaAllocator arena;

static char *fresh(size_t bytes) {
    arena   = ArenaAllocatorInit();
    char *p = AllocatorAlloc(&arena, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

static char *more(size_t bytes) {
    char *p = AllocatorAlloc(&arena, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

// A free of a block other than the last one does nothing: check it, and that the arena is intact.
static void no_op_free(char *p, const char *what) {
    violation_require(AllocatorFree(&arena, p) == 0, "the free was not a no-op");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
    violation_say(what);
}

static void double_free_delayed(void) {
    char *a = fresh(24);
    char *b = more(5000);
    char *c = more(24);
    violation_require(AllocatorFree(&arena, a) == 0, "free of a was not a no-op");
    AllocatorFree(&arena, b);
    violation_require(AllocatorFree(&arena, c) == 32, "free of c released nothing");
    no_op_free(a, "both frees of the first block returned 0; ArenaAllocatorCheck passed");
}

static void free_non_last(void) {
    char *a = fresh(24);
    (void)more(24);
    no_op_free(a, "the free returned 0 and released nothing; ArenaAllocatorCheck passed");
}

static void free_after_reset(void) {
    char *p = fresh(24);
    ArenaAllocatorReset(&arena);
    violation_point(p);
    AllocatorFree(&arena, p);
}

static void interior_pointer(void) {
    char *p = fresh(64);
    no_op_free(p + 16, "the free returned 0 and released nothing; ArenaAllocatorCheck passed");
}

// An older block moves on remap: a new block with its bytes (the arena logs every block's size).
static void remap_non_last(void) {
    char *a = fresh(24);
    memset(a, 'a', 24);
    (void)more(24);
    char *moved = AllocatorRemap(&arena, a, 100);
    violation_require(moved != NULL && moved != a, "the remap did not move the block");
    for (size_t i = 0; i < 24; ++i) violation_require(moved[i] == 'a', "the remap lost the bytes");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
    violation_say("the block moved with its 24 bytes; the old one stays until Reset; "
                  "ArenaAllocatorCheck passed");
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "arena_allocator_deallocate"
#define NO_OP "not detected: the free of a block other than the most recent one is a documented no-op"
#define NEIGHBOUR                                                                                  \
    "not detected: no canaries, so only the neighbouring block's "   \
    "bytes change (use DebugAllocator)"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"),
     "the most recent block: its free rewound the cursor, so the pointer is past the memory in use",
     NULL},
    {"double_free_large", FATAL(FREE, "double free"), "1 MiB, in a chunk of its own", NULL},
    {"double_free_delayed", VIOLATION_SURVIVES, NULL,
     NO_OP ", so both frees of that block do nothing", NULL,
     double_free_delayed},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "the rewound memory is handed out again at the same address", NULL},
    {"free_non_last", VIOLATION_SURVIVES, NULL,
     NO_OP "; the memory comes back at ArenaAllocatorReset or Deinit", NULL, free_non_last},
    {"free_after_reset", FATAL(FREE, "double free"), NULL, free_after_reset},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a PageAllocator block", NULL},
    {"interior_pointer", VIOLATION_SURVIVES, NULL,
     "not detected: the free of an aligned interior pointer is taken for the free of an older "
     "block, a documented no-op (a remap of it aborts with \"interior pointer\")",
     NULL, interior_pointer},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, NULL},
    {"realloc_foreign", FATAL("arena_allocator_remap", "foreign pointer"), NULL, NULL},
    {"remap_non_last", VIOLATION_SURVIVES, NULL,
     "not a misuse since issue 10: the arena keeps every block's size, so a remap of an older "
     "block moves it",
     NULL, remap_non_last},
    {"overflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"overflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"underflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"underflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"write_after_free", VIOLATION_SURVIVES, NULL,
     "not detected: freed memory is just unused arena memory (use DebugAllocator)", NULL, NULL},
    {"wrong_type", FATAL(FREE, "type-confusion: not an ArenaAllocator"),
     "a PageAllocator passed as an ArenaAllocator", NULL},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, NULL},
    {"deinit_twice", FATAL("ArenaAllocatorDeinit", "uninitialised allocator"), NULL, NULL},
};
const size_t violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
