// SPDX-License-Identifier: MIT
// libFuzzer target: BudgetAllocator driven by the shared op-stream engine (fuzz_ops.c), in a
// static buffer. The first byte picks the alignment (16 B up to 4 KiB), the second the slot size
// and the slot count; running out of slots returns NULL, which is allowed. It never maps memory.
#include "alloc/Budget.h"
#include "fuzz_ops.h"

_Alignas(4096) static unsigned char buffer[1 << 20];

static void check_budget(Allocator *self) { BudgetAllocatorCheck((BudgetAllocator *)self); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    if (len < 2) return 0;
    size            alignment = (size)16 << (data[0] % 9);
    size            slot      = (size)1 << (data[1] % 13); // 1 B .. 4 KiB
    size            slots     = (size)(data[1] >> 4) + 1;   // 1 .. 16
    size            bytes     = BudgetAllocatorBufferBytesAligned(alignment, slots, slot);
    BudgetAllocator budget    = BudgetAllocatorInitAligned(alignment, buffer, bytes, slot);
    FuzzSubject     subject   = {
            .any             = ALLOCATOR_OF(&budget),
            .check           = check_budget,
            .deallocate_name = "budget_allocator_deallocate",
            .max_bytes       = slot,
            .misuse          = FUZZ_MISUSE_ALL,
            .interior_reason = "misaligned pointer", // not on a slot boundary
            .may_run_out     = true,
    };
    fuzz_run(&subject, data + 2, len - 2);
    BudgetAllocatorDeinit(&budget);
    fuzz_expect_no_mapping();
    return 0;
}
