// The assertion tiers of src/alloc/internal.h (ALLOC_DEBUG): at level 2 a false ALLOC_ASSERT
// aborts naming the condition, file and line; at level 3 every operation, typed or through
// `Allocator *`, ends with the kind's self-check, so a corrupted table is caught by the call that
// follows the corruption. Built into every test binary; each test states the level it needs and
// is skipped below it (the alloc-debug3 suite builds the library and the tests at level 3).
#include "alloc/Page.h"
#include "internal.h" // ALLOC_DEBUG, alloc_align_up
#include "death.h"

#include <criterion/criterion.h>
#include <stdio.h> // snprintf

#if ALLOC_DEBUG >= 2
static const int broken_line = __LINE__ + 1; // the line of the ALLOC_ASSERT just below
static void assert_a_false_condition(void) { volatile int two = 2; ALLOC_ASSERT(two == 3); }
Test(debug_levels, level_2_names_the_broken_condition_file_and_line) {
    char expected[256];
    snprintf(expected, sizeof expected,
             "alloc: fatal: assert_a_false_condition: internal assertion failed: two == 3 "
             "(tests/alloc/test_debug_levels.c:%d)", broken_line);
    expect_death(assert_a_false_condition, expected);
}
#endif

static PageAllocator victim;
#if ALLOC_DEBUG >= 3
static void free_null_after_corrupting_the_table(void) {
    victim = PageAllocatorInit();
    (void)AllocatorAlloc(&victim, 100, 0);
    victim.len = victim.cap + 1;
    death_note_pointer(&victim);
    (void)AllocatorFree(ALLOCATOR_OF(&victim), NULL); // a no-op, then the self-check
}
Test(debug_levels, level_3_self_checks_after_a_dynamic_call) {
    expect_death(free_null_after_corrupting_the_table,
                 "alloc: fatal: PageAllocatorCheck: corrupted allocator: live table");
}
static void allocate_after_corrupting_the_footprint(void) {
    victim = PageAllocatorInit();
    (void)AllocatorAlloc(&victim, 100, 0);
    victim.base.footprint_bytes += 4096;
    death_note_pointer(&victim);
    (void)AllocatorAlloc(&victim, 100, 0); // typed: the self-check runs as it returns
}
Test(debug_levels, level_3_self_checks_after_a_typed_call) {
    expect_death(allocate_after_corrupting_the_footprint,
                 "alloc: fatal: PageAllocatorCheck: corrupted allocator: footprint");
}
#else
Test(debug_levels, below_level_3_a_dynamic_call_does_not_self_check) {
    victim = PageAllocatorInit();
    (void)AllocatorAlloc(&victim, 100, 0);
    uint32_t len = victim.len;
    victim.len   = victim.cap + 1;
    cr_assert_eq(AllocatorFree(ALLOCATOR_OF(&victim), NULL), 0);
    victim.len = len;
    PageAllocatorDeinit(&victim);
}
#endif
