// SPDX-License-Identifier: MIT
// Violation catalogue of HeapAllocator: what each shared misuse of cases.c ends in.
#include "heap.h"
#include "violations.h"

const char violation_kind[] = "HeapAllocator";

void violation_init(ViolationType *self, size_t block) {
    (void)block;
    *self = HeapAllocatorInit();
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "heap_allocator_deallocate"
#define NEIGHBOUR                                                                                  \
    "not detected: no canaries; bookkeeping is out of band, so only the neighbouring block's "    \
    "bytes change and HeapAllocatorCheck still passes (use DebugAllocator)"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"), "a 32-byte slot: its bit is already free", NULL},
    {"double_free_large", FATAL(FREE, "double free"), "a 1 MiB page run, retained after the free", NULL},
    {"double_free_unretained", FATAL(FREE, "double free"),
     "16 MiB is above HEAP_RETAINED_MAX_BYTES: unmapped at once, but the last HEAP_FREED_MAX "
     "unmapped addresses are remembered",
     NULL},
    {"double_free_delayed", FATAL(FREE, "double free"), NULL, NULL},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "the lowest free slot is taken first, so the reallocation gets the same address", NULL},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a PageAllocator block", NULL},
    {"interior_pointer", FATAL(FREE, "interior pointer"), NULL, NULL},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, NULL},
    {"realloc_foreign", FATAL("heap_allocator_remap", "foreign pointer"), NULL, NULL},
    {"overflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"overflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"underflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"underflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, NULL},
    {"write_after_free", VIOLATION_SURVIVES, NULL,
     "not detected: a free slot is only a bit in an out-of-band bitmap, so the heap stays "
     "consistent and hands the slot out again as it is, zero-filled if asked (use DebugAllocator)",
     NULL, NULL},
    {"wrong_type", FATAL(FREE, "type-confusion: not a HeapAllocator"),
     "a PageAllocator passed as a HeapAllocator", NULL},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, NULL},
    {"deinit_twice", FATAL("HeapAllocatorDeinit", "uninitialised allocator"), NULL, NULL},
};
const size_t violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
