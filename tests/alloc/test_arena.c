// ArenaAllocator: bump allocation, the most-recent-block rules, reset with zeroing, chunks,
// statistics, and one death test per fatal reason.
#include "alloc/Arena.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "alloc/Slab.h"
#include "alloc/Vec.h"
#include "death.h"

#include <criterion/criterion.h>
#include <stdint.h> // uintptr_t
#include <stdlib.h> // malloc, free: a libc pointer for the foreign-pointer test
#include <string.h> // memset
#include <unistd.h> // sysconf

static size page_size(void) { return (size)sysconf(_SC_PAGESIZE); }

static int all_bytes_are(const void *ptr, int value, size bytes) {
    const unsigned char *p = ptr;
    for (size i = 0; i < bytes; ++i)
        if (p[i] != (unsigned char)value) return 0;
    return 1;
}

static int is_all_zero(const void *ptr, size bytes) { return all_bytes_are(ptr, 0, bytes); }

Test(arena, zero_size_returns_null_and_counts_nothing) {
    ArenaAllocator arena = ArenaAllocatorInit();
    cr_assert_null(AllocatorAlloc(&arena, 0, 0));
    cr_assert_null(AllocatorAlloc(ALLOCATOR_OF(&arena), 0, 1));
    cr_assert_eq(AllocatorAllocations(&arena), 0);
    cr_assert_eq(AllocatorFailedAllocations(&arena), 0);
    cr_assert_eq(AllocatorFootprintBytes(&arena), 0, "a zero-size request maps nothing");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, init_makes_no_system_call) {
    ArenaAllocator arena = ArenaAllocatorInit();
    cr_assert_eq(AllocatorFootprintBytes(&arena), 0);
    cr_assert_eq(arena.base.alignment, ALLOCATOR_DEFAULT_ALIGNMENT);
    cr_assert_eq(arena.base.magic, ARENA_ALLOCATOR_MAGIC);
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, consecutive_blocks_are_adjacent_and_rounded_to_the_alignment) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *a = AllocatorAlloc(&arena, 1, 0);
    char *b = AllocatorAlloc(&arena, 17, 0);
    char *c = AllocatorAlloc(&arena, 32, 0);
    cr_assert_eq(b, a + 16);
    cr_assert_eq(c, b + 32);
    cr_assert_eq(AllocatorBytesInUse(&arena), 16 + 32 + 32);
    cr_assert_eq(AllocatorBytesRequested(&arena), 1 + 17 + 32);
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, blocks_are_aligned_for_every_power_of_two_up_to_four_pages) {
    for (size align = 1; align <= 4 * page_size(); align *= 2) {
        ArenaAllocator arena = ArenaAllocatorInitAligned(align);
        // Enough blocks of odd sizes to fill more than one chunk when the alignment is large.
        for (size i = 0; i < 40; ++i) {
            size  bytes = 1 + i * 37;
            char *block = AllocatorAlloc(&arena, bytes, 1);
            cr_assert_not_null(block);
            cr_assert_eq((uintptr_t)block % align, 0, "block %p not aligned to %zu", (void *)block, align);
            cr_assert(is_all_zero(block, bytes));
            memset(block, 0xAB, bytes);
        }
        ArenaAllocatorCheck(&arena);
        ArenaAllocatorDeinit(&arena);
    }
}

Test(arena, zeroed_on_fresh_memory) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *block = AllocatorAlloc(&arena, 5000, 1);
    cr_assert(is_all_zero(block, 5000));
    ArenaAllocatorDeinit(&arena);
}

Test(arena, zeroed_after_freeing_the_last_block) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *first = AllocatorAlloc(&arena, 256, 0);
    memset(first, 0x5A, 256);
    cr_assert_eq(AllocatorFree(&arena, first), 256);
    char *again = AllocatorAlloc(&arena, 512, 1);
    cr_assert_eq(again, first, "the freed last block is reused");
    cr_assert(is_all_zero(again, 512));
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, zeroed_after_reset_in_every_chunk) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    char *blocks[64];
    for (int i = 0; i < 64; ++i) {
        blocks[i] = AllocatorAlloc(&arena, 1000, 0);
        memset(blocks[i], 0xFF, 1000);
    }
    size footprint = AllocatorFootprintBytes(&arena);
    ArenaAllocatorReset(&arena);
    ArenaAllocatorCheck(&arena);
    cr_assert_eq(AllocatorFootprintBytes(&arena), footprint, "reset keeps every chunk");
    for (int i = 0; i < 64; ++i) {
        char *block = AllocatorAlloc(&arena, 1000, 1);
        cr_assert(is_all_zero(block, 1000), "block %d of the second round is dirty", i);
    }
    cr_assert_eq(AllocatorFootprintBytes(&arena), footprint, "the second round maps nothing new");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, not_zeroed_request_after_reset_reuses_the_same_memory) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *first = AllocatorAlloc(&arena, 64, 0);
    ArenaAllocatorReset(&arena);
    cr_assert_eq(AllocatorAlloc(&arena, 64, 0), first);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, reset_releases_every_block_in_the_statistics) {
    ArenaAllocator arena = ArenaAllocatorInit();
    for (int i = 0; i < 10; ++i) AllocatorAlloc(&arena, 100, 0);
    cr_assert_eq(AllocatorBytesInUse(&arena), 10 * 112);
    ArenaAllocatorReset(&arena);
    cr_assert_eq(AllocatorBytesInUse(&arena), 0);
    cr_assert_eq(AllocatorDeallocations(&arena), 10);
    cr_assert_eq(AllocatorPeakBytesInUse(&arena), 10 * 112);
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, reset_of_an_empty_arena_does_nothing) {
    ArenaAllocator arena = ArenaAllocatorInit();
    ArenaAllocatorReset(&arena);
    ArenaAllocatorCheck(&arena);
    cr_assert_eq(AllocatorFootprintBytes(&arena), 0);
    cr_assert_not_null(AllocatorAlloc(&arena, 8, 0));
    ArenaAllocatorDeinit(&arena);
}

Test(arena, free_of_an_older_block_is_a_noop_returning_zero) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *older = AllocatorAlloc(&arena, 40, 0);
    char *last  = AllocatorAlloc(&arena, 40, 0);
    cr_assert_eq(AllocatorFree(&arena, older), 0);
    cr_assert_eq(AllocatorDeallocations(&arena), 0);
    cr_assert_eq(AllocatorBytesInUse(&arena), 96);
    cr_assert_eq(AllocatorFree(&arena, last), 48);
    cr_assert_eq(AllocatorFree(&arena, older), 0, "the block before does not become the last one");
    cr_assert_eq(AllocatorBytesInUse(&arena), 48);
    cr_assert_eq(AllocatorFree(&arena, NULL), 0);
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, resize_of_the_last_block_grows_and_shrinks_in_place) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *block = AllocatorAlloc(&arena, 100, 0);
    memset(block, 7, 100);
    cr_assert_eq(AllocatorResize(&arena, block, 4000), 1);
    cr_assert(all_bytes_are(block, 7, 100));
    cr_assert_eq(AllocatorBytesInUse(&arena), 4000);
    cr_assert_eq(AllocatorResize(&arena, block, 20), 1);
    cr_assert(all_bytes_are(block, 7, 20));
    cr_assert_eq(AllocatorBytesInUse(&arena), 32);
    cr_assert_eq(AllocatorReallocations(&arena), 2);
    char *next = AllocatorAlloc(&arena, 16, 0);
    cr_assert_eq(next, block + 32, "shrinking gave the tail back");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, resize_never_moves_and_fails_without_room_or_for_older_blocks) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    char *older = AllocatorAlloc(&arena, 64, 0);
    char *last  = AllocatorAlloc(&arena, 64, 0);
    memset(last, 3, 64);
    cr_assert_eq(AllocatorResize(&arena, older, 32), 0, "an older block is not resized (remap it)");
    cr_assert_eq(AllocatorResize(&arena, last, 1 << 20), 0, "no room in a 4 KiB chunk");
    cr_assert_eq(AllocatorResize(&arena, last, 0), 0);
    cr_assert_eq(AllocatorResize(&arena, NULL, 8), 0);
    cr_assert(all_bytes_are(last, 3, 64));
    cr_assert_eq(AllocatorBytesInUse(&arena), 128);
    cr_assert_eq(AllocatorReallocations(&arena), 0);
    cr_assert_eq(AllocatorFailedAllocations(&arena), 0);
    cr_assert_eq(AllocatorAlloc(&arena, 16, 0), last + 64, "the block is exactly as before");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

// Issue 9: two Vecs on one arena pushed in turn used to abort ("remap of a block that is not the
// most recent"); every block's start is now recorded, so any block moves.
Test(arena, vecs_pushed_in_turn_on_one_arena_keep_every_element) {
    enum { VECS = 5, PUSHES = 20000 };
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    typedef Vec(int) Ints;
    Ints vecs[VECS];
    for (int v = 0; v < VECS; ++v) vecs[v] = (Ints)VecInit(&arena);
    for (int i = 0; i < PUSHES; ++i)
        for (int v = 0; v < VECS; ++v) cr_assert(VecPush(&vecs[v], i * VECS + v));
    ArenaAllocatorCheck(&arena);
    for (int v = 0; v < VECS; ++v) {
        cr_assert_eq(VecLen(&vecs[v]), PUSHES);
        for (int i = 0; i < PUSHES; ++i) cr_assert_eq(VecAt(&vecs[v], i), i * VECS + v);
    }
    for (int v = 0; v < VECS; ++v) VecDeinit(&vecs[v]);
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, remap_of_an_older_block_moves_it_keeping_min_of_old_and_new_bytes) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    unsigned char *older = AllocatorAlloc(&arena, 100, 0); // 112 effective
    unsigned char *last  = AllocatorAlloc(&arena, 64, 0);
    for (int i = 0; i < 100; ++i) older[i] = (unsigned char)i;
    memset(last, 7, 64);
    cr_assert_eq(AllocatorRemap(&arena, older, 112), older, "it fits its own effective size");
    unsigned char *moved = AllocatorRemap(&arena, older, 3000);
    cr_assert_not_null(moved);
    cr_assert_neq(moved, older);
    for (int i = 0; i < 100; ++i) cr_assert_eq(moved[i], i, "byte %d kept", i);
    cr_assert(all_bytes_are(last, 7, 64), "the next block is untouched");
    cr_assert_eq(AllocatorBytesInUse(&arena), 64 + 3008, "the old bytes left the count");
    cr_assert_eq(AllocatorReallocations(&arena), 2);
    unsigned char *again = AllocatorRemap(&arena, moved, 10000); // the most recent: a new chunk
    cr_assert_not_null(again);
    for (int i = 0; i < 100; ++i) cr_assert_eq(again[i], i);
    cr_assert_eq(AllocatorRemap(&arena, last, 8), last, "shrinking an older block stays");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

static int next_random(u32 *state) {
    *state = *state * 1103515245u + 12345u;
    return (int)(*state >> 16 & 0x7fff);
}

// Blocks of random sizes, remapped in random order (older or most recent, larger or smaller),
// each checked against its own pattern afterwards.
Test(arena, any_mix_of_remaps_keeps_every_blocks_bytes) {
    enum { BLOCKS = 64, ROUNDS = 3000 };
    ArenaAllocator arena = ArenaAllocatorInitChunk(8192);
    unsigned char *blocks[BLOCKS];
    size           sizes[BLOCKS];
    u32            seed = 12345;
    for (int b = 0; b < BLOCKS; ++b) {
        sizes[b]  = 1 + (size)(next_random(&seed) % 300);
        blocks[b] = AllocatorAlloc(&arena, sizes[b], 0);
        memset(blocks[b], b, sizes[b]);
    }
    for (int r = 0; r < ROUNDS; ++r) {
        int   b    = next_random(&seed) % BLOCKS;
        size  want = 1 + (size)(next_random(&seed) % 5000);
        void *p    = r % 2 ? AllocatorRealloc(&arena, blocks[b], want) : AllocatorRemap(&arena, blocks[b], want);
        cr_assert_not_null(p);
        size keep = sizes[b] < want ? sizes[b] : want;
        cr_assert(all_bytes_are(p, b, keep), "block %d after a remap to %zu", b, want);
        memset(p, b, want);
        blocks[b] = p;
        sizes[b]  = want;
        if (r % 500 == 0) ArenaAllocatorCheck(&arena);
    }
    for (int b = 0; b < BLOCKS; ++b) cr_assert(all_bytes_are(blocks[b], b, sizes[b]));
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, remap_moves_the_last_block_to_a_new_chunk_keeping_its_bytes) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    char *block = AllocatorAlloc(&arena, 3000, 0);
    for (int i = 0; i < 3000; ++i) block[i] = (char)i;
    char *moved = AllocatorRemap(&arena, block, 100000);
    cr_assert_not_null(moved);
    cr_assert_neq(moved, block);
    for (int i = 0; i < 3000; ++i) cr_assert_eq(moved[i], (char)i);
    cr_assert_eq(AllocatorBytesInUse(&arena), 100000);
    cr_assert_eq(AllocatorFree(&arena, moved), 100000, "the moved block is the most recent one");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, remap_in_place_keeps_min_of_old_and_new_bytes) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *block = AllocatorAlloc(&arena, 200, 0);
    memset(block, 9, 200);
    char *same = AllocatorRemap(&arena, block, 50);
    cr_assert_eq(same, block);
    cr_assert(all_bytes_are(same, 9, 50));
    same = AllocatorRemap(&arena, block, 400);
    cr_assert_eq(same, block, "the chunk had room");
    cr_assert(all_bytes_are(same, 9, 50));
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, remap_of_null_allocates_zeroed_and_remap_to_zero_frees) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *dirty = AllocatorAlloc(&arena, 128, 0);
    memset(dirty, 0xEE, 128);
    AllocatorFree(&arena, dirty);
    char *block = AllocatorRemap(&arena, NULL, 128);
    cr_assert_eq(block, dirty);
    cr_assert(is_all_zero(block, 128));
    cr_assert_eq(AllocatorAllocations(&arena), 2);
    cr_assert_null(AllocatorRemap(&arena, block, 0));
    cr_assert_eq(AllocatorBytesInUse(&arena), 0);
    cr_assert_eq(AllocatorDeallocations(&arena), 2);
    cr_assert_null(AllocatorRemap(&arena, NULL, 0));
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, remap_to_zero_of_an_older_block_is_a_noop) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *older = AllocatorAlloc(&arena, 16, 0);
    AllocatorAlloc(&arena, 16, 0);
    cr_assert_null(AllocatorRemap(&arena, older, 0));
    cr_assert_eq(AllocatorBytesInUse(&arena), 32);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, a_request_larger_than_the_chunk_gets_a_chunk_of_its_own) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *small = AllocatorAlloc(&arena, 16, 0);
    char *big   = AllocatorAlloc(&arena, 1 << 20, 1);
    cr_assert_not_null(big);
    cr_assert(is_all_zero(big, 1 << 20));
    cr_assert_geq(AllocatorFootprintBytes(&arena), ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES + (1 << 20));
    cr_assert_eq(AllocatorFree(&arena, small), 0);
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, chunks_double_in_size) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    for (int i = 0; i < 5; ++i) AllocatorAlloc(&arena, 4096, 0); // 4 KiB chunk, 8 KiB, 16 KiB
    size chunks_and_table = AllocatorFootprintBytes(&arena) - arena.chunks_bytes - arena.bounds_bytes;
    cr_assert_eq(chunks_and_table, 4096 + 8192 + 16384, "chunks of 4, 8 and 16 KiB");
    cr_assert_eq(arena.len, 3);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, reset_reuses_a_large_enough_chunk_for_a_big_request) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    AllocatorAlloc(&arena, 16, 0);
    AllocatorAlloc(&arena, 100000, 0);
    size footprint = AllocatorFootprintBytes(&arena);
    ArenaAllocatorReset(&arena);
    AllocatorAlloc(&arena, 16, 0);
    cr_assert_not_null(AllocatorAlloc(&arena, 100000, 1));
    cr_assert_eq(AllocatorFootprintBytes(&arena), footprint, "the big chunk was reused");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

Test(arena, deallocate_returns_the_effective_size_matching_the_statistics) {
    ArenaAllocator arena = ArenaAllocatorInit();
    for (size bytes = 1; bytes < 3000; bytes += 97) {
        void *block  = AllocatorAlloc(&arena, bytes, 0);
        size  before = AllocatorBytesInUse(&arena);
        size  freed  = AllocatorFree(&arena, block);
        cr_assert_eq(freed, (bytes + 15) / 16 * 16);
        cr_assert_eq(before - AllocatorBytesInUse(&arena), freed);
    }
    ArenaAllocatorDeinit(&arena);
}

Test(arena, typed_and_dynamic_paths_count_the_same) {
    ArenaAllocator typed   = ArenaAllocatorInit();
    ArenaAllocator dynamic = ArenaAllocatorInit();
    Allocator     *any     = ALLOCATOR_OF(&dynamic);
    void *a = AllocatorAlloc(&typed, 100, 1), *b = AllocatorAlloc(any, 100, 1);
    AllocatorResize(&typed, a, 300);
    AllocatorResize(any, b, 300);
    a = AllocatorRemap(&typed, a, 1 << 17);
    b = AllocatorRemap(any, b, 1 << 17);
    AllocatorFree(&typed, a);
    AllocatorFree(any, b);
    AllocatorStats s = AllocatorStatsOf(&typed), d = AllocatorStatsOf(&dynamic);
    cr_assert_eq(memcmp(&s, &d, sizeof s), 0);
    cr_assert_eq(AllocatorFootprintBytes(&typed), AllocatorFootprintBytes(&dynamic));
    cr_assert_eq(s.allocations, 1);
    cr_assert_eq(s.reallocations, 2);
    cr_assert_eq(s.deallocations, 1);
    ArenaAllocatorDeinit(&typed);
    ArenaAllocatorDeinit(&dynamic);
}

Test(arena, deinit_releases_everything_and_zeroes_the_struct) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    for (int i = 0; i < 100; ++i) AllocatorAlloc(&arena, 3000, 0); // leaked on purpose
    cr_assert_gt(AllocatorFootprintBytes(&arena), 0);
    ArenaAllocatorDeinit(&arena);
    cr_assert_eq(AllocatorFootprintBytes(&arena), 0);
    ArenaAllocator zero;
    memset(&zero, 0, sizeof zero);
    cr_assert_eq(memcmp(&arena, &zero, sizeof arena), 0);
}

// --- Death tests ------------------------------------------------------------------------------

static ArenaAllocator victim;

static void free_stack_pointer(void) {
    victim = ArenaAllocatorInit();
    AllocatorAlloc(&victim, 16, 0);
    char on_stack[16];
    death_note_pointer(on_stack);
    AllocatorFree(&victim, on_stack);
}
Test(arena_death, stack_pointer_is_foreign) {
    expect_death(free_stack_pointer, "alloc: fatal: arena_allocator_deallocate: foreign pointer");
}

static void free_libc_pointer(void) {
    victim = ArenaAllocatorInit();
    AllocatorAlloc(&victim, 16, 0);
    void *from_libc = malloc(32);
    death_note_pointer(from_libc);
    AllocatorFree(&victim, from_libc);
}
Test(arena_death, libc_pointer_is_foreign) {
    expect_death(free_libc_pointer, "alloc: fatal: arena_allocator_deallocate: foreign pointer");
}

static void free_other_arenas_block(void) {
    ArenaAllocator other = ArenaAllocatorInit();
    void *theirs = AllocatorAlloc(&other, 16, 0);
    victim = ArenaAllocatorInit();
    AllocatorAlloc(&victim, 16, 0);
    death_note_pointer(theirs);
    AllocatorFree(&victim, theirs);
}
Test(arena_death, block_of_another_arena_is_foreign) {
    expect_death(free_other_arenas_block, "alloc: fatal: arena_allocator_deallocate: foreign pointer");
}

static void free_misaligned_pointer(void) {
    victim = ArenaAllocatorInit();
    char *block = AllocatorAlloc(&victim, 64, 0);
    AllocatorAlloc(&victim, 64, 0);
    death_note_pointer(block + 3);
    AllocatorFree(&victim, block + 3);
}
Test(arena_death, interior_misaligned_pointer_aborts) {
    expect_death(free_misaligned_pointer, "alloc: fatal: arena_allocator_deallocate: misaligned pointer");
}

static void free_last_block_twice(void) {
    victim = ArenaAllocatorInit();
    void *block = AllocatorAlloc(&victim, 64, 0);
    AllocatorFree(&victim, block);
    death_note_pointer(block);
    AllocatorFree(&victim, block);
}
Test(arena_death, double_free_of_the_last_block_aborts) {
    expect_death(free_last_block_twice, "alloc: fatal: arena_allocator_deallocate: double free");
}

static void free_after_reset(void) {
    victim = ArenaAllocatorInit();
    void *block = AllocatorAlloc(&victim, 64, 0);
    ArenaAllocatorReset(&victim);
    death_note_pointer(block);
    AllocatorResize(&victim, block, 8);
}
Test(arena_death, block_released_by_reset_aborts) {
    expect_death(free_after_reset, "alloc: fatal: arena_allocator_resize: double free");
}

static void remap_interior_pointer(void) {
    victim      = ArenaAllocatorInit();
    char *older = AllocatorAlloc(&victim, 64, 0);
    AllocatorAlloc(&victim, 64, 0);
    death_note_pointer(older + 16);
    AllocatorRemap(&victim, older + 16, 128);
}
Test(arena_death, remap_of_an_interior_pointer_aborts) {
    expect_death(remap_interior_pointer, "alloc: fatal: arena_allocator_remap: interior pointer");
}

static void free_after_deinit(void) {
    victim = ArenaAllocatorInit();
    void *block = AllocatorAlloc(&victim, 64, 0);
    ArenaAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    AllocatorFree(&victim, block);
}
Test(arena_death, free_after_deinit_aborts) {
    expect_death(free_after_deinit, "alloc: fatal: arena_allocator_deallocate: uninitialised allocator");
}

static void deinit_twice(void) {
    victim = ArenaAllocatorInit();
    ArenaAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    ArenaAllocatorDeinit(&victim);
}
Test(arena_death, second_deinit_aborts) {
    expect_death(deinit_twice, "alloc: fatal: ArenaAllocatorDeinit: uninitialised allocator");
}

static void allocate_on_zeroed_struct(void) {
    memset(&victim, 0, sizeof victim);
    death_note_pointer(&victim);
    AllocatorAlloc(&victim, 8, 0);
}
Test(arena_death, uninitialised_arena_aborts) {
    expect_death(allocate_on_zeroed_struct, "alloc: fatal: arena_allocator_allocate: uninitialised allocator");
}

static SlabAllocator not_an_arena;
static void allocate_on_other_type(void) {
    not_an_arena = SlabAllocatorInit(16);
    death_note_pointer(&not_an_arena);
    arena_allocator_allocate((ArenaAllocator *)(void *)&not_an_arena, 8, 0);
}
Test(arena_death, type_confusion_aborts) {
    expect_death(allocate_on_other_type,
                 "alloc: fatal: arena_allocator_allocate: type-confusion: not an ArenaAllocator");
}

static void allocate_with_bad_alignment(void) {
    victim = ArenaAllocatorInitAligned(48);
    death_note_pointer(&victim);
    AllocatorAlloc(&victim, 8, 0);
}
Test(arena_death, non_power_of_two_alignment_aborts) {
    expect_death(allocate_with_bad_alignment,
                 "alloc: fatal: arena_allocator_allocate: corrupted allocator: alignment is not a power of two");
}

static void reset_null(void) {
    death_note_pointer(NULL);
    ArenaAllocatorReset(NULL);
}
Test(arena_death, null_arena_aborts) {
    expect_death(reset_null, "alloc: fatal: ArenaAllocatorReset: NULL allocator");
}

static void check_moved_cursor(void) {
    victim = ArenaAllocatorInit();
    AllocatorAlloc(&victim, 64, 0);
    victim.cursor = victim.limit + 16;
    death_note_pointer(victim.cursor);
    ArenaAllocatorCheck(&victim);
}
Test(arena_death, check_finds_a_cursor_outside_its_chunk) {
    expect_death(check_moved_cursor, "alloc: fatal: ArenaAllocatorCheck: corrupted allocator: cursor");
}

static void check_wrong_footprint(void) {
    victim = ArenaAllocatorInit();
    AllocatorAlloc(&victim, 64, 0);
    victim.base.footprint_bytes += 4096;
    death_note_pointer(&victim);
    ArenaAllocatorCheck(&victim);
}
Test(arena_death, check_finds_a_wrong_footprint) {
    expect_death(check_wrong_footprint, "alloc: fatal: ArenaAllocatorCheck: corrupted allocator: footprint");
}
