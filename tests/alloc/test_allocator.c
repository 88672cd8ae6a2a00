// The dynamic path of Allocator.h: validation of any Allocator *, the retry policy, statistics
// reset and the replaceable fatal handler. Uses a fake allocator so it needs no real one.
#include "alloc/Allocator.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "death.h"

#include <criterion/criterion.h>
#include <setjmp.h> // longjmp out of the fatal handler
#include <string.h>

static int  fake_calls;
static int  fake_failures_left;
static char fake_block[64];

static void *fake_allocate(Allocator *self, size bytes, i8 zeroed) {
    (void)bytes; (void)zeroed;
    fake_calls++;
    if (fake_failures_left > 0) {
        fake_failures_left--;
        self->stats.failed_allocations += 1; // as every typed allocator counts its own failures
        return NULL;
    }
    return fake_block;
}
static i8 fake_resize(Allocator *self, void *ptr, size new_size) {
    (void)self; (void)ptr;
    return new_size <= sizeof fake_block;
}
static void *fake_remap(Allocator *self, void *ptr, size new_size) {
    (void)new_size;
    fake_calls++;
    if (fake_failures_left > 0) {
        fake_failures_left--;
        self->stats.failed_allocations += 1;
        return NULL;
    }
    return ptr ? ptr : fake_block;
}
static size fake_deallocate(Allocator *self, void *ptr) {
    (void)self;
    return ptr ? sizeof fake_block : 0;
}

// A fake that borrows the Page magic: the dynamic path only checks that the magic is known.
static Allocator fake(AllocatorEffort effort, u32 retry_limit) {
    return (Allocator){.allocate = fake_allocate, .resize = fake_resize, .remap = fake_remap,
                       .deallocate = fake_deallocate, .alignment = 16, .effort = effort,
                       .retry_limit = retry_limit, .magic = PAGE_ALLOCATOR_MAGIC};
}

Test(allocator_dyn, effort_once_makes_one_attempt) {
    Allocator a = fake(ALLOCATOR_EFFORT_ONCE, 5);
    fake_calls = 0; fake_failures_left = 1;
    cr_assert_null(AllocatorAlloc(&a, 8, 0));
    cr_assert_eq(fake_calls, 1);
}

Test(allocator_dyn, effort_retry_makes_retry_limit_plus_one_attempts) {
    Allocator a = fake(ALLOCATOR_EFFORT_RETRY, 2);
    fake_calls = 0; fake_failures_left = 10;
    cr_assert_null(AllocatorAlloc(&a, 8, 0));
    cr_assert_eq(fake_calls, 3);
    fake_calls = 0; fake_failures_left = 2;
    cr_assert_eq(AllocatorAlloc(&a, 8, 0), fake_block);
    cr_assert_eq(fake_calls, 3);
}

Test(allocator_dyn, a_retried_allocation_that_fails_counts_one_failure) {
    Allocator a = fake(ALLOCATOR_EFFORT_RETRY, 2);
    fake_failures_left = 10;
    cr_assert_null(AllocatorAlloc(&a, 8, 0));
    cr_assert_eq(AllocatorFailedAllocations(&a), 1);
    fake_failures_left = 10;
    cr_assert_null(AllocatorRemap(&a, fake_block, 32));
    cr_assert_eq(AllocatorFailedAllocations(&a), 2);
}

Test(allocator_dyn, a_retried_allocation_that_succeeds_counts_no_failure) {
    Allocator a = fake(ALLOCATOR_EFFORT_RETRY, 2);
    fake_failures_left = 2;
    cr_assert_eq(AllocatorAlloc(&a, 8, 0), fake_block);
    fake_failures_left = 1;
    cr_assert_eq(AllocatorRemap(&a, fake_block, 32), fake_block);
    cr_assert_eq(AllocatorFailedAllocations(&a), 0);
}

Test(allocator_dyn, remap_retries_too) {
    Allocator a = fake(ALLOCATOR_EFFORT_RETRY, 1);
    fake_calls = 0; fake_failures_left = 1;
    cr_assert_eq(AllocatorRemap(&a, fake_block, 32), fake_block);
    cr_assert_eq(fake_calls, 2);
}

Test(allocator_dyn, zero_bytes_returns_null_without_calling) {
    Allocator a = fake(ALLOCATOR_EFFORT_ONCE, 0);
    fake_calls = 0; fake_failures_left = 0;
    cr_assert_null(AllocatorAlloc(&a, 0, 0));
    cr_assert_eq(fake_calls, 0);
}

Test(allocator_dyn, realloc_resizes_in_place_before_remapping) {
    Allocator a = fake(ALLOCATOR_EFFORT_ONCE, 0);
    fake_calls = 0; fake_failures_left = 0;
    cr_assert_eq(AllocatorRealloc(&a, fake_block, 32), fake_block);
    cr_assert_eq(fake_calls, 0, "an in-place resize must not call remap");
    cr_assert_eq(AllocatorRealloc(&a, fake_block, 128), fake_block);
    cr_assert_eq(fake_calls, 1);
}

Test(allocator_dyn, free_returns_the_released_bytes) {
    Allocator a = fake(ALLOCATOR_EFFORT_ONCE, 0);
    cr_assert_eq(AllocatorFree(&a, fake_block), sizeof fake_block);
    cr_assert_eq(AllocatorFree(&a, NULL), 0);
}

Test(allocator_stats, reset_keeps_bytes_in_use_and_sets_peak_to_it) {
    Allocator a                  = fake(ALLOCATOR_EFFORT_ONCE, 0);
    a.stats.bytes_in_use         = 100;
    a.stats.peak_bytes_in_use    = 900;
    a.stats.allocations          = 7;
    a.stats.failed_allocations   = 2;
    a.footprint_bytes            = 4096;
    AllocatorResetStats(&a);
    cr_assert_eq(AllocatorBytesInUse(&a), 100);
    cr_assert_eq(AllocatorPeakBytesInUse(&a), 100);
    cr_assert_eq(AllocatorAllocations(&a), 0);
    cr_assert_eq(AllocatorFailedAllocations(&a), 0);
    cr_assert_eq(AllocatorFootprintBytes(&a), 4096);
    cr_assert_eq(AllocatorStatsOf(&a).bytes_in_use, 100);
}

static Allocator victim;

static void alloc_on_zeroed_allocator(void) {
    memset(&victim, 0, sizeof victim);
    death_note_pointer(&victim);
    AllocatorAlloc(&victim, 8, 0);
}
Test(allocator_death, uninitialised_allocator_aborts) {
    expect_death(alloc_on_zeroed_allocator, "alloc: fatal: allocator_alloc_dyn: uninitialised allocator");
}

static void alloc_on_unknown_magic(void) {
    victim       = fake(ALLOCATOR_EFFORT_ONCE, 0);
    victim.magic = 0x1234;
    death_note_pointer(&victim);
    AllocatorAlloc(&victim, 8, 0);
}
Test(allocator_death, unknown_magic_aborts) {
    expect_death(alloc_on_unknown_magic, "alloc: fatal: allocator_alloc_dyn: unknown allocator type");
}

static void free_with_null_vtable_slot(void) {
    victim            = fake(ALLOCATOR_EFFORT_ONCE, 0);
    victim.deallocate = NULL;
    death_note_pointer(&victim);
    AllocatorFree(&victim, fake_block);
}
Test(allocator_death, null_function_pointer_aborts) {
    expect_death(free_with_null_vtable_slot,
                 "alloc: fatal: allocator_free_dyn: corrupted allocator: NULL function pointer");
}

static void resize_with_bad_alignment(void) {
    victim           = fake(ALLOCATOR_EFFORT_ONCE, 0);
    victim.alignment = 24;
    death_note_pointer(&victim);
    AllocatorResize(&victim, fake_block, 8);
}
Test(allocator_death, non_power_of_two_alignment_aborts) {
    expect_death(resize_with_bad_alignment,
                 "alloc: fatal: allocator_resize_dyn: corrupted allocator: alignment is not a power of two");
}

static void stats_of_null(void) {
    death_note_pointer(NULL);
    allocator_stats(NULL);
}
Test(allocator_death, null_allocator_aborts) {
    expect_death(stats_of_null, "alloc: fatal: allocator_stats: NULL allocator");
}

static jmp_buf escape;
static char    heard[256];
static void    record_and_escape(const char *line, void *context) {
    strncpy(heard, line, sizeof heard - 1);
    *(int *)context += 1;
    longjmp(escape, 1);
}
Test(allocator_log, fatal_handler_receives_the_line_and_can_be_restored) {
    int               calls    = 0;
    AllocFatalHandler previous = AllocSetFatalHandler(record_and_escape, &calls);
    cr_assert_null(previous);
    if (!setjmp(escape)) AllocFatal("some_function", "some reason", (void *)0x1000);
    cr_assert_eq(calls, 1);
    cr_assert_str_eq(heard, "alloc: fatal: some_function: some reason 0x1000");
    cr_assert_eq(AllocSetFatalHandler(previous, NULL), record_and_escape);
}
