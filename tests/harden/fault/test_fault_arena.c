// ArenaAllocator under allocation-failure injection: the chunk table mapped at first use, new
// chunks (doubling, and dedicated ones for big blocks), growth of the most recent block into a
// new chunk (remap = new chunk + copy), Reset keeping chunks, and Deinit with live blocks;
// replayed once per mapping call with that call failing, plus seeded random failures.
#include "alloc/Arena.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "fault_harness.h"

#include <criterion/criterion.h>

static void check_arena(Allocator *self) { ArenaAllocatorCheck((ArenaAllocator *)self); }

// A block of the arena that is no longer the most recent one: freeing it must change nothing.
static void free_older(Allocator *any, void *ptr) {
    u64 deallocations = any->stats.deallocations;
    FAULT_EXPECT(any->deallocate(any, ptr) == 0, "freeing an older block released it");
    FAULT_EXPECT(any->stats.deallocations == deallocations, "freeing an older block was counted");
    check_arena(any);
}

static void arena_scenario(size alignment) {
    ArenaAllocator arena = ArenaAllocatorInitAlignedChunk(alignment, 4096);
    Allocator     *any   = ALLOCATOR_OF(&arena);
    void          *older = NULL;
    for (int round = 0; round < 2; ++round) { // the second round runs on the chunks Reset kept
        void *blocks[24];
        for (int i = 0; i < 24; ++i) blocks[i] = fault_alloc(any, check_arena, (size)(i * 211 % 3000 + 1), (i8)(i & 1));
        older     = blocks[3];
        void *big = fault_alloc(any, check_arena, 100000, 1); // a chunk of its own
        big       = fault_remap(any, check_arena, big, 100000, 300000); // the most recent block grows
        size kept = fault_resize(any, check_arena, big, 300000, 1000);
        fault_free(any, check_arena, big, kept);
        free_older(any, older);
        void *last = fault_alloc(any, check_arena, 500, 0);
        last       = fault_remap(any, check_arena, last, 500, 20000);
        fault_free(any, check_arena, last, 20000);
        ArenaAllocatorReset(&arena);
        check_arena(any);
    }
    (void)fault_alloc(any, check_arena, 77, 1); // live at Deinit
    ArenaAllocatorDeinit(&arena);
}

static void arena_default_scenario(void) { arena_scenario(16); }
static void arena_over_aligned_scenario(void) { arena_scenario(1 << 16); }

Test(fault_arena, every_failing_call_is_reported_and_recovered) {
    fault_for_each_failing_call(arena_default_scenario, 6);
}

Test(fault_arena, every_failing_call_with_over_page_alignment_is_reported_and_recovered) {
    fault_for_each_failing_call(arena_over_aligned_scenario, 6);
}

Test(fault_arena, random_failures_never_leak_or_corrupt) {
    for (u64 seed = 1; seed <= 10; ++seed) {
        alloc_fault_reset();
        alloc_fault_fail_random(seed, 200000);
        ArenaAllocator arena = ArenaAllocatorInitChunk(1024);
        Allocator     *any   = ALLOCATOR_OF(&arena);
        u64            x     = seed;
        for (int op = 0; op < 300; ++op) {
            x      = x * 6364136223846793005ULL + 1442695040888963407ULL;
            size n = (x >> 20) % 20000 + 1;
            void *block = fault_alloc(any, check_arena, n, (i8)(x >> 50 & 1));
            if ((x >> 40) % 4 == 0) block = fault_remap(any, check_arena, block, n, n * 2 + 1);
            if ((x >> 44) % 8 == 0) ArenaAllocatorReset(&arena);
        }
        FAULT_EXPECT(alloc_fault_failures() > 0, "seed %llu injected nothing", (unsigned long long)seed);
        ArenaAllocatorDeinit(&arena);
        FAULT_EXPECT(alloc_fault_mapped_bytes() == 0, "seed %llu leaked", (unsigned long long)seed);
    }
}
