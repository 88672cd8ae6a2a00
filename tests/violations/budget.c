// Violation catalogue of BudgetAllocator: what each misuse ends in (see violations.h). The slots
// live in static buffers; the allocator never maps memory.
#include "alloc/Page.h"
#include "alloc/Budget.h"
#include "violations.h"

#include <stdlib.h> // malloc

const char violation_kind[] = "BudgetAllocator";

enum { SLOT = 64 };

static BudgetAllocator budget;
static BudgetAllocator other;
static _Alignas(64) unsigned char buffer[BudgetAllocatorBufferBytes(4, (size)1 << 20)];
static _Alignas(64) unsigned char other_buffer[BudgetAllocatorBufferBytes(8, SLOT)];

static char *fresh_with(size slot) {
    budget  = BudgetAllocatorInit(buffer, sizeof buffer, slot);
    char *p = budget_allocator_allocate(&budget, slot, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}
static char *fresh(void) { return fresh_with(SLOT); }

static void free_twice(size slot) {
    char *p = fresh_with(slot);
    budget_allocator_deallocate(&budget, p);
    violation_point(p);
    budget_allocator_deallocate(&budget, p);
}

static void double_free_small(void) { free_twice(SLOT); }
static void double_free_large(void) { free_twice((size)1 << 20); }

static void double_free_delayed(void) {
    char *a = fresh();
    char *b = budget_allocator_allocate(&budget, SLOT, 0);
    char *c = budget_allocator_allocate(&budget, SLOT, 0);
    budget_allocator_deallocate(&budget, a);
    budget_allocator_deallocate(&budget, b);
    budget_allocator_deallocate(&budget, c);
    violation_point(a);
    budget_allocator_deallocate(&budget, a);
}

static void double_free_after_reuse(void) {
    char *p = fresh();
    budget_allocator_deallocate(&budget, p);
    char *q = budget_allocator_allocate(&budget, SLOT, 0);
    violation_require(q == p, "the freed slot was not reused");
    budget_allocator_deallocate(&budget, q);
    violation_point(q);
    budget_allocator_deallocate(&budget, q);
}

static void free_foreign(void *foreign) {
    (void)fresh(); // the allocator has a budget
    violation_point(foreign);
    budget_allocator_deallocate(&budget, foreign);
}

static void foreign_stack(void) {
    _Alignas(64) char local[64];
    free_foreign(local);
}
static void foreign_global(void) { free_foreign(violation_global); }
static void foreign_libc(void) { free_foreign(malloc(64)); }

static void foreign_other_instance(void) {
    other = BudgetAllocatorInit(other_buffer, sizeof other_buffer, SLOT);
    free_foreign(budget_allocator_allocate(&other, SLOT, 0));
}

static void foreign_other_type(void) {
    static PageAllocator pages;
    pages = PageAllocatorInit();
    free_foreign(page_allocator_allocate(&pages, 100, 0));
}

static void interior_pointer(void) {
    char *p = fresh();
    violation_point(p + 16);
    budget_allocator_deallocate(&budget, p + 16);
}

static void unaligned_pointer(void) {
    char *p = fresh();
    violation_point(p + 1);
    budget_allocator_deallocate(&budget, p + 1);
}

static void realloc_foreign(void) {
    (void)fresh();
    violation_point(violation_global);
    budget_allocator_remap(&budget, violation_global, 32);
}

// Two neighbouring slots; bytes at `offset` from the end of the lower one are overwritten.
static void smash_neighbour(long offset, size n) {
    char *a = fresh();
    char *b = budget_allocator_allocate(&budget, SLOT, 0);
    char *low = a < b ? a : b;
    violation_require((a < b ? b - a : a - b) == SLOT, "the two slots are not neighbours");
    for (size i = 0; i < n; ++i) low[SLOT + offset + (long)i] = 'x';
    violation_require(budget_allocator_deallocate(&budget, a) == SLOT, "free of a failed");
    violation_require(budget_allocator_deallocate(&budget, b) == SLOT, "free of b failed");
    violation_require(budget_allocator_allocate(&budget, SLOT, 0) != NULL, "no slot after the frees");
    BudgetAllocatorDeinit(&budget);
    violation_say("both frees worked; the slots came back");
}
static void overflow_1(void) { smash_neighbour(0, 1); }
static void overflow_8(void) { smash_neighbour(0, 8); }
static void underflow_1(void) { smash_neighbour(-1, 1); }
static void underflow_8(void) { smash_neighbour(-8, 8); }

static void write_after_free(void) {
    char *p = fresh();
    budget_allocator_deallocate(&budget, p);
    p[0] = 'x';
    char *q = budget_allocator_allocate(&budget, SLOT, 1);
    violation_require(q == p && q[0] == 0, "expected the same slot back, zeroed as asked");
    BudgetAllocatorDeinit(&budget);
    violation_say("the write landed in the free slot; the slot came back zeroed when asked");
}

static void wrong_type(void) {
    static PageAllocator pages;
    pages   = PageAllocatorInit();
    void *p = page_allocator_allocate(&pages, 100, 0);
    violation_point(&pages);
    budget_allocator_deallocate((BudgetAllocator *)(void *)&pages, p);
}

static void use_after_deinit(void) {
    char *p = fresh();
    BudgetAllocatorDeinit(&budget);
    violation_point(&budget);
    budget_allocator_deallocate(&budget, p);
}

static void deinit_twice(void) {
    (void)fresh();
    BudgetAllocatorDeinit(&budget);
    violation_point(&budget);
    BudgetAllocatorDeinit(&budget);
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "budget_allocator_deallocate"
#define NEIGHBOUR                                                                                  \
    "not detected: no canaries; the bookkeeping sits before the first slot, never between "       \
    "slots, so only the neighbouring slot's bytes change (use DebugAllocator)"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"), "64-byte slots", double_free_small},
    {"double_free_large", FATAL(FREE, "double free"), "1 MiB slots", double_free_large},
    {"double_free_delayed", FATAL(FREE, "double free"), NULL, double_free_delayed},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "the last freed slot is handed out first, so the reallocation gets the same address",
     double_free_after_reuse},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, foreign_stack},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, foreign_global},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, foreign_libc},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, foreign_other_instance},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a PageAllocator block",
     foreign_other_type},
    {"interior_pointer", FATAL(FREE, "misaligned pointer"),
     "a budget reports any pointer off a slot boundary as misaligned", interior_pointer},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, unaligned_pointer},
    {"realloc_foreign", FATAL("budget_allocator_remap", "foreign pointer"), NULL, realloc_foreign},
    {"overflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, overflow_1},
    {"overflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, overflow_8},
    {"underflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, underflow_1},
    {"underflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, underflow_8},
    {"write_after_free", VIOLATION_SURVIVES, NULL,
     "not detected: a free slot is only a bit out of band, so the allocator stays consistent and "
     "hands the slot out again as it is, zero-filled if asked (use DebugAllocator)",
     NULL, write_after_free},
    {"wrong_type", FATAL(FREE, "type-confusion: not a BudgetAllocator"),
     "a PageAllocator passed as a BudgetAllocator", wrong_type},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, use_after_deinit},
    {"deinit_twice", FATAL("BudgetAllocatorDeinit", "uninitialised allocator"), NULL, deinit_twice},
};
const size violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
