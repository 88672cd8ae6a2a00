// BudgetAllocator: slots in a caller's buffer, the capacity formula, NULL when full, zeroing of a
// dirty buffer, no OS memory, and one death test per fatal reason.
#include "alloc/Arena.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "alloc/Budget.h"
#include "death.h"

#include <criterion/criterion.h>
#include <stdint.h> // uintptr_t
#include <stdlib.h> // malloc: a libc pointer for the foreign-pointer test
#include <string.h> // memset
#include <unistd.h> // sysconf

static int all_bytes_are(const void *ptr, int value, size bytes) {
    const unsigned char *p = ptr;
    for (size i = 0; i < bytes; ++i)
        if (p[i] != (unsigned char)value) return 0;
    return 1;
}

static int inside(const void *ptr, const void *buffer, size bytes) {
    return (uintptr_t)ptr >= (uintptr_t)buffer && (uintptr_t)ptr < (uintptr_t)buffer + bytes;
}

Test(budget, zero_size_returns_null_and_counts_nothing) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(4, 32)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 32);
    cr_assert_null(AllocatorAlloc(&budget, 0, 0));
    cr_assert_null(AllocatorAlloc(ALLOCATOR_OF(&budget), 0, 1));
    cr_assert_eq(AllocatorAllocations(&budget), 0);
    cr_assert_eq(AllocatorFailedAllocations(&budget), 0);
    BudgetAllocatorCheck(&budget);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, buffer_bytes_gives_at_least_the_slots_asked_whatever_the_buffer_offset) {
    static unsigned char big[BudgetAllocatorBufferBytes(100, 24) + 64];
    for (size offset = 0; offset < 32; ++offset) {
        BudgetAllocator budget = BudgetAllocatorInit(big + offset, BudgetAllocatorBufferBytes(100, 24), 24);
        cr_assert_geq(BudgetAllocatorCapacity(&budget), 100, "offset %zu", offset);
        BudgetAllocatorCheck(&budget);
        BudgetAllocatorDeinit(&budget);
    }
}

Test(budget, bookkeeping_makes_capacity_less_than_buffer_over_slot_size) {
    _Alignas(16) unsigned char buffer[1024];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 32);
    size capacity = BudgetAllocatorCapacity(&budget);
    cr_assert_lt(capacity, sizeof buffer / 32);
    cr_assert_geq(capacity, 27);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, works_on_a_stack_buffer_and_returns_null_when_full) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(8, 48)];
    BudgetAllocator budget   = BudgetAllocatorInit(buffer, sizeof buffer, 48);
    size            capacity = BudgetAllocatorCapacity(&budget);
    void           *slots[64];
    for (size i = 0; i < capacity; ++i) {
        slots[i] = AllocatorAlloc(&budget, 48, 0);
        cr_assert_not_null(slots[i]);
        cr_assert(inside(slots[i], buffer, sizeof buffer));
        cr_assert_eq((uintptr_t)slots[i] % 16, 0);
        memset(slots[i], (int)i, 48);
    }
    cr_assert_null(AllocatorAlloc(&budget, 48, 0), "the budget is spent");
    cr_assert_eq(AllocatorFailedAllocations(&budget), 1);
    for (size i = 0; i < capacity; ++i) cr_assert(all_bytes_are(slots[i], (int)i, 48), "slot %zu overwritten", i);
    cr_assert_eq(AllocatorFree(&budget, slots[3]), 48);
    cr_assert_eq(AllocatorAlloc(&budget, 48, 0), slots[3], "a freed slot is available again");
    BudgetAllocatorCheck(&budget);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, never_maps_memory) {
    static unsigned char buffer[BudgetAllocatorBufferBytes(64, 100)];
    BudgetAllocator      budget = BudgetAllocatorInit(buffer, sizeof buffer, 100);
    for (int i = 0; i < 64; ++i) AllocatorAlloc(&budget, 100, 1);
    cr_assert_eq(AllocatorFootprintBytes(&budget), 0);
    BudgetAllocatorCheck(&budget);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, larger_than_the_slot_returns_null_and_counts_a_failure) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(2, 64)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 64);
    cr_assert_null(AllocatorAlloc(&budget, 65, 0));
    cr_assert_eq(AllocatorFailedAllocations(&budget), 1);
    cr_assert_eq(BudgetAllocatorSlotSize(&budget), 64);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, zeroed_on_a_dirty_buffer_and_on_recycled_slots) {
    unsigned char buffer[BudgetAllocatorBufferBytes(4, 64)];
    memset(buffer, 0xEE, sizeof buffer);
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 64);
    char *fresh = AllocatorAlloc(&budget, 64, 1);
    cr_assert(all_bytes_are(fresh, 0, 64), "a fresh slot of a dirty buffer is cleared");
    memset(fresh, 0x11, 64);
    AllocatorFree(&budget, fresh);
    char *again = AllocatorAlloc(&budget, 64, 1);
    cr_assert_eq(again, fresh);
    cr_assert(all_bytes_are(again, 0, 64));
    char *dirty = AllocatorAlloc(&budget, 64, 0);
    cr_assert(all_bytes_are(dirty, 0xEE, 64), "without zeroed the buffer's bytes are left");
    BudgetAllocatorDeinit(&budget);
}

Test(budget, slots_are_aligned_for_every_power_of_two_up_to_four_pages) {
    size page = (size)sysconf(_SC_PAGESIZE);
    for (size align = 1; align <= 4 * page; align *= 2) {
        size            bytes  = BudgetAllocatorBufferBytesAligned(align, 4, 40);
        unsigned char  *buffer = malloc(bytes);
        BudgetAllocator budget = BudgetAllocatorInitAligned(align, buffer, bytes, 40);
        cr_assert_geq(BudgetAllocatorCapacity(&budget), 4);
        for (int i = 0; i < 4; ++i) {
            char *slot = AllocatorAlloc(&budget, 40, 1);
            cr_assert_not_null(slot);
            cr_assert_eq((uintptr_t)slot % align, 0, "slot %p not aligned to %zu", (void *)slot, align);
            cr_assert(inside(slot, buffer, bytes) && inside(slot + 39, buffer, bytes));
        }
        BudgetAllocatorCheck(&budget);
        BudgetAllocatorDeinit(&budget);
        free(buffer);
    }
}

Test(budget, a_buffer_too_small_for_one_slot_has_no_capacity) {
    unsigned char   buffer[20];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 16);
    cr_assert_eq(BudgetAllocatorCapacity(&budget), 0);
    cr_assert_null(AllocatorAlloc(&budget, 16, 0));
    cr_assert_eq(AllocatorFailedAllocations(&budget), 1);
    BudgetAllocatorCheck(&budget);
    BudgetAllocator empty = BudgetAllocatorInit(NULL, 0, 16);
    cr_assert_null(AllocatorAlloc(&empty, 16, 0));
    BudgetAllocatorCheck(&empty);
    BudgetAllocatorDeinit(&empty);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, resize_succeeds_iff_the_new_size_fits_and_never_moves) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(2, 64)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 64);
    char *slot = AllocatorAlloc(&budget, 8, 0);
    memset(slot, 4, 64);
    cr_assert_eq(AllocatorResize(&budget, slot, 64), 1);
    cr_assert_eq(AllocatorResize(&budget, slot, 65), 0);
    cr_assert_eq(AllocatorResize(&budget, slot, 0), 0);
    cr_assert_eq(AllocatorResize(&budget, NULL, 1), 0);
    cr_assert(all_bytes_are(slot, 4, 64));
    cr_assert_eq(AllocatorReallocations(&budget), 1);
    BudgetAllocatorCheck(&budget);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, remap_keeps_the_bytes_within_the_slot_and_larger_returns_null) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(2, 128)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 128);
    char *slot = AllocatorRemap(&budget, NULL, 100);
    cr_assert(all_bytes_are(slot, 0, 128), "remap of NULL allocates zeroed");
    memset(slot, 0x42, 100);
    cr_assert_eq(AllocatorRemap(&budget, slot, 10), slot);
    cr_assert_eq(AllocatorRemap(&budget, slot, 128), slot);
    cr_assert(all_bytes_are(slot, 0x42, 100));
    cr_assert_null(AllocatorRemap(&budget, slot, 129));
    cr_assert(all_bytes_are(slot, 0x42, 100));
    cr_assert_eq(AllocatorFailedAllocations(&budget), 1);
    cr_assert_null(AllocatorRemap(&budget, slot, 0));
    cr_assert_eq(AllocatorBytesInUse(&budget), 0);
    cr_assert_eq(AllocatorDeallocations(&budget), 1);
    BudgetAllocatorCheck(&budget);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, statistics_count_effective_sizes) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(4, 20)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 20);
    void *a = AllocatorAlloc(&budget, 20, 0), *b = AllocatorAlloc(&budget, 5, 0);
    cr_assert_eq(AllocatorBytesInUse(&budget), 64);
    cr_assert_eq(AllocatorBytesRequested(&budget), 25);
    size before = AllocatorBytesInUse(&budget);
    size freed  = AllocatorFree(&budget, a);
    cr_assert_eq(freed, 32);
    cr_assert_eq(before - AllocatorBytesInUse(&budget), freed);
    AllocatorFree(&budget, b);
    cr_assert_eq(AllocatorPeakBytesInUse(&budget), 64);
    cr_assert_eq(AllocatorDeallocations(&budget), 2);
    BudgetAllocatorCheck(&budget);
    BudgetAllocatorDeinit(&budget);
}

Test(budget, typed_and_dynamic_paths_count_the_same) {
    unsigned char   one[BudgetAllocatorBufferBytes(2, 64)], two[BudgetAllocatorBufferBytes(2, 64)];
    BudgetAllocator typed = BudgetAllocatorInit(one, sizeof one, 64);
    BudgetAllocator dynamic = BudgetAllocatorInit(two, sizeof two, 64);
    Allocator      *any = ALLOCATOR_OF(&dynamic);
    void *a = AllocatorAlloc(&typed, 30, 1), *b = AllocatorAlloc(any, 30, 1);
    AllocatorResize(&typed, a, 60);
    AllocatorResize(any, b, 60);
    AllocatorRemap(&typed, a, 100);
    AllocatorRemap(any, b, 100);
    AllocatorFree(&typed, a);
    AllocatorFree(any, b);
    AllocatorStats s = AllocatorStatsOf(&typed), d = AllocatorStatsOf(&dynamic);
    cr_assert_eq(memcmp(&s, &d, sizeof s), 0);
    BudgetAllocatorDeinit(&typed);
    BudgetAllocatorDeinit(&dynamic);
}

Test(budget, deinit_zeroes_the_struct_and_leaves_the_buffer_to_the_caller) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(2, 16)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 16);
    char *slot = AllocatorAlloc(&budget, 16, 0);
    memset(slot, 0x99, 16);
    BudgetAllocatorDeinit(&budget);
    cr_assert(all_bytes_are(slot, 0x99, 16), "the buffer is not touched");
    BudgetAllocator zero;
    memset(&zero, 0, sizeof zero);
    cr_assert_eq(memcmp(&budget, &zero, sizeof budget), 0);
}

// --- Death tests ------------------------------------------------------------------------------

static BudgetAllocator victim;
static unsigned char   victim_buffer[BudgetAllocatorBufferBytes(8, 32)];

static void set_up_victim(void) {
    victim = BudgetAllocatorInit(victim_buffer, sizeof victim_buffer, 32);
}

static void free_stack_pointer(void) {
    set_up_victim();
    AllocatorAlloc(&victim, 32, 0);
    char on_stack[32];
    death_note_pointer(on_stack);
    AllocatorFree(&victim, on_stack);
}
Test(budget_death, stack_pointer_is_foreign) {
    expect_death(free_stack_pointer, "alloc: fatal: budget_allocator_deallocate: foreign pointer");
}

static void free_libc_pointer(void) {
    set_up_victim();
    AllocatorAlloc(&victim, 32, 0);
    void *from_libc = malloc(32);
    death_note_pointer(from_libc);
    AllocatorFree(&victim, from_libc);
}
Test(budget_death, libc_pointer_is_foreign) {
    expect_death(free_libc_pointer, "alloc: fatal: budget_allocator_deallocate: foreign pointer");
}

static void free_other_budgets_slot(void) {
    static unsigned char other_buffer[BudgetAllocatorBufferBytes(8, 32)];
    BudgetAllocator      other = BudgetAllocatorInit(other_buffer, sizeof other_buffer, 32);
    void                *theirs = AllocatorAlloc(&other, 32, 0);
    set_up_victim();
    AllocatorAlloc(&victim, 32, 0);
    death_note_pointer(theirs);
    AllocatorFree(&victim, theirs);
}
Test(budget_death, slot_of_another_budget_is_foreign) {
    expect_death(free_other_budgets_slot, "alloc: fatal: budget_allocator_deallocate: foreign pointer");
}

static void free_bookkeeping_pointer(void) {
    set_up_victim();
    AllocatorAlloc(&victim, 32, 0);
    death_note_pointer(victim.free_ids);
    AllocatorFree(&victim, victim.free_ids);
}
Test(budget_death, pointer_into_the_bookkeeping_is_foreign) {
    expect_death(free_bookkeeping_pointer, "alloc: fatal: budget_allocator_deallocate: foreign pointer");
}

static void free_twice(void) {
    set_up_victim();
    void *slot = AllocatorAlloc(&victim, 32, 0);
    AllocatorFree(&victim, slot);
    death_note_pointer(slot);
    AllocatorFree(&victim, slot);
}
Test(budget_death, double_free_aborts) {
    expect_death(free_twice, "alloc: fatal: budget_allocator_deallocate: double free");
}

static void free_interior_pointer(void) {
    set_up_victim();
    char *slot = AllocatorAlloc(&victim, 32, 0);
    death_note_pointer(slot + 8);
    AllocatorFree(&victim, slot + 8);
}
Test(budget_death, pointer_inside_a_slot_is_misaligned) {
    expect_death(free_interior_pointer, "alloc: fatal: budget_allocator_deallocate: misaligned pointer");
}

static void free_after_deinit(void) {
    set_up_victim();
    void *slot = AllocatorAlloc(&victim, 32, 0);
    BudgetAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    AllocatorFree(&victim, slot);
}
Test(budget_death, free_after_deinit_aborts) {
    expect_death(free_after_deinit, "alloc: fatal: budget_allocator_deallocate: uninitialised allocator");
}

static void allocate_on_zeroed_struct(void) {
    memset(&victim, 0, sizeof victim);
    death_note_pointer(&victim);
    AllocatorAlloc(&victim, 8, 0);
}
Test(budget_death, uninitialised_budget_aborts) {
    expect_death(allocate_on_zeroed_struct, "alloc: fatal: budget_allocator_allocate: uninitialised allocator");
}

static ArenaAllocator not_a_budget;
static void free_through_an_arena(void) {
    not_a_budget = ArenaAllocatorInit();
    void *block  = AllocatorAlloc(&not_a_budget, 16, 0);
    death_note_pointer(&not_a_budget);
    budget_allocator_deallocate((BudgetAllocator *)(void *)&not_a_budget, block);
}
Test(budget_death, type_confusion_aborts) {
    expect_death(free_through_an_arena,
                 "alloc: fatal: budget_allocator_deallocate: type-confusion: not a BudgetAllocator");
}

static void allocate_from_null_buffer(void) {
    victim = BudgetAllocatorInit(NULL, 4096, 32);
    death_note_pointer(NULL);
    AllocatorAlloc(&victim, 8, 0);
}
Test(budget_death, null_buffer_with_a_size_aborts) {
    expect_death(allocate_from_null_buffer, "alloc: fatal: budget_allocator_allocate: invalid buffer");
}

static void capacity_with_zero_slot(void) {
    victim = BudgetAllocatorInit(victim_buffer, sizeof victim_buffer, 0);
    death_note_pointer(&victim);
    BudgetAllocatorCapacity(&victim);
}
Test(budget_death, slot_size_zero_aborts) {
    expect_death(capacity_with_zero_slot, "alloc: fatal: BudgetAllocatorCapacity: invalid slot size");
}

static void check_lost_slot(void) {
    set_up_victim();
    AllocatorAlloc(&victim, 32, 0);
    victim.fresh += 1; // a slot counted as handed out that is neither live nor free
    death_note_pointer(victim.live);
    BudgetAllocatorCheck(&victim);
}
Test(budget_death, check_finds_a_slot_that_is_neither_live_nor_free) {
    expect_death(check_lost_slot, "alloc: fatal: BudgetAllocatorCheck: corrupted allocator: live bitmap");
}

Test(budget, a_retried_failure_through_the_dynamic_path_counts_once) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(1, 32)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 32);
    budget.base.effort     = ALLOCATOR_EFFORT_RETRY; // retry_limit 2: three attempts
    cr_assert_null(AllocatorAlloc(ALLOCATOR_OF(&budget), 64, 0)); // larger than a slot
    cr_assert_eq(AllocatorFailedAllocations(&budget), 1);
    BudgetAllocatorDeinit(&budget);
}
