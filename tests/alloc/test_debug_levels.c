// The assertion tiers of src/alloc/internal.h (ALLOC_DEBUG): at level 2 a violated precondition of
// a private helper aborts with the condition, file and line; at level 3 every operation through
// `Allocator *` ends with the kind's self-check, so a corrupted table is caught at the call that
// follows the corruption. Built into every test binary; each test states the level it needs and
// is skipped below it (the alloc-debug3 suite builds the library and the tests at level 3).
#include "alloc/Page.h"
#include "internal.h" // ALLOC_DEBUG, alloc_align_up
#include "death.h"

#include <criterion/criterion.h>

#if ALLOC_DEBUG >= 2
static void align_up_to_three(void) {
    volatile size align = 3;
    (void)alloc_align_up(10, align);
}
Test(debug_levels, level_2_names_the_broken_precondition) {
    expect_death(align_up_to_three, "alloc: fatal: alloc_align_up: internal assertion failed: "
                                    "alloc_is_power_of_two(align) (src/alloc/internal.h:109)");
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
