// SlabAllocator: fixed slots, O(1) reuse, zeroing of recycled slots, growth by slabs, the
// oversize rules, statistics, and one death test per fatal reason.
#include "alloc/Arena.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "alloc/Slab.h"
#include "death.h"

#include <criterion/criterion.h>
#include <stdint.h> // uintptr_t
#include <stdlib.h> // malloc: a libc pointer for the foreign-pointer test
#include <string.h> // memset
#include <unistd.h> // sysconf

static size page_size(void) { return (size)sysconf(_SC_PAGESIZE); }

static int all_bytes_are(const void *ptr, int value, size bytes) {
    const unsigned char *p = ptr;
    for (size i = 0; i < bytes; ++i)
        if (p[i] != (unsigned char)value) return 0;
    return 1;
}

Test(slab, zero_size_returns_null_and_counts_nothing) {
    SlabAllocator slab = SlabAllocatorInit(32);
    cr_assert_null(AllocatorAlloc(&slab, 0, 0));
    cr_assert_null(AllocatorAlloc(ALLOCATOR_OF(&slab), 0, 1));
    cr_assert_eq(AllocatorAllocations(&slab), 0);
    cr_assert_eq(AllocatorFailedAllocations(&slab), 0);
    cr_assert_eq(AllocatorFootprintBytes(&slab), 0);
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, slot_size_is_rounded_up_to_the_alignment) {
    SlabAllocator slab = SlabAllocatorInit(24);
    cr_assert_eq(SlabAllocatorSlotSize(&slab), 32);
    SlabAllocator exact = SlabAllocatorInitAligned(8, 24);
    cr_assert_eq(SlabAllocatorSlotSize(&exact), 24);
    char *a = AllocatorAlloc(&exact, 24, 0), *b = AllocatorAlloc(&exact, 24, 0);
    cr_assert_eq(b, a + 24, "fresh slots come in address order, 24 bytes apart");
    cr_assert_eq(AllocatorFree(&exact, a), 24);
    SlabAllocatorCheck(&exact);
    SlabAllocatorDeinit(&exact);
    SlabAllocatorDeinit(&slab);
}

Test(slab, larger_than_the_slot_returns_null_and_counts_a_failure) {
    SlabAllocator slab = SlabAllocatorInit(64);
    cr_assert_null(AllocatorAlloc(&slab, 65, 0));
    cr_assert_eq(AllocatorFailedAllocations(&slab), 1);
    cr_assert_not_null(AllocatorAlloc(&slab, 64, 0));
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, slots_are_aligned_for_every_power_of_two_up_to_four_pages) {
    for (size align = 1; align <= 4 * page_size(); align *= 2) {
        SlabAllocator slab = SlabAllocatorInitAligned(align, 40);
        for (int i = 0; i < 20; ++i) {
            char *slot = AllocatorAlloc(&slab, 40, 1);
            cr_assert_not_null(slot);
            cr_assert_eq((uintptr_t)slot % align, 0, "slot %p not aligned to %zu", (void *)slot, align);
            cr_assert(all_bytes_are(slot, 0, 40));
            memset(slot, 0xCD, 40);
        }
        SlabAllocatorCheck(&slab);
        SlabAllocatorDeinit(&slab);
    }
}

Test(slab, free_then_alloc_recycles_the_last_freed_slot) {
    SlabAllocator slab = SlabAllocatorInit(48);
    void *a = AllocatorAlloc(&slab, 48, 0);
    void *b = AllocatorAlloc(&slab, 48, 0);
    AllocatorFree(&slab, a);
    AllocatorFree(&slab, b);
    cr_assert_eq(AllocatorAlloc(&slab, 48, 0), b);
    cr_assert_eq(AllocatorAlloc(&slab, 48, 0), a);
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, zeroed_on_fresh_and_recycled_slots) {
    SlabAllocator slab = SlabAllocatorInit(100);
    char *fresh = AllocatorAlloc(&slab, 100, 1);
    cr_assert(all_bytes_are(fresh, 0, 112));
    memset(fresh, 0x77, 112);
    AllocatorFree(&slab, fresh);
    char *again = AllocatorAlloc(&slab, 100, 1);
    cr_assert_eq(again, fresh);
    cr_assert(all_bytes_are(again, 0, 112), "a recycled slot is cleared when zeroed is asked");
    memset(again, 0x77, 112);
    AllocatorFree(&slab, again);
    char *dirty = AllocatorAlloc(&slab, 100, 0);
    cr_assert(all_bytes_are(dirty, 0x77, 112), "without zeroed the slot is handed out as it is");
    SlabAllocatorDeinit(&slab);
}

Test(slab, grows_by_adding_slabs_and_keeps_every_slot_distinct) {
    SlabAllocator slab = SlabAllocatorInit(1000);
    enum { COUNT = 700 }; // about ten 64 KiB slabs
    static char *slots[COUNT];
    for (int i = 0; i < COUNT; ++i) {
        slots[i] = AllocatorAlloc(&slab, 1000, 0);
        cr_assert_not_null(slots[i]);
        memset(slots[i], i & 0xFF, 1000);
    }
    cr_assert_gt(slab.len, 5);
    for (int i = 0; i < COUNT; ++i) cr_assert(all_bytes_are(slots[i], i & 0xFF, 1000), "slot %d overwritten", i);
    SlabAllocatorCheck(&slab);
    for (int i = 0; i < COUNT; i += 2) cr_assert_eq(AllocatorFree(&slab, slots[i]), 1008);
    SlabAllocatorCheck(&slab);
    size footprint = AllocatorFootprintBytes(&slab);
    for (int i = 0; i < COUNT; i += 2) slots[i] = AllocatorAlloc(&slab, 1000, 0);
    cr_assert_eq(AllocatorFootprintBytes(&slab), footprint, "freed slots are reused before a new slab");
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, hundreds_of_slabs_are_all_found_after_the_index_grows) {
    SlabAllocator slab = SlabAllocatorInit(16384); // four slots per 64 KiB slab
    enum { COUNT = 2400 };                         // 600 slabs: the index is rehashed
    static char *slots[COUNT];
    for (int i = 0; i < COUNT; ++i) {
        slots[i] = AllocatorAlloc(&slab, 16384, 0);
        cr_assert_not_null(slots[i]);
        slots[i][0] = (char)i;
    }
    cr_assert_eq(slab.len, COUNT / 4);
    cr_assert_gt((size)1 << slab.index.bits, 2 * slab.len - 1, "the index stays at most half full");
    SlabAllocatorCheck(&slab);
    for (int i = 0; i < COUNT; i += 3) cr_assert_eq(AllocatorFree(&slab, slots[i]), 16384);
    for (int i = 1; i < COUNT; i += 3) cr_assert_eq(slots[i][0], (char)i);
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, large_slots_get_larger_slabs) {
    SlabAllocator slab = SlabAllocatorInit(100000);
    char *a = AllocatorAlloc(&slab, 100000, 1);
    char *b = AllocatorAlloc(&slab, 100000, 1);
    cr_assert(all_bytes_are(b, 0, 100000));
    cr_assert_eq(b, a + 100000);
    cr_assert_geq(slab.slab_bytes, 4 * 100000);
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, resize_succeeds_iff_the_new_size_fits_the_slot_and_never_moves) {
    SlabAllocator slab = SlabAllocatorInit(64);
    char *slot = AllocatorAlloc(&slab, 10, 0);
    memset(slot, 5, 64);
    cr_assert_eq(AllocatorResize(&slab, slot, 64), 1);
    cr_assert_eq(AllocatorResize(&slab, slot, 1), 1);
    cr_assert_eq(AllocatorResize(&slab, slot, 65), 0);
    cr_assert_eq(AllocatorResize(&slab, slot, 0), 0);
    cr_assert_eq(AllocatorResize(&slab, NULL, 8), 0);
    cr_assert(all_bytes_are(slot, 5, 64));
    cr_assert_eq(AllocatorReallocations(&slab), 2);
    cr_assert_eq(AllocatorBytesInUse(&slab), 64);
    cr_assert_eq(AllocatorFailedAllocations(&slab), 0);
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, remap_within_the_slot_keeps_the_bytes_and_larger_returns_null) {
    SlabAllocator slab = SlabAllocatorInit(128);
    char *slot = AllocatorAlloc(&slab, 100, 0);
    memset(slot, 0x3C, 100);
    cr_assert_eq(AllocatorRemap(&slab, slot, 20), slot);
    cr_assert_eq(AllocatorRemap(&slab, slot, 128), slot);
    cr_assert(all_bytes_are(slot, 0x3C, 100));
    cr_assert_null(AllocatorRemap(&slab, slot, 129));
    cr_assert_eq(AllocatorFailedAllocations(&slab), 1);
    cr_assert(all_bytes_are(slot, 0x3C, 100), "a failed remap leaves the slot untouched");
    cr_assert_eq(AllocatorFree(&slab, slot), 128, "and it is still live");
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, remap_of_null_allocates_zeroed_and_remap_to_zero_frees) {
    SlabAllocator slab = SlabAllocatorInit(32);
    char *dirty = AllocatorAlloc(&slab, 32, 0);
    memset(dirty, 0xAA, 32);
    AllocatorFree(&slab, dirty);
    char *slot = AllocatorRemap(&slab, NULL, 32);
    cr_assert_eq(slot, dirty);
    cr_assert(all_bytes_are(slot, 0, 32));
    cr_assert_null(AllocatorRemap(&slab, slot, 0));
    cr_assert_eq(AllocatorBytesInUse(&slab), 0);
    cr_assert_eq(AllocatorDeallocations(&slab), 2);
    cr_assert_null(AllocatorRemap(&slab, NULL, 0));
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, statistics_and_footprint_follow_the_slots) {
    SlabAllocator slab = SlabAllocatorInit(64);
    void *slots[10];
    for (int i = 0; i < 10; ++i) slots[i] = AllocatorAlloc(&slab, 50, 0);
    cr_assert_eq(AllocatorBytesInUse(&slab), 640);
    cr_assert_eq(AllocatorBytesRequested(&slab), 500);
    cr_assert_eq(AllocatorAllocations(&slab), 10);
    cr_assert_geq(AllocatorFootprintBytes(&slab), SLAB_ALLOCATOR_MIN_SLAB_BYTES);
    for (int i = 0; i < 10; ++i) {
        size before = AllocatorBytesInUse(&slab);
        cr_assert_eq(AllocatorFree(&slab, slots[i]), 64);
        cr_assert_eq(AllocatorBytesInUse(&slab), before - 64);
    }
    cr_assert_eq(AllocatorPeakBytesInUse(&slab), 640);
    cr_assert_eq(AllocatorDeallocations(&slab), 10);
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

Test(slab, typed_and_dynamic_paths_count_the_same) {
    SlabAllocator typed = SlabAllocatorInit(64), dynamic = SlabAllocatorInit(64);
    Allocator    *any   = ALLOCATOR_OF(&dynamic);
    void *a = AllocatorAlloc(&typed, 30, 1), *b = AllocatorAlloc(any, 30, 1);
    AllocatorResize(&typed, a, 60);
    AllocatorResize(any, b, 60);
    cr_assert_null(AllocatorRemap(&typed, a, 100));
    cr_assert_null(AllocatorRemap(any, b, 100));
    AllocatorFree(&typed, a);
    AllocatorFree(any, b);
    AllocatorStats s = AllocatorStatsOf(&typed), d = AllocatorStatsOf(&dynamic);
    cr_assert_eq(memcmp(&s, &d, sizeof s), 0);
    cr_assert_eq(AllocatorFootprintBytes(&typed), AllocatorFootprintBytes(&dynamic));
    SlabAllocatorDeinit(&typed);
    SlabAllocatorDeinit(&dynamic);
}

Test(slab, deinit_releases_everything_and_zeroes_the_struct) {
    SlabAllocator slab = SlabAllocatorInit(512);
    for (int i = 0; i < 1000; ++i) AllocatorAlloc(&slab, 512, 0); // leaked on purpose
    cr_assert_gt(AllocatorFootprintBytes(&slab), 1000 * 512);
    SlabAllocatorDeinit(&slab);
    cr_assert_eq(AllocatorFootprintBytes(&slab), 0);
    SlabAllocator zero;
    memset(&zero, 0, sizeof zero);
    cr_assert_eq(memcmp(&slab, &zero, sizeof slab), 0);
}

// --- Death tests ------------------------------------------------------------------------------

static SlabAllocator victim;

static void free_stack_pointer(void) {
    victim = SlabAllocatorInit(16);
    AllocatorAlloc(&victim, 16, 0);
    char on_stack[16];
    death_note_pointer(on_stack);
    AllocatorFree(&victim, on_stack);
}
Test(slab_death, stack_pointer_is_foreign) {
    expect_death(free_stack_pointer, "alloc: fatal: slab_allocator_deallocate: foreign pointer");
}

static void free_libc_pointer(void) {
    victim = SlabAllocatorInit(16);
    AllocatorAlloc(&victim, 16, 0);
    void *from_libc = malloc(16);
    death_note_pointer(from_libc);
    AllocatorFree(&victim, from_libc);
}
Test(slab_death, libc_pointer_is_foreign) {
    expect_death(free_libc_pointer, "alloc: fatal: slab_allocator_deallocate: foreign pointer");
}

static void free_other_slabs_slot(void) {
    SlabAllocator other = SlabAllocatorInit(16);
    void *theirs = AllocatorAlloc(&other, 16, 0);
    victim = SlabAllocatorInit(16);
    AllocatorAlloc(&victim, 16, 0);
    death_note_pointer(theirs);
    AllocatorFree(&victim, theirs);
}
Test(slab_death, slot_of_another_slab_allocator_is_foreign) {
    expect_death(free_other_slabs_slot, "alloc: fatal: slab_allocator_deallocate: foreign pointer");
}

static void free_never_handed_out_slot(void) {
    victim = SlabAllocatorInit(16);
    char *slot = AllocatorAlloc(&victim, 16, 0);
    death_note_pointer(slot + 16);
    AllocatorFree(&victim, slot + 16);
}
Test(slab_death, slot_never_handed_out_is_foreign) {
    expect_death(free_never_handed_out_slot, "alloc: fatal: slab_allocator_deallocate: foreign pointer");
}

static void free_slab_tail(void) {
    victim = SlabAllocatorInitAligned(1, 1023); // 64 slots per 64 KiB slab, 64 bytes of tail
    char *first = AllocatorAlloc(&victim, 1023, 0);
    for (int i = 1; i <= 64; ++i) AllocatorAlloc(&victim, 1023, 0); // slot 0 of a second slab live
    char *tail = first + 64 * 1023; // on the slot grid, past the last slot: bit 64 is not slab 0's
    death_note_pointer(tail);
    AllocatorFree(&victim, tail);
}
Test(slab_death, pointer_into_the_tail_of_a_slab_is_foreign) {
    expect_death(free_slab_tail, "alloc: fatal: slab_allocator_deallocate: foreign pointer");
}

static void free_twice(void) {
    victim = SlabAllocatorInit(32);
    void *slot = AllocatorAlloc(&victim, 32, 0);
    AllocatorAlloc(&victim, 32, 0);
    AllocatorFree(&victim, slot);
    death_note_pointer(slot);
    AllocatorFree(&victim, slot);
}
Test(slab_death, double_free_aborts) {
    expect_death(free_twice, "alloc: fatal: slab_allocator_deallocate: double free");
}

static void resize_freed_slot(void) {
    victim = SlabAllocatorInit(32);
    void *slot = AllocatorAlloc(&victim, 32, 0);
    AllocatorFree(&victim, slot);
    death_note_pointer(slot);
    AllocatorResize(&victim, slot, 16);
}
Test(slab_death, resize_of_a_freed_slot_aborts) {
    expect_death(resize_freed_slot, "alloc: fatal: slab_allocator_resize: double free");
}

static void free_interior_pointer(void) {
    victim = SlabAllocatorInit(64);
    char *slot = AllocatorAlloc(&victim, 64, 0);
    death_note_pointer(slot + 16);
    AllocatorFree(&victim, slot + 16);
}
Test(slab_death, pointer_inside_a_slot_is_misaligned) {
    expect_death(free_interior_pointer, "alloc: fatal: slab_allocator_deallocate: misaligned pointer");
}

static void remap_misaligned_pointer(void) {
    victim = SlabAllocatorInit(48);
    char *slot = AllocatorAlloc(&victim, 48, 0);
    death_note_pointer(slot + 1);
    AllocatorRemap(&victim, slot + 1, 8);
}
Test(slab_death, remap_of_a_misaligned_pointer_aborts) {
    expect_death(remap_misaligned_pointer, "alloc: fatal: slab_allocator_remap: misaligned pointer");
}

static void free_after_deinit(void) {
    victim = SlabAllocatorInit(32);
    void *slot = AllocatorAlloc(&victim, 32, 0);
    SlabAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    AllocatorFree(&victim, slot);
}
Test(slab_death, free_after_deinit_aborts) {
    expect_death(free_after_deinit, "alloc: fatal: slab_allocator_deallocate: uninitialised allocator");
}

static void allocate_on_zeroed_struct(void) {
    memset(&victim, 0, sizeof victim);
    death_note_pointer(&victim);
    AllocatorAlloc(&victim, 8, 0);
}
Test(slab_death, uninitialised_slab_aborts) {
    expect_death(allocate_on_zeroed_struct, "alloc: fatal: slab_allocator_allocate: uninitialised allocator");
}

static ArenaAllocator not_a_slab;
static void free_through_an_arena(void) {
    not_a_slab = ArenaAllocatorInit();
    void *block = AllocatorAlloc(&not_a_slab, 16, 0);
    death_note_pointer(&not_a_slab);
    slab_allocator_deallocate((SlabAllocator *)(void *)&not_a_slab, block);
}
Test(slab_death, type_confusion_aborts) {
    expect_death(free_through_an_arena,
                 "alloc: fatal: slab_allocator_deallocate: type-confusion: not a SlabAllocator");
}

static void allocate_zero_slot_size(void) {
    victim = SlabAllocatorInit(0);
    death_note_pointer(&victim);
    AllocatorAlloc(&victim, 8, 0);
}
Test(slab_death, slot_size_zero_aborts_on_first_use) {
    expect_death(allocate_zero_slot_size, "alloc: fatal: slab_allocator_allocate: invalid slot size");
}

static void check_tampered_bitmap(void) {
    victim = SlabAllocatorInit(32);
    AllocatorAlloc(&victim, 32, 0);
    victim.live[0] |= 2; // slot 1 marked live but also on the free stack
    death_note_pointer(victim.slabs[0].start);
    SlabAllocatorCheck(&victim);
}
Test(slab_death, check_finds_a_live_bit_the_counts_do_not_explain) {
    expect_death(check_tampered_bitmap, "alloc: fatal: SlabAllocatorCheck: corrupted allocator: slab");
}

static void check_lost_index_entry(void) {
    victim = SlabAllocatorInit(32);
    AllocatorAlloc(&victim, 32, 0);
    memset(victim.index.slots, 0, victim.index.bytes); // the address map's table
    death_note_pointer(victim.index.slots);
    SlabAllocatorCheck(&victim);
}
Test(slab_death, check_finds_a_slab_missing_from_the_index) {
    expect_death(check_lost_index_entry, "alloc: fatal: SlabAllocatorCheck: corrupted allocator: slab index");
}

static void check_duplicate_free_id(void) {
    victim = SlabAllocatorInit(32);
    AllocatorAlloc(&victim, 32, 0);
    victim.free_ids[0] = victim.free_ids[1];
    death_note_pointer(victim.free_ids);
    SlabAllocatorCheck(&victim);
}
Test(slab_death, check_finds_a_slot_listed_twice_as_free) {
    expect_death(check_duplicate_free_id, "alloc: fatal: SlabAllocatorCheck: corrupted allocator: free list");
}
