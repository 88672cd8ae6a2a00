// PageAllocator under allocation-failure injection: its multi-allocation paths (live-table
// growth by remap, retained-table creation and growth, mremap growth of blocks, over-aligned
// mappings and moves) replayed once per mapping call with that call failing, plus seeded random
// failures. Each failure must be reported (NULL, failed_allocations), PageAllocatorCheck must
// pass, a retry must succeed, and Deinit must leave no OS memory mapped.
#include "alloc/Page.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "fault_harness.h"

#include <criterion/criterion.h>

static void check_page(Allocator *self) { PageAllocatorCheck((PageAllocator *)self); }

enum { BLOCKS = 300 }; // more rows than one page of the live table holds (256)

static size page_bytes(void) {
    PageAllocator probe = PageAllocatorInit();
    size          page  = PageAllocatorPageSize(&probe);
    PageAllocatorDeinit(&probe);
    return page;
}

// Table growth, block growth and shrink, retention and reuse, all on one allocator.
static void page_tables_scenario(void) {
    size          ps    = page_bytes();
    PageAllocator pages = PageAllocatorInit();
    Allocator    *any   = ALLOCATOR_OF(&pages);
    static void  *blocks[BLOCKS];
    static size   sizes[BLOCKS];
    for (int i = 0; i < BLOCKS; ++i) {
        sizes[i]  = i % 50 ? ps - 7 : 3 * ps; // mostly one page: replays stay cheap
        blocks[i] = fault_alloc(any, check_page, sizes[i], (i8)(i & 1));
        if (i == 240) fault_checkpoint(); // replay from here: the live table is nearly full
    }
    blocks[0] = fault_remap(any, check_page, blocks[0], sizes[0], 40 * ps); // mremap growth
    sizes[0]  = 40 * ps;
    blocks[2] = fault_remap(any, check_page, blocks[2], sizes[2], ps / 2); // shrink: no mapping
    sizes[2]  = ps / 2;
    sizes[5]  = fault_resize(any, check_page, blocks[5], sizes[5], sizes[5] + ps);
    for (int i = 0; i < BLOCKS; i += 2) fault_free(any, check_page, blocks[i], sizes[i]); // retain
    for (int i = 0; i < BLOCKS; i += 2) blocks[i] = fault_alloc(any, check_page, sizes[i], 1); // reuse
    for (int i = 0; i < BLOCKS; ++i) fault_free(any, check_page, blocks[i], sizes[i]);
    PageAllocatorDeinit(&pages);
}

// Alignment above the page size: alloc_os_map_aligned, and growth by block_move (map + copy).
static void page_aligned_scenario(void) {
    size          ps      = page_bytes();
    PageAllocator aligned = PageAllocatorInitAligned(16 * ps);
    Allocator    *any     = ALLOCATOR_OF(&aligned);
    void         *a       = fault_alloc(any, check_page, ps, 0);
    void         *b       = fault_alloc(any, check_page, 3 * ps, 1);
    b                     = fault_remap(any, check_page, b, 3 * ps, 20 * ps);
    fault_free(any, check_page, a, ps);
    a = fault_alloc(any, check_page, ps, 1);
    fault_free(any, check_page, a, ps);
    fault_free(any, check_page, b, 20 * ps);
    PageAllocatorDeinit(&aligned);
}

// Leaks: blocks still live at Deinit must be unmapped too, after failures in between.
static void page_leak_scenario(void) {
    size          ps    = page_bytes();
    PageAllocator pages = PageAllocatorInit();
    Allocator    *any   = ALLOCATOR_OF(&pages);
    void         *kept  = NULL;
    for (int i = 0; i < 270; ++i) {
        kept = fault_alloc(any, check_page, ps, 0);
        if (i == 250) fault_checkpoint();
    }
    kept = fault_remap(any, check_page, kept, ps, 9 * ps);
    (void)kept;
    PageAllocatorDeinit(&pages);
}

Test(fault_page, every_failing_call_in_table_growth_is_reported_and_recovered) {
    fault_for_each_failing_call(page_tables_scenario, 40);
}

Test(fault_page, every_failing_call_with_over_page_alignment_is_reported_and_recovered) {
    fault_for_each_failing_call(page_aligned_scenario, 4);
}

Test(fault_page, every_failing_call_before_deinit_of_leaked_blocks_leaves_nothing_mapped) {
    fault_for_each_failing_call(page_leak_scenario, 20);
}

// Seeded random failures over a long mixed sequence: nothing leaks, every NULL is explained.
Test(fault_page, random_failures_never_leak_or_corrupt) {
    size ps = page_bytes();
    for (u64 seed = 1; seed <= 12; ++seed) {
        alloc_fault_reset();
        alloc_fault_fail_random(seed, 150000);
        PageAllocator pages = PageAllocatorInit();
        Allocator    *any   = ALLOCATOR_OF(&pages);
        void         *live[64] = {0};
        size          len[64]  = {0};
        u64           x        = seed;
        for (int op = 0; op < 600; ++op) {
            x          = x * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned k = (unsigned)(x >> 33) % 64;
            size     n = ((x >> 20) % 5 + 1) * ps - (x >> 40) % 100;
            if (!live[k]) {
                live[k] = fault_alloc(any, check_page, n, (i8)(x >> 50 & 1));
                len[k]  = n;
            } else if ((x >> 45) % 3 == 0) {
                live[k] = fault_remap(any, check_page, live[k], len[k], n * 3);
                len[k]  = n * 3;
            } else {
                fault_free(any, check_page, live[k], len[k]);
                live[k] = NULL;
            }
        }
        FAULT_EXPECT(alloc_fault_failures() > 0, "seed %llu injected nothing", (unsigned long long)seed);
        PageAllocatorDeinit(&pages);
        cr_assert_eq(alloc_fault_mapped_bytes(), 0, "seed %llu leaked", (unsigned long long)seed);
    }
}

// The dynamic path with ALLOCATOR_EFFORT_RETRY hides a one-shot failure but still counts it.
Test(fault_page, retry_effort_absorbs_one_injected_failure) {
    alloc_fault_reset();
    PageAllocator pages = PageAllocatorInit();
    pages.base.effort   = ALLOCATOR_EFFORT_RETRY;
    Allocator *any      = ALLOCATOR_OF(&pages);
    alloc_fault_fail_nth(1);
    void *block = AllocatorAlloc(any, 100, 1);
    cr_assert_not_null(block);
    cr_assert_eq(alloc_fault_failures(), 1);
    cr_assert_eq(AllocatorFailedAllocations(&pages), 0); // retried and succeeded: not a failed allocation
    cr_assert_eq(AllocatorAllocations(&pages), 1);
    AllocatorFree(any, block);
    PageAllocatorCheck(&pages);
    PageAllocatorDeinit(&pages);
    cr_assert_eq(alloc_fault_mapped_bytes(), 0);
}

// With ALLOCATOR_EFFORT_ONCE the same failure reaches the caller.
Test(fault_page, once_effort_reports_the_injected_failure) {
    alloc_fault_reset();
    PageAllocator pages = PageAllocatorInit();
    alloc_fault_fail_nth(1);
    cr_assert_null(AllocatorAlloc(ALLOCATOR_OF(&pages), 100, 1));
    cr_assert_eq(AllocatorFailedAllocations(&pages), 1);
    cr_assert_eq(AllocatorFootprintBytes(&pages), 0);
    PageAllocatorCheck(&pages);
    PageAllocatorDeinit(&pages);
}
