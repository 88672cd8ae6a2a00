// Vec(T) against every allocator kind of the table (kinds.h): push/at/pop/reserve/deinit, growth
// through AllocatorRealloc, the unchanged vector after a failed growth, and the two aborts.
#include "alloc/Vec.h"
#include "alloc/Page.h"
#include "kinds.h"

#include "death.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h> // SIZE_MAX

#define VEC_TEST(name)                                                                             \
    ParameterizedTestParameters(vec, name) {                                                       \
        return cr_make_param_array(size, (void *)KIND_INDICES, KIND_COUNT, NULL);                  \
    }                                                                                              \
    static void name##_body(const Kind *kind);                                                     \
    ParameterizedTest(const size *index, vec, name) { name##_body(&KINDS[*index]); }            \
    static void name##_body(const Kind *kind)

typedef Vec(int) IntVec;

typedef struct Point {
    double x, y;
    char   label[8];
} Point;

// How many `elem` the kind can hold in one block, capped at `want`.
static size fit(const Kind *kind, size elem, size want) {
    size most = kind->max_block / elem;
    return most < want ? most : want;
}

VEC_TEST(push_then_at_reads_every_element_back) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    IntVec       v = VecInit(a);
    size         n = fit(kind, sizeof(int), 5000);
    for (size i = 0; i < n; ++i) cr_assert(VecPush(&v, (int)(i * 3)), "%s: push %zu", kind->name, i);
    cr_assert_eq(VecLen(&v), n);
    cr_assert_geq(VecCap(&v), n);
    for (size i = 0; i < n; ++i) cr_assert_eq(VecAt(&v, i), (int)(i * 3));
    VecAt(&v, 0) = -1; // an lvalue
    cr_assert_eq(v.data[0], -1);
    kind->check(&where);
    VecDeinit(&v);
    cr_assert_eq(a->stats.bytes_in_use, 0, "%s: Deinit left the buffer live", kind->name);
    kind->deinit(&where);
}

VEC_TEST(pop_returns_elements_in_reverse_and_keeps_the_buffer) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    Vec(Point)   v = VecInit(a);
    size         n = fit(kind, sizeof(Point), 300);
    for (size i = 0; i < n; ++i) cr_assert(VecPush(&v, ((Point){(double)i, -(double)i, "p"})));
    size cap = VecCap(&v);
    for (size i = n; i-- > 0;) {
        Point p = VecPop(&v);
        cr_assert_eq(p.x, (double)i);
        cr_assert_str_eq(p.label, "p");
    }
    cr_assert_eq(VecLen(&v), 0);
    cr_assert_eq(VecCap(&v), cap);
    VecDeinit(&v);
    kind->deinit(&where);
}

VEC_TEST(reserve_makes_room_so_pushes_do_not_reallocate) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    IntVec       v = VecInit(a);
    size         n = fit(kind, sizeof(int), 1000);
    cr_assert(VecPush(&v, 7));
    cr_assert(VecReserve(&v, n), "%s: reserve %zu", kind->name, n);
    cr_assert_geq(VecCap(&v), n);
    cr_assert_eq(VecAt(&v, 0), 7, "reserve must keep the elements");
    int *data = v.data;
    u64  reallocations = a->stats.reallocations, allocations = a->stats.allocations;
    for (size i = 1; i < n; ++i) cr_assert(VecPush(&v, (int)i));
    cr_assert_eq(v.data, data);
    cr_assert_eq(a->stats.reallocations, reallocations);
    cr_assert_eq(a->stats.allocations, allocations);
    cr_assert(VecReserve(&v, 1), "a smaller reserve is a no-op");
    cr_assert_geq(VecCap(&v), n);
    VecDeinit(&v);
    kind->deinit(&where);
}

VEC_TEST(growth_goes_through_realloc_and_is_amortised) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    IntVec       v = VecInit(a);
    size         n = fit(kind, sizeof(int), 4096);
    for (size i = 0; i < n; ++i) cr_assert(VecPush(&v, (int)i));
    // One allocation (the first push, remap of NULL), then doubling: O(log n) reallocations.
    cr_assert_eq(a->stats.allocations, 1, "%s", kind->name);
    cr_assert_leq(a->stats.reallocations, 2 * 12, "%s: %llu reallocations for %zu pushes",
                  kind->name, (unsigned long long)a->stats.reallocations, n);
    cr_assert_eq(a->stats.deallocations, 0, "growth never frees and re-allocates");
    VecDeinit(&v);
    cr_assert_eq(a->stats.deallocations, 1);
    kind->deinit(&where);
}

// On a kind with a largest block (Slab and Budget slots), growth past it fails like OOM.
VEC_TEST(growth_past_the_kinds_largest_block_fails_and_keeps_the_vector) {
    if (kind->max_block >= ((size)1 << 30)) return;
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    IntVec       v = VecInit(a);
    size pushed = 0;
    while (VecPush(&v, (int)pushed)) {
        ++pushed;
        cr_assert_leq(pushed * sizeof(int), 2 * kind->max_block, "%s: no limit hit", kind->name);
    }
    cr_assert_geq(pushed * sizeof(int), kind->max_block / 2, "%s: gave up at %zu elements",
                  kind->name, pushed);
    cr_assert_eq(VecLen(&v), pushed);
    cr_assert_eq(VecCap(&v), pushed, "%s: the failed push changed the capacity", kind->name);
    for (size i = 0; i < pushed; ++i) cr_assert_eq(VecAt(&v, i), (int)i);
    cr_assert_gt(a->stats.failed_allocations, 0);
    cr_assert(VecReserve(&v, pushed), "a reserve that needs nothing succeeds");
    kind->check(&where);
    VecDeinit(&v);
    cr_assert_eq(a->stats.bytes_in_use, 0);
    kind->deinit(&where);
}

VEC_TEST(deinit_leaves_an_empty_vector_that_can_be_used_again) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    IntVec       v = VecInit(a);
    VecDeinit(&v); // never allocated: calls nothing
    cr_assert_eq(a->stats.deallocations, 0);
    cr_assert(VecPush(&v, 1));
    VecDeinit(&v);
    cr_assert_null(v.data);
    cr_assert_eq(VecLen(&v), 0);
    cr_assert_eq(VecCap(&v), 0);
    cr_assert_eq(v.allocator, a);
    cr_assert(VecPush(&v, 2));
    cr_assert_eq(VecAt(&v, 0), 2);
    VecDeinit(&v);
    cr_assert_eq(a->stats.bytes_in_use, 0);
    kind->deinit(&where);
}

Test(vec, init_takes_a_typed_allocator_pointer_as_well_as_an_allocator_pointer) {
    PageAllocator page  = PageAllocatorInit();
    Vec(u64)      typed = VecInit(&page);
    Vec(u64)      any   = VecInit(ALLOCATOR_OF(&page));
    cr_assert_eq(typed.allocator, (Allocator *)&page);
    cr_assert_eq(any.allocator, (Allocator *)&page);
    for (u64 i = 0; i < 3000; ++i) cr_assert(VecPush(&typed, i) && VecPush(&any, ~i));
    cr_assert_eq(VecAt(&typed, 2999), 2999);
    cr_assert_eq(VecAt(&any, 0), ~(u64)0);
    cr_assert_geq(AllocatorBytesInUse(&page), (VecCap(&typed) + VecCap(&any)) * sizeof(u64));
    VecDeinit(&typed);
    VecDeinit(&any);
    cr_assert_eq(AllocatorBytesInUse(&page), 0);
    PageAllocatorDeinit(&page);
}

// A vector of a kind deinitialised with the allocator gone: only legal while it never allocated.
Test(vec, empty_vector_may_be_deinitialised_after_its_allocator) {
    KindInstance where;
    Allocator   *a = KINDS[0].init(&where, 0);
    IntVec       v = VecInit(a);
    KINDS[0].deinit(&where);
    VecDeinit(&v);
    cr_assert_null(v.data);
}

static int evaluations;
static int counted(int x) {
    evaluations += 1;
    return x;
}

Test(vec, failed_push_leaves_the_vector_unchanged_and_skips_the_value) {
    KindInstance where;
    Allocator   *a = KINDS[0].init(&where, 0); // the reference kind: fails on cue
    cr_assert(KINDS[0].flags & KIND_REFERENCE);
    IntVec v = VecInit(a);
    for (int i = 0; i < 4; ++i) cr_assert(VecPush(&v, i));
    cr_assert_eq(VecCap(&v), 4);
    int *data = v.data;
    kind_reference_fail_after(a, 0);
    evaluations = 0;
    cr_assert_eq(VecPush(&v, counted(99)), 0);
    cr_assert_eq(evaluations, 0, "the value is not evaluated when growth fails");
    cr_assert_eq(v.data, data);
    cr_assert_eq(VecLen(&v), 4);
    cr_assert_eq(VecCap(&v), 4);
    for (int i = 0; i < 4; ++i) cr_assert_eq(VecAt(&v, i), i);
    cr_assert_eq(VecReserve(&v, 100), 0);
    cr_assert_eq(VecCap(&v), 4);
    kind_reference_fail_after(a, -1);
    cr_assert(VecPush(&v, counted(4)));
    cr_assert_eq(evaluations, 1);
    cr_assert_eq(VecAt(&v, 4), 4);
    VecDeinit(&v);
    KINDS[0].deinit(&where);
}

Test(vec, growth_settles_for_the_exact_capacity_when_doubling_fails) {
    KindInstance where;
    Allocator   *a = KINDS[0].init(&where, 0);
    IntVec       v = VecInit(a);
    for (int i = 0; i < 4; ++i) cr_assert(VecPush(&v, i));
    kind_reference_fail_after(a, 0);
    cr_assert_eq(VecReserve(&v, 5), 0);
    kind_reference_fail_after(a, -1);
    cr_assert(VecReserve(&v, 5));
    cr_assert_geq(VecCap(&v), 5);
    VecDeinit(&v);
    KINDS[0].deinit(&where);
}

Test(vec, reserve_whose_byte_size_overflows_fails_without_calling_the_allocator) {
    KindInstance where;
    Allocator   *a = KINDS[0].init(&where, 0);
    IntVec       v = VecInit(a);
    cr_assert(VecPush(&v, 1));
    AllocatorStats before = a->stats;
    cr_assert_eq(VecReserve(&v, SIZE_MAX / 2), 0);
    cr_assert_eq(a->stats.failed_allocations, before.failed_allocations);
    cr_assert_eq(VecLen(&v), 1);
    cr_assert_eq(VecAt(&v, 0), 1);
    VecDeinit(&v);
    KINDS[0].deinit(&where);
}

static KindInstance doomed;
static IntVec       doomed_vec;

static void at_past_the_end(void) {
    doomed_vec = (IntVec)VecInit(KINDS[0].init(&doomed, 0));
    VecPush(&doomed_vec, 1);
    VecPush(&doomed_vec, 2);
    death_note_pointer(&doomed_vec);
    (void)VecAt(&doomed_vec, 2);
}
Test(vec_death, at_past_the_end_aborts) {
    expect_death(at_past_the_end, "alloc: fatal: VecAt: index out of range");
}

static void at_negative_index(void) {
    doomed_vec = (IntVec)VecInit(KINDS[0].init(&doomed, 0));
    VecPush(&doomed_vec, 1);
    death_note_pointer(&doomed_vec);
    (void)VecAt(&doomed_vec, -1);
}
Test(vec_death, at_negative_index_aborts) {
    expect_death(at_negative_index, "alloc: fatal: VecAt: index out of range");
}

static void pop_empty(void) {
    doomed_vec = (IntVec)VecInit(KINDS[0].init(&doomed, 0));
    VecPush(&doomed_vec, 1);
    (void)VecPop(&doomed_vec);
    death_note_pointer(&doomed_vec);
    (void)VecPop(&doomed_vec);
}
Test(vec_death, pop_from_empty_vector_aborts) {
    expect_death(pop_empty, "alloc: fatal: VecPop: pop from empty vector");
}
