// HeapAllocator under allocation-failure injection: segments and class pages for small blocks
// (every size class, more than one page per class), page runs for large blocks, growth from
// small to large by remap, large growth, frees that retain and give back, and Deinit with live
// blocks; replayed once per mapping call with that call failing, plus seeded random failures.
#include "alloc/Heap.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "fault_harness.h"

#include <criterion/criterion.h>

static void check_heap(Allocator *self) { HeapAllocatorCheck((const HeapAllocator *)self); }

enum { SMALL = 600, LARGE = 10 };

static size small_size(int i) { return (size)(i * 97 % (int)HEAP_SMALL_MAX) + 1; }
static size large_size(int i) { return HEAP_SMALL_MAX + (size)i * 50001; }

static void heap_scenario(size alignment) {
    HeapAllocator heap = HeapAllocatorInitAligned(alignment);
    Allocator    *any  = ALLOCATOR_OF(&heap);
    static void  *small[SMALL];
    static void  *large[LARGE];
    static size   large_bytes[LARGE];
    for (int i = 0; i < SMALL; ++i) {
        small[i] = fault_alloc(any, check_heap, small_size(i), (i8)(i & 1));
        if (i == SMALL - 120) fault_checkpoint(); // replay from here
    }
    for (int i = 0; i < LARGE; ++i) {
        large_bytes[i] = large_size(i);
        large[i]       = fault_alloc(any, check_heap, large_bytes[i], (i8)(i & 1));
    }
    for (int i = 0; i < 4; ++i) { // small -> large, large -> larger
        small[i]       = fault_remap(any, check_heap, small[i], small_size(i), 3 * HEAP_SMALL_MAX);
        large[i]       = fault_remap(any, check_heap, large[i], large_bytes[i], 2 * large_bytes[i] + 4096);
        large_bytes[i] = 2 * large_bytes[i] + 4096;
    }
    for (int i = SMALL - 150; i < SMALL; ++i) fault_free(any, check_heap, small[i], small_size(i));
    for (int i = SMALL - 150; i < SMALL; i += 3) small[i] = fault_alloc(any, check_heap, small_size(i), 1);
    for (int i = 0; i < LARGE; i += 2) fault_free(any, check_heap, large[i], large_bytes[i]);
    for (int i = 0; i < LARGE; i += 4) {
        large[i] = fault_alloc(any, check_heap, large_bytes[i], 1);
        fault_free(any, check_heap, large[i], large_bytes[i]);
    }
    HeapAllocatorDeinit(&heap); // most blocks still live
}

static void heap_default_scenario(void) { heap_scenario(16); }
static void heap_over_aligned_scenario(void) { heap_scenario(1 << 13); }

Test(fault_heap, every_failing_call_is_reported_and_recovered) {
    fault_for_each_failing_call(heap_default_scenario, 5);
}

Test(fault_heap, every_failing_call_with_large_alignment_is_reported_and_recovered) {
    fault_for_each_failing_call(heap_over_aligned_scenario, 5);
}

Test(fault_heap, random_failures_never_leak_or_corrupt) {
    for (u64 seed = 1; seed <= 10; ++seed) {
        alloc_fault_reset();
        alloc_fault_fail_random(seed, 200000);
        HeapAllocator heap     = HeapAllocatorInit();
        Allocator    *any      = ALLOCATOR_OF(&heap);
        void         *live[64] = {0};
        size          len[64]  = {0};
        u64           x        = seed;
        for (int op = 0; op < 400; ++op) {
            x          = x * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned k = (unsigned)(x >> 33) % 64;
            size     n = (x >> 40) % 8 ? (x >> 20) % 9000 + 1 : (x >> 20) % 600000 + 1;
            if (!live[k]) {
                live[k] = fault_alloc(any, check_heap, n, (i8)(x >> 50 & 1));
                len[k]  = n;
            } else if ((x >> 45) % 3 == 0) {
                live[k] = fault_remap(any, check_heap, live[k], len[k], n);
                len[k]  = n;
            } else {
                fault_free(any, check_heap, live[k], len[k]);
                live[k] = NULL;
            }
        }
        FAULT_EXPECT(alloc_fault_failures() > 0, "seed %llu injected nothing", (unsigned long long)seed);
        HeapAllocatorDeinit(&heap);
        FAULT_EXPECT(alloc_fault_mapped_bytes() == 0, "seed %llu leaked", (unsigned long long)seed);
    }
}
