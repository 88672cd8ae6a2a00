// The conformance suite: one contract, every allocator. Each test runs once per entry of the
// kinds table (kinds.h) through `Allocator *` (and through the typed entry points where the
// test compares the two paths), so every kind is held to the same rules: zero-size, zero-fill
// on every path, alignment, resize/remap semantics, byte counts, stats, footprint and Deinit.
#include "kinds.h"

#include "death.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>    // ENOMEM from mincore
#include <stdio.h>    // snprintf
#include <stdint.h>   // SIZE_MAX
#include <string.h>   // memset, memcmp
#include <sys/mman.h> // mincore: is a page still mapped after Deinit?
#include <unistd.h>   // sysconf

// One parameterized test per contract rule, instantiated for every kind.
#define CONFORMANCE_TEST(name)                                                                     \
    ParameterizedTestParameters(conformance, name) {                                               \
        return cr_make_param_array(size, (void *)KIND_INDICES, KIND_COUNT, NULL);                  \
    }                                                                                              \
    static void name##_body(const Kind *kind);                                                     \
    ParameterizedTest(const size *index, conformance, name) { name##_body(&KINDS[*index]); }            \
    static void name##_body(const Kind *kind)

static size page_size(void) { return (size)sysconf(_SC_PAGESIZE); }

// Sizes every test walks, cut at the kind's largest block.
static const size SIZES[] = {1, 7, 16, 24, 100, 255, 256, 1000, 4095, 4096, 5000, 70000};
#define FOR_EACH_SIZE(kind, s)                                                                     \
    for (size s##_i = 0, s; s##_i < sizeof SIZES / sizeof SIZES[0] &&                              \
                            (s = SIZES[s##_i]) <= (kind)->max_block;                               \
         ++s##_i)

static bool all_zero(const unsigned char *p, size n) {
    for (size i = 0; i < n; ++i)
        if (p[i]) return false;
    return true;
}

static void fill(void *p, u64 id, size n) {
    for (size i = 0; i < n; ++i) ((unsigned char *)p)[i] = kind_pattern(id, i);
}

static bool intact(const void *p, u64 id, size n) {
    for (size i = 0; i < n; ++i)
        if (((const unsigned char *)p)[i] != kind_pattern(id, i)) return false;
    return true;
}

static size in_use(const Allocator *a) { return a->stats.bytes_in_use; }

CONFORMANCE_TEST(zero_size_returns_null_and_counts_nothing) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    cr_assert_null(kind->typed.allocate(where.bytes, 0, 0), "%s: typed allocate(0)", kind->name);
    cr_assert_null(AllocatorAlloc(a, 0, 1), "%s: dynamic allocate(0)", kind->name);
    AllocatorStats zero = {0};
    cr_assert(memcmp(&a->stats, &zero, sizeof zero) == 0, "%s: allocate(0) counted", kind->name);
    cr_assert_eq(a->footprint_bytes, 0, "%s: Init or allocate(0) mapped memory", kind->name);
    kind->check(&where);
    kind->deinit(&where);
}

CONFORMANCE_TEST(zeroed_is_honoured_on_fresh_and_recycled_memory) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    FOR_EACH_SIZE(kind, s) {
        for (int round = 0; round < 3; ++round) { // round 1+ recycles what round 0 dirtied
            unsigned char *p = AllocatorAlloc(a, s, 1);
            cr_assert_not_null(p, "%s: allocate(%zu)", kind->name, s);
            cr_assert(all_zero(p, s), "%s: %zu bytes not zeroed, round %d", kind->name, s, round);
            memset(p, 0xA5, s);
            AllocatorFree(a, p);
        }
    }
    // Many blocks dirtied then freed, then the same sizes again zeroed: recycled on any kind.
    unsigned char *blocks[16];
    for (int round = 0; round < 2; ++round) {
        for (size i = 0; i < 16; ++i) {
            size s    = 8 + i * 24 <= kind->max_block ? 8 + i * 24 : kind->max_block;
            blocks[i] = AllocatorAlloc(a, s, 1);
            cr_assert_not_null(blocks[i]);
            cr_assert(all_zero(blocks[i], s), "%s: recycled block %zu not zeroed", kind->name, i);
            memset(blocks[i], 0xFF, s);
        }
        for (size i = 16; i-- > 0;) AllocatorFree(a, blocks[i]);
    }
    kind->check(&where);
    kind->deinit(&where);
}

CONFORMANCE_TEST(remap_of_null_allocates_zeroed_memory) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    FOR_EACH_SIZE(kind, s) {
        unsigned char *dirty = AllocatorAlloc(a, s, 0);
        cr_assert_not_null(dirty);
        memset(dirty, 0x5A, s);
        AllocatorFree(a, dirty);
        unsigned char *p = AllocatorRemap(a, NULL, s);
        cr_assert_not_null(p, "%s: remap(NULL, %zu)", kind->name, s);
        cr_assert(all_zero(p, s), "%s: remap(NULL, %zu) not zeroed", kind->name, s);
        cr_assert_eq(AllocatorFree(a, p) > 0, 1);
    }
    cr_assert_eq(a->stats.allocations, a->stats.deallocations);
    kind->check(&where);
    kind->deinit(&where);
}

CONFORMANCE_TEST(reset_keeps_honouring_zeroed) {
    if (!kind->reset) return; // only kinds with a Reset (Arena)
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    for (int round = 0; round < 3; ++round) {
        FOR_EACH_SIZE(kind, s) {
            unsigned char *p = AllocatorAlloc(a, s, 1);
            cr_assert_not_null(p);
            cr_assert(all_zero(p, s), "%s: %zu bytes after reset not zeroed", kind->name, s);
            memset(p, 0xEE, s);
        }
        kind->reset(&where);
        kind->check(&where);
    }
    kind->deinit(&where);
}

CONFORMANCE_TEST(every_power_of_two_alignment_holds) {
    size limit = kind->max_alignment < 16 * page_size() ? kind->max_alignment : 16 * page_size();
    for (size align = 1; align <= limit; align *= 2) {
        KindInstance where;
        Allocator   *a = kind->init(&where, align);
        cr_assert(a->alignment >= align && (a->alignment & (a->alignment - 1)) == 0,
                  "%s: InitAligned(%zu) gave alignment %zu", kind->name, align, a->alignment);
        const size sizes[] = {1, align, align + align / 2 + 1, 100, 3000};
        void      *live[5] = {0};
        for (size i = 0; i < 5; ++i) {
            if (sizes[i] > kind->max_block) continue;
            live[i] = AllocatorAlloc(a, sizes[i], 0);
            cr_assert_not_null(live[i], "%s: allocate(%zu) at alignment %zu", kind->name,
                               sizes[i], align);
            cr_assert_eq((uintptr_t)live[i] % a->alignment, 0, "%s: %p not aligned to %zu",
                         kind->name, live[i], a->alignment);
        }
        size last = 5; // the most recent block: the one every kind (Arena too) can remap
        while (last > 0 && !live[last - 1]) --last;
        if (last > 0 && 2 * align + 3000 <= kind->max_block) { // a moved block keeps alignment
            void *moved = AllocatorRemap(a, live[last - 1], 2 * align + 3000);
            cr_assert_not_null(moved);
            cr_assert_eq((uintptr_t)moved % a->alignment, 0, "%s: remap lost alignment %zu",
                         kind->name, a->alignment);
            live[last - 1] = moved;
        }
        kind->check(&where);
        for (size i = 5; i-- > 0;) AllocatorFree(a, live[i]);
        kind->deinit(&where);
    }
}

// Resize to `new_size` on `ops`: never moves; on 0 the block and the stats are exactly as before.
static void check_resize(const Kind *kind, const KindOps *ops, KindInstance *where, size old_size,
                         size new_size) {
    Allocator     *a = (Allocator *)where->bytes;
    unsigned char *p = ops->allocate(where->bytes, old_size, 0);
    cr_assert_not_null(p);
    fill(p, old_size, old_size);
    AllocatorStats before = a->stats;
    if (ops->resize(where->bytes, p, new_size)) {
        size kept = old_size < new_size ? old_size : new_size;
        cr_assert(intact(p, old_size, kept), "%s: resize %zu -> %zu lost bytes", kind->name,
                  old_size, new_size);
        memset(p, 0x11, new_size); // the whole new size is usable in place
        cr_assert_eq(a->stats.reallocations, before.reallocations + 1);
        size now      = in_use(a);
        size released = ops->deallocate(where->bytes, p);
        cr_assert_eq(now - in_use(a), released, "%s: deallocate after resize", kind->name);
    } else {
        cr_assert(intact(p, old_size, old_size), "%s: failed resize %zu -> %zu touched the block",
                  kind->name, old_size, new_size);
        cr_assert_eq(a->stats.bytes_in_use, before.bytes_in_use, "%s: failed resize counted",
                     kind->name);
        cr_assert_eq(a->stats.reallocations, before.reallocations);
        size released = ops->deallocate(where->bytes, p);
        cr_assert_eq(before.bytes_in_use - in_use(a), released);
    }
}

CONFORMANCE_TEST(resize_never_moves_and_a_refusal_leaves_the_block_as_it_was) {
    KindInstance where;
    kind->init(&where, 0);
    const KindOps *paths[] = {&kind->typed, &KIND_DYNAMIC_OPS};
    for (size k = 0; k < 2; ++k) {
        FOR_EACH_SIZE(kind, s) {
            if (2 * s + 1 <= kind->max_block) check_resize(kind, paths[k], &where, s, 2 * s + 1);
            if (s + 1 <= kind->max_block) check_resize(kind, paths[k], &where, s, s + 1);
            if (s > 1) check_resize(kind, paths[k], &where, s, s / 2);
        }
    }
    cr_assert_eq(((Allocator *)where.bytes)->stats.bytes_in_use, 0);
    kind->check(&where);
    kind->deinit(&where);
}

CONFORMANCE_TEST(remap_keeps_the_smaller_of_old_and_new_sizes) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    FOR_EACH_SIZE(kind, s) {
        unsigned char *p = AllocatorAlloc(a, s, 0);
        cr_assert_not_null(p);
        fill(p, s, s);
        size grown = 3 * s + 5 <= kind->max_block ? 3 * s + 5 : kind->max_block;
        unsigned char *q = AllocatorRemap(a, p, grown);
        cr_assert_not_null(q, "%s: remap %zu -> %zu", kind->name, s, grown);
        cr_assert(intact(q, s, s), "%s: remap %zu -> %zu lost bytes", kind->name, s, grown);
        memset(q + s, 0x22, grown - s);
        size shrunk = s > 1 ? s / 2 : 1;
        unsigned char *r = AllocatorRemap(a, q, shrunk);
        cr_assert_not_null(r, "%s: remap %zu -> %zu", kind->name, grown, shrunk);
        cr_assert(intact(r, s, shrunk), "%s: remap %zu -> %zu lost bytes", kind->name, grown,
                  shrunk);
        kind->check(&where);
        u64 deallocations = a->stats.deallocations;
        cr_assert_null(AllocatorRemap(a, r, 0), "%s: remap(p, 0) must return NULL", kind->name);
        cr_assert_eq(a->stats.deallocations, deallocations + 1, "%s: remap(p, 0) did not free",
                     kind->name);
        cr_assert_eq(in_use(a), 0, "%s: remap(p, 0) left bytes in use", kind->name);
    }
    kind->check(&where);
    kind->deinit(&where);
}

// Too large is not an error: NULL (or 0) and a failed_allocations count, the block untouched.
static void expect_refused(const Kind *kind, Allocator *a, size too_big) {
    unsigned char *p = AllocatorAlloc(a, 64, 0);
    cr_assert_not_null(p);
    fill(p, 64, 64);
    AllocatorStats before = a->stats;
    cr_assert_null(AllocatorAlloc(a, too_big, 0), "%s: allocate(%zu)", kind->name, too_big);
    cr_assert_gt(a->stats.failed_allocations, before.failed_allocations,
                 "%s: a refused allocate(%zu) must count a failure", kind->name, too_big);
    cr_assert_eq(AllocatorResize(a, p, too_big), 0, "%s: resize to %zu", kind->name, too_big);
    cr_assert_null(AllocatorRemap(a, p, too_big), "%s: remap to %zu", kind->name, too_big);
    cr_assert(intact(p, 64, 64), "%s: a refused resize or remap touched the block", kind->name);
    cr_assert_eq(a->stats.bytes_in_use, before.bytes_in_use);
    cr_assert_eq(a->stats.allocations, before.allocations);
    cr_assert_eq(a->stats.reallocations, before.reallocations);
    kind->check((KindInstance *)a);
    cr_assert_gt(AllocatorFree(a, p), 0);
}

CONFORMANCE_TEST(too_large_requests_return_null_and_count_a_failure) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    expect_refused(kind, a, SIZE_MAX / 2);
    expect_refused(kind, a, SIZE_MAX - 4096);
    if (kind->max_block < ((size)1 << 30)) expect_refused(kind, a, 2 * kind->max_block + 1);
    cr_assert_eq(in_use(a), 0);
    kind->deinit(&where);
}

CONFORMANCE_TEST(deallocate_returns_exactly_the_stats_change) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    const KindOps *paths[] = {&kind->typed, &KIND_DYNAMIC_OPS};
    for (size k = 0; k < 2; ++k) {
        void *keep = paths[k]->allocate(where.bytes, 40, 0); // something else stays live
        cr_assert_not_null(keep);
        FOR_EACH_SIZE(kind, s) {
            size  before    = in_use(a);
            void *p         = paths[k]->allocate(where.bytes, s, 0);
            size  effective = in_use(a) - before;
            cr_assert_not_null(p);
            cr_assert_geq(effective, s, "%s: effective size %zu < requested %zu", kind->name,
                          effective, s);
            size released = paths[k]->deallocate(where.bytes, p);
            cr_assert_eq(released, effective, "%s: deallocate returned %zu, stats counted %zu",
                         kind->name, released, effective);
            cr_assert_eq(in_use(a), before);
        }
        AllocatorStats before = a->stats;
        cr_assert_eq(paths[k]->deallocate(where.bytes, NULL), 0);
        cr_assert(memcmp(&before, &a->stats, sizeof before) == 0, "%s: free(NULL) counted",
                  kind->name);
        paths[k]->deallocate(where.bytes, keep); // a LIFO kind cannot: keep is not the last
        if (kind->flags & KIND_LIFO_ONLY) kind->reset(&where);
    }
    cr_assert_eq(in_use(a), 0);
    kind->check(&where);
    kind->deinit(&where);
}

// The same calls on a fresh instance through `ops`; returns the stats before the last free.
// Every resize and remap targets the most recent block, so a LIFO kind (Arena) runs it too.
static AllocatorStats stats_script(const Kind *kind, const KindOps *ops, size *footprint) {
    KindInstance where;
    Allocator   *a    = kind->init(&where, 0);
    void        *self = where.bytes;
    size         cap  = kind->max_block;
    cr_assert_null(ops->allocate(self, 0, 0));
    void *b0 = ops->allocate(self, 24 < cap ? 24 : cap, 1);
    void *b1 = ops->allocate(self, 200 < cap ? 200 : cap, 0);
    ops->resize(self, b1, 210 < cap ? 210 : cap);
    ops->resize(self, b1, 100);
    b1       = ops->remap(self, b1, 9000 < cap ? 9000 : cap);
    void *b2 = ops->remap(self, NULL, 64 < cap ? 64 : cap);
    b2       = ops->remap(self, b2, 8);
    ops->deallocate(self, b0); // not the most recent: a no-op on Arena, a free elsewhere
    ops->deallocate(self, NULL);
    cr_assert_null(ops->remap(self, b2, 0));
    void *b3 = ops->allocate(self, 3, 1);
    ops->deallocate(self, b3);
    cr_assert(b0 && b1 && b3, "%s: the script's allocations must succeed", kind->name);
    kind->check(&where);
    AllocatorStats stats = a->stats;
    *footprint           = a->footprint_bytes;
    ops->deallocate(self, b1);
    kind->deinit(&where);
    return stats;
}

CONFORMANCE_TEST(typed_and_dynamic_paths_count_the_same) {
    size           typed_footprint, dynamic_footprint;
    AllocatorStats typed   = stats_script(kind, &kind->typed, &typed_footprint);
    AllocatorStats dynamic = stats_script(kind, &KIND_DYNAMIC_OPS, &dynamic_footprint);
    cr_assert_eq(typed.bytes_requested, dynamic.bytes_requested, "%s", kind->name);
    cr_assert_eq(typed.bytes_in_use, dynamic.bytes_in_use, "%s", kind->name);
    cr_assert_eq(typed.peak_bytes_in_use, dynamic.peak_bytes_in_use, "%s", kind->name);
    cr_assert_eq(typed.allocations, dynamic.allocations, "%s", kind->name);
    cr_assert_eq(typed.reallocations, dynamic.reallocations, "%s", kind->name);
    cr_assert_eq(typed.deallocations, dynamic.deallocations, "%s", kind->name);
    cr_assert_eq(typed.failed_allocations, dynamic.failed_allocations, "%s", kind->name);
    cr_assert_eq(typed_footprint, dynamic_footprint, "%s", kind->name);
    cr_assert_eq(typed.allocations, 4, "%s: 3 allocations and a remap of NULL", kind->name);
    if (!(kind->flags & KIND_LIFO_ONLY))
        cr_assert_eq(typed.deallocations, 3, "%s: 2 frees and a remap to 0", kind->name);
    cr_assert_geq(typed.peak_bytes_in_use, typed.bytes_in_use);
}

CONFORMANCE_TEST(peak_follows_the_highest_bytes_in_use) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    void        *p = AllocatorAlloc(a, 100, 0);
    void        *q = AllocatorAlloc(a, 100, 0);
    size         high = in_use(a);
    AllocatorFree(a, q);
    cr_assert_eq(a->stats.peak_bytes_in_use, high, "%s", kind->name);
    AllocatorResetStats(a);
    cr_assert_eq(a->stats.peak_bytes_in_use, in_use(a), "%s", kind->name);
    AllocatorFree(a, p);
    kind->deinit(&where);
}

// Allocate a varied set, free it all; four rounds. A flagged kind settles: its footprint after
// the 4th round is what it was after the 3rd (caches and quarantines are full by then).
CONFORMANCE_TEST(footprint_returns_to_its_start_after_frees) {
    KindInstance where;
    Allocator   *a = kind->init(&where, 0);
    cr_assert_eq(a->footprint_bytes, 0, "%s: Init must not map memory", kind->name);
    size after[4];
    for (int round = 0; round < 4; ++round) {
        void *blocks[64];
        for (size i = 0; i < 64; ++i) {
            size s    = (i * 97) % 3000 + 1;
            blocks[i] = AllocatorAlloc(a, s <= kind->max_block ? s : kind->max_block, 0);
            cr_assert_not_null(blocks[i]);
        }
        for (size i = 0; i < 64; ++i) AllocatorFree(a, blocks[(i * 37) % 64]);
        if (kind->flags & KIND_LIFO_ONLY) kind->reset(&where); // most frees were no-ops
        after[round] = a->footprint_bytes;
        cr_assert_eq(in_use(a), 0);
    }
    if (kind->flags & KIND_FOOTPRINT_RETURNS)
        cr_assert_eq(after[3], after[2], "%s: footprint grew from %zu to %zu over a same round",
                     kind->name, after[2], after[3]);
    kind->deinit(&where);
    cr_assert_eq(a->footprint_bytes, 0);
}

// Deinit releases every byte, leaked blocks included: their pages are no longer mapped.
CONFORMANCE_TEST(deinit_unmaps_leaked_blocks_and_zeroes_the_struct) {
    KindInstance where;
    memset(&where, 0x77, sizeof where);
    Allocator *a = kind->init(&where, 0);
    void      *leaked[6];
    const size sizes[6] = {1, 64, 4000, 4096, 20000, 300000};
    for (size i = 0; i < 6; ++i) {
        size s    = sizes[i] <= kind->max_block ? sizes[i] : kind->max_block;
        leaked[i] = AllocatorAlloc(a, s, 1);
        cr_assert_not_null(leaked[i]);
    }
    kind->deinit(&where);
    for (size i = 0; i < kind->struct_size; ++i)
        cr_assert_eq(where.bytes[i], 0, "%s: byte %zu of the struct not zeroed by Deinit",
                     kind->name, i);
    if (!(kind->flags & KIND_OS_BACKED)) return;
    for (size i = 0; i < 6; ++i) {
        unsigned char  residency;
        uintptr_t      page = (uintptr_t)leaked[i] & ~(uintptr_t)(page_size() - 1);
        cr_assert_eq(mincore((void *)page, page_size(), &residency), -1,
                     "%s: leaked block %p still mapped after Deinit", kind->name, leaked[i]);
        cr_assert_eq(errno, ENOMEM);
    }
}

// --- misuse every kind must catch ----------------------------------------------------------

static const Kind  *victim_kind;
static KindInstance victim;

static void allocate_after_deinit(void) {
    victim_kind->init(&victim, 0);
    victim_kind->deinit(&victim);
    death_note_pointer(victim.bytes);
    AllocatorAlloc((Allocator *)victim.bytes, 8, 0);
}

static void typed_allocate_after_deinit(void) {
    victim_kind->init(&victim, 0);
    victim_kind->deinit(&victim);
    death_note_pointer(victim.bytes);
    victim_kind->typed.allocate(victim.bytes, 8, 0);
}

// A header corrupted after Init, met through `Allocator *`: every kind, whether its entries
// validate themselves or the dynamic path validates for them, names the dynamic function.
static void allocate_with_unknown_magic(void) {
    Allocator *a = victim_kind->init(&victim, 0);
    a->magic     = 0x1234;
    death_note_pointer(a);
    AllocatorAlloc(a, 8, 0);
}

static void free_with_unknown_magic(void) {
    Allocator *a = victim_kind->init(&victim, 0);
    a->magic     = 0x1234;
    death_note_pointer(a);
    AllocatorFree(a, NULL);
}

static void first_allocation_with_bad_alignment(void) {
    Allocator *a = victim_kind->init(&victim, 0);
    a->alignment = 24;
    death_note_pointer(a);
    AllocatorAlloc(a, 8, 0);
}

static void free_a_stack_pointer(void) {
    Allocator *a     = victim_kind->init(&victim, 0);
    void      *block = AllocatorAlloc(a, 32, 0); // so the kind has tables to search
    char       local[64];
    (void)block;
    death_note_pointer(local + 16);
    victim_kind->typed.deallocate(victim.bytes, local + 16);
}

static void free_twice(void) {
    Allocator *a     = victim_kind->init(&victim, 0);
    void      *keep  = AllocatorAlloc(a, 32, 0);
    void      *block = AllocatorAlloc(a, 32, 0);
    (void)keep;
    victim_kind->typed.deallocate(victim.bytes, block);
    death_note_pointer(block);
    victim_kind->typed.deallocate(victim.bytes, block);
}

static char expected[256];

CONFORMANCE_TEST(use_after_deinit_aborts_as_uninitialised) {
    victim_kind = kind;
    expect_death(allocate_after_deinit,
                 "alloc: fatal: allocator_alloc_dyn: uninitialised allocator");
    if (kind->flags & KIND_REFERENCE) return; // its typed path does not check the header
    snprintf(expected, sizeof expected, "alloc: fatal: %s_allocate: uninitialised allocator",
             kind->fn_prefix);
    expect_death(typed_allocate_after_deinit, expected);
}

CONFORMANCE_TEST(a_corrupted_header_through_the_base_aborts_naming_the_dynamic_path) {
    victim_kind = kind;
    expect_death(allocate_with_unknown_magic,
                 "alloc: fatal: allocator_alloc_dyn: unknown allocator type");
    expect_death(free_with_unknown_magic, "alloc: fatal: allocator_free_dyn: unknown allocator type");
    expect_death(first_allocation_with_bad_alignment,
                 "alloc: fatal: allocator_alloc_dyn: corrupted allocator: alignment is not a power "
                 "of two");
}

CONFORMANCE_TEST(freeing_a_stack_pointer_aborts_as_foreign) {
    if (!(kind->flags & KIND_DETECTS_FOREIGN)) return;
    victim_kind = kind;
    snprintf(expected, sizeof expected, "alloc: fatal: %s_deallocate: foreign pointer",
             kind->fn_prefix);
    expect_death(free_a_stack_pointer, expected);
}

CONFORMANCE_TEST(double_free_aborts) {
    if (!(kind->flags & KIND_DETECTS_DOUBLE_FREE)) return;
    victim_kind = kind;
    snprintf(expected, sizeof expected, "alloc: fatal: %s_deallocate: double free",
             kind->fn_prefix);
    expect_death(free_twice, expected);
}
