// BudgetAllocator and the OS layer: it must never map memory, so a workload makes no mapping
// call, and with every mapping call set to fail it behaves exactly the same.
#include "alloc/Budget.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "fault_harness.h"

#include <criterion/criterion.h>

static void check_budget(Allocator *self) { BudgetAllocatorCheck((const BudgetAllocator *)self); }

static u64 budget_workload(void) {
    static unsigned char buffer[BudgetAllocatorBufferBytes(32, 64)];
    BudgetAllocator      budget = BudgetAllocatorInit(buffer, sizeof buffer, 64);
    Allocator           *any    = ALLOCATOR_OF(&budget);
    void                *slots[32];
    for (int i = 0; i < 32; ++i) slots[i] = fault_alloc(any, check_budget, 64 - (size)(i % 9), (i8)(i & 1));
    FAULT_EXPECT(any->allocate(any, 8, 0) == NULL, "a full budget handed out a 33rd slot");
    for (int i = 0; i < 32; i += 3) fault_free(any, check_budget, slots[i], 64 - (size)(i % 9));
    u64 allocations = any->stats.allocations;
    BudgetAllocatorDeinit(&budget);
    return allocations;
}

Test(fault_budget, makes_no_mapping_call) {
    alloc_fault_reset();
    cr_assert_eq(budget_workload(), 32);
    cr_assert_eq(alloc_fault_calls(), 0);
    cr_assert_eq(alloc_fault_mapped_bytes(), 0);
}

Test(fault_budget, is_unaffected_when_every_mapping_call_fails) {
    alloc_fault_reset();
    alloc_fault_fail_random(1, 1000000);
    cr_assert_eq(budget_workload(), 32);
    cr_assert_eq(alloc_fault_failures(), 0);
}
