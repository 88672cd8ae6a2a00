// SlabAllocator under allocation-failure injection: the first slab and its tables, then table
// growth (slab list, address index rebuild, live bitmaps, free-id stack) as slabs are added,
// over-aligned slabs, and Deinit with live slots; replayed once per mapping call with that call
// failing, plus seeded random failures.
#include "alloc/Slab.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "fault_harness.h"

#include <criterion/criterion.h>

static void check_slab(Allocator *self) { SlabAllocatorCheck((const SlabAllocator *)self); }

enum { SLOTS_MAX = 1040 };

// `count` slots of `slot` bytes; the part after `checkpoint` slots is replayed per failing call.
static void slab_scenario(size alignment, size slot, int count, int checkpoint) {
    SlabAllocator slab = SlabAllocatorInitAligned(alignment, slot);
    Allocator    *any  = ALLOCATOR_OF(&slab);
    static void  *slots[SLOTS_MAX];
    for (int i = 0; i < count; ++i) {
        slots[i] = fault_alloc(any, check_slab, slot - (size)(i % 7), (i8)(i & 1));
        if (i == checkpoint) fault_checkpoint();
    }
    int tail = count - 40; // free and reuse slots of the last slabs, then leave the rest live
    for (int i = tail; i < count; i += 2) fault_free(any, check_slab, slots[i], slot - (size)(i % 7));
    for (int i = tail; i < count; i += 2) slots[i] = fault_alloc(any, check_slab, slot - (size)(i % 7), 1);
    slots[1] = fault_remap(any, check_slab, slots[1], slot - 1, slot / 2); // within the slot
    fault_free(any, check_slab, slots[1], slot / 2);
    for (int i = tail; i < count; ++i) fault_free(any, check_slab, slots[i], slot - (size)(i % 7));
    SlabAllocatorDeinit(&slab); // slots 0 .. tail - 1 (but 1) are live
}

// 16 KiB slots, 4 per 64 KiB slab: 260 slabs outgrow the first page of the slab table.
static void slab_table_growth_scenario(void) { slab_scenario(16, 16 << 10, SLOTS_MAX, 1000); }
static void slab_over_aligned_scenario(void) { slab_scenario(1 << 13, 3000, 80, 8); } // 8 per slab

Test(fault_slab, every_failing_call_in_table_growth_is_reported_and_recovered) {
    fault_for_each_failing_call(slab_table_growth_scenario, 10);
}

Test(fault_slab, every_failing_call_with_over_page_alignment_is_reported_and_recovered) {
    fault_for_each_failing_call(slab_over_aligned_scenario, 5);
}

Test(fault_slab, random_failures_never_leak_or_corrupt) {
    for (u64 seed = 1; seed <= 10; ++seed) {
        alloc_fault_reset();
        alloc_fault_fail_random(seed, 200000);
        SlabAllocator slab     = SlabAllocatorInit(200);
        Allocator    *any      = ALLOCATOR_OF(&slab);
        void         *live[96] = {0};
        u64           x        = seed;
        for (int op = 0; op < 800; ++op) {
            x          = x * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned k = (unsigned)(x >> 33) % 96;
            if (!live[k]) live[k] = fault_alloc(any, check_slab, 200, (i8)(x >> 50 & 1));
            else {
                fault_free(any, check_slab, live[k], 200);
                live[k] = NULL;
            }
        }
        FAULT_EXPECT(alloc_fault_failures() > 0, "seed %llu injected nothing", (unsigned long long)seed);
        SlabAllocatorDeinit(&slab);
        FAULT_EXPECT(alloc_fault_mapped_bytes() == 0, "seed %llu leaked", (unsigned long long)seed);
    }
}
