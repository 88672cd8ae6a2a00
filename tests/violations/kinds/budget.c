// SPDX-License-Identifier: MIT
// Violation catalogue of BudgetAllocator: what each shared misuse of cases.c ends in. The slots
// live in static buffers, one per instance; the allocator never maps memory.
#include "budget.h"
#include "violations.h"

const char violation_kind[] = "BudgetAllocator";

static _Alignas(64) unsigned char buffers[2][BudgetAllocatorBufferBytes(4, (size_t)1 << 20)];
static const ViolationType       *first;

// The first instance ever initialised gets the first buffer, any other instance the second.
void violation_init(ViolationType *self, size_t block) {
    if (!first) first = self;
    unsigned char *buffer = buffers[self == first ? 0 : 1];
    *self                 = BudgetAllocatorInit(buffer, sizeof buffers[0], block);
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "budget_allocator_deallocate"
#define NEIGHBOUR                                                                                  \
    "not detected: no canaries; the bookkeeping sits before the first slot, never between "       \
    "slots, so only the neighbouring slot's bytes change (use DebugAllocator)"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"), "64-byte slots", NULL},
    {"double_free_large", FATAL(FREE, "double free"), "1 MiB slots", NULL},
    {"double_free_delayed", FATAL(FREE, "double free"), NULL, NULL},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "the last freed slot is handed out first, so the reallocation gets the same address", NULL},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a PageAllocator block", NULL},
    {"interior_pointer", FATAL(FREE, "misaligned pointer"),
     "a budget reports any pointer off a slot boundary as misaligned", NULL},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, NULL},
    {"realloc_foreign", FATAL("budget_allocator_remap", "foreign pointer"), NULL, NULL},
    {"overflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"overflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"underflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"underflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"write_after_free", VIOLATION_SURVIVES, NULL,
     "not detected: a free slot is only a bit out of band, so the allocator stays consistent and "
     "hands the slot out again as it is, zero-filled if asked (use DebugAllocator)",
     NULL, NULL},
    {"wrong_type", FATAL(FREE, "type-confusion: not a BudgetAllocator"),
     "a PageAllocator passed as a BudgetAllocator", NULL},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, NULL},
    {"deinit_twice", FATAL("BudgetAllocatorDeinit", "uninitialised allocator"), NULL, NULL},
};
const size_t violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
