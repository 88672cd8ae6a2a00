// The failure injector itself: fail_nth fails exactly one call, counts restart when armed,
// the random mode is deterministic per seed, and the mapped-bytes balance follows the OS layer.
#include "fault_injection.h"
#include "internal.h"

#include <criterion/criterion.h>

Test(fault_injector, fail_nth_fails_that_call_only) {
    alloc_fault_reset();
    size ps = alloc_os_page_size();
    alloc_fault_fail_nth(2);
    void *first = alloc_os_map(NULL, ps);
    void *second = alloc_os_map(NULL, ps);
    void *third = alloc_os_map_aligned(NULL, ps, 8 * ps);
    cr_assert_not_null(first);
    cr_assert_null(second);
    cr_assert_not_null(third);
    cr_assert_eq(alloc_fault_calls(), 3);
    cr_assert_eq(alloc_fault_failures(), 1);
    cr_assert_eq(alloc_fault_mapped_bytes(), (i64)(2 * ps));
    alloc_os_unmap(NULL, first, ps);
    alloc_os_unmap(NULL, third, ps);
    cr_assert_eq(alloc_fault_mapped_bytes(), 0);
}

Test(fault_injector, remap_growth_fails_and_leaves_the_mapping) {
    alloc_fault_reset();
    size  ps    = alloc_os_page_size();
    char *block = alloc_os_map(NULL, ps);
    cr_assert_not_null(block);
    block[0] = 42;
    alloc_fault_fail_nth(1);
    cr_assert_null(alloc_os_remap(NULL, block, ps, 4 * ps, true));
    cr_assert_eq(block[0], 42);
    cr_assert_eq(alloc_fault_mapped_bytes(), (i64)ps);
    char *grown = alloc_os_remap(NULL, block, ps, 4 * ps, true); // the next call succeeds
    cr_assert_not_null(grown);
    cr_assert_eq(grown[0], 42);
    cr_assert_eq(alloc_os_remap(NULL, grown, 4 * ps, 2 * ps, true), grown); // shrinking maps nothing
    cr_assert_eq(alloc_fault_calls(), 2);
    alloc_os_unmap(NULL, grown, 2 * ps);
    cr_assert_eq(alloc_fault_mapped_bytes(), 0);
}

static u64 failure_pattern(u64 seed) {
    alloc_fault_fail_random(seed, 500000);
    u64 bits = 0;
    for (int i = 0; i < 64; ++i) bits = bits << 1 | (u64)alloc_fault_should_fail();
    return bits;
}

Test(fault_injector, random_mode_is_deterministic_per_seed) {
    alloc_fault_reset();
    cr_assert_eq(failure_pattern(7), failure_pattern(7));
    cr_assert_neq(failure_pattern(7), failure_pattern(8));
    u64 pattern = failure_pattern(7);
    cr_assert(pattern != 0 && pattern != ~(u64)0, "a 50%% rate gave %llx", (unsigned long long)pattern);
    alloc_fault_fail_random(7, 0);
    for (int i = 0; i < 100; ++i) cr_assert_not(alloc_fault_should_fail());
}

Test(fault_injector, reset_disarms_a_pending_failure) {
    alloc_fault_fail_nth(1);
    alloc_fault_reset();
    size  ps    = alloc_os_page_size();
    void *block = alloc_os_map(NULL, ps);
    cr_assert_not_null(block);
    alloc_os_unmap(NULL, block, ps);
    cr_assert_eq(alloc_fault_failures(), 0);
}
