// SPDX-License-Identifier: MIT
// The misuses of the violation catalogue, written once for every kind (see violations.h). This
// file is compiled once per kind with -DVIOLATION_KIND_HEADER naming kinds/<kind>.h, which
// defines ViolationType (the typed allocator), its Init/Deinit/Check, the sizes the cases use and
// another allocator type for the foreign and type-confusion cases. Set-up calls use the typed
// pointer; the misusing call goes through `Allocator *` when violation_dynamic is set.
#include "violations.h"

#include VIOLATION_KIND_HEADER

#include <stdlib.h> // malloc

bool violation_dynamic;

static ViolationType self;  // the allocator every case misuses
static ViolationType other; // a second instance of the same kind

// --- the misusing calls: typed, or through `Allocator *` ------------------------------------
static size_t misuse_free(void *ptr) {
    return violation_dynamic ? AllocatorFree(ALLOCATOR_OF(&self), ptr) : AllocatorFree(&self, ptr);
}
static void *misuse_remap(void *ptr, size_t bytes) {
    return violation_dynamic ? AllocatorRemap(ALLOCATOR_OF(&self), ptr, bytes)
                             : AllocatorRemap(&self, ptr, bytes);
}

// A freshly initialised allocator (for blocks of `bytes`) and one live block of `bytes`.
static char *fresh(size_t bytes) {
    violation_init(&self, bytes);
    char *p = AllocatorAlloc(&self, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

static char *more(size_t bytes) {
    char *p = AllocatorAlloc(&self, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

// --- double frees ----------------------------------------------------------------------------
static void free_twice(size_t bytes) {
    char *p = fresh(bytes);
    AllocatorFree(&self, p);
    violation_point(p);
    misuse_free(p);
}
static void double_free_small(void) { free_twice(V_SMALL); }
static void double_free_large(void) { free_twice((size_t)1 << 20); }
#ifdef V_UNRETAINED_BYTES
static void double_free_unretained(void) { free_twice(V_UNRETAINED_BYTES); }
#endif

static void double_free_delayed(void) {
    char *a = fresh(V_SMALL);
    char *b = more(V_DELAYED_B);
    char *c = more(V_DELAYED_C);
    AllocatorFree(&self, a);
    AllocatorFree(&self, b);
    AllocatorFree(&self, c);
    violation_point(a);
    misuse_free(a);
}

static void double_free_after_reuse(void) {
    char *p = fresh(V_SMALL);
    AllocatorFree(&self, p);
    char *q = more(V_SMALL);
    violation_require(V_REUSES_FREED ? q == p : q != p,
                      V_REUSES_FREED ? "the freed address was not reused"
                                     : "a quarantined address was reused");
    AllocatorFree(&self, q);
    violation_point(q);
    misuse_free(q);
}

// --- foreign pointers ------------------------------------------------------------------------
static void free_foreign(void *foreign) {
    (void)fresh(V_SMALL); // the allocator has memory of its own
    violation_point(foreign);
    misuse_free(foreign);
}

static void foreign_stack(void) {
    _Alignas(64) char local[64];
    free_foreign(local);
}
static void foreign_global(void) { free_foreign(violation_global); }
static void foreign_libc(void) { free_foreign(malloc(64)); }

static void foreign_other_instance(void) {
    violation_init(&other, V_SMALL);
    void *p = AllocatorAlloc(&other, V_SMALL, 0);
    violation_require(p != NULL, "allocation failed");
    free_foreign(p);
}

static void foreign_other_type(void) {
    static ViolationOtherType foreign;
    foreign = V_OTHER_INIT();
    free_foreign(AllocatorAlloc(&foreign, 100, 0));
}

// --- pointers into or beside a block ---------------------------------------------------------
static void interior_pointer(void) {
    char *p = fresh(V_INTERIOR_BYTES);
    violation_point(p + 16);
    misuse_free(p + 16);
}

static void unaligned_pointer(void) {
    char *p = fresh(V_BLOCK);
    violation_point(p + 1);
    misuse_free(p + 1);
}

static void realloc_foreign(void) {
    (void)fresh(V_SMALL);
    violation_point(violation_global);
    misuse_remap(violation_global, V_REMAP_BYTES);
}

// --- writes outside a block (kinds with no canaries) -----------------------------------------
// Two neighbouring blocks of V_NEIGHBOUR_BYTES; `n` bytes at `offset` from the end of the lower
// one are overwritten. The allocator keeps no byte of its own there.
static void smash_neighbour(long offset, size_t n) {
    char *a   = fresh(V_NEIGHBOUR_BYTES);
    char *b   = more(V_NEIGHBOUR_BYTES);
    char *low = a < b ? a : b;
    violation_require((size_t)(a < b ? b - a : a - b) == V_NEIGHBOUR_BYTES,
                      "the two blocks are not neighbours");
    for (size_t i = 0; i < n; ++i) low[V_NEIGHBOUR_BYTES + offset + (long)i] = 'x';
    V_CHECK(&self);
    violation_require(AllocatorFree(&self, b) == V_NEIGHBOUR_BYTES, "free of the second block failed");
    size_t freed = AllocatorFree(&self, a);
    violation_require(freed == V_NEIGHBOUR_BYTES || (V_LIFO_ONLY && freed == 0),
                      "free of the first block failed");
    V_CHECK(&self);
    V_DEINIT(&self);
    violation_say("the frees worked; " V_CHECK_NAME " passed before and after");
}
static void overflow_1(void) { smash_neighbour(0, 1); }
static void overflow_8(void) { smash_neighbour(0, 8); }
static void underflow_1(void) { smash_neighbour(-1, 1); }
static void underflow_8(void) { smash_neighbour(-8, 8); }

// A write into a freed block that the allocator hands out again, zero-filled when asked.
static void write_after_free(void) {
    char *p = fresh(V_NEIGHBOUR_BYTES);
    AllocatorFree(&self, p);
    p[0] = 'x';
    V_CHECK(&self);
    char *q = AllocatorAlloc(&self, V_NEIGHBOUR_BYTES, 1);
    violation_require(q == p && q[0] == 0, "expected the same block back, zeroed as asked");
    V_CHECK(&self);
    V_DEINIT(&self);
    violation_say("the write landed in the free block; " V_CHECK_NAME " passed; the block came "
                  "back zeroed when asked");
}

// --- the allocator itself --------------------------------------------------------------------
static void wrong_type(void) {
    static ViolationOtherType foreign;
    foreign = V_OTHER_INIT();
    void *p = AllocatorAlloc(&foreign, 100, 0);
    violation_point(&foreign);
    AllocatorFree((ViolationType *)(void *)&foreign, p);
}

static void use_after_deinit(void) {
    char *p = fresh(V_SMALL);
    V_DEINIT(&self);
    violation_point(&self);
    AllocatorFree(&self, p);
}

static void deinit_twice(void) {
    (void)fresh(V_SMALL);
    V_DEINIT(&self);
    violation_point(&self);
    V_DEINIT(&self);
}

const ViolationMisuse violation_misuses[] = {
    {"double_free_small", double_free_small, true},
    {"double_free_large", double_free_large, true},
#ifdef V_UNRETAINED_BYTES
    {"double_free_unretained", double_free_unretained, true},
#endif
    {"double_free_delayed", double_free_delayed, true},
    {"double_free_after_reuse", double_free_after_reuse, true},
    {"foreign_stack", foreign_stack, true},
    {"foreign_global", foreign_global, true},
    {"foreign_libc", foreign_libc, true},
    {"foreign_other_instance", foreign_other_instance, true},
    {"foreign_other_type", foreign_other_type, true},
    {"interior_pointer", interior_pointer, true},
    {"unaligned_pointer", unaligned_pointer, true},
    {"realloc_foreign", realloc_foreign, true},
    {"overflow_1", overflow_1, false},
    {"overflow_8", overflow_8, false},
    {"underflow_1", underflow_1, false},
    {"underflow_8", underflow_8, false},
    {"write_after_free", write_after_free, false},
    {"wrong_type", wrong_type, false},
    {"use_after_deinit", use_after_deinit, false},
    {"deinit_twice", deinit_twice, false},
};
const size_t violation_misuse_count = sizeof violation_misuses / sizeof violation_misuses[0];
