// SPDX-License-Identifier: MIT
// libFuzzer target: SlabAllocator driven by the shared op-stream engine (fuzz_ops.c). The first
// byte picks the alignment (16 B up to 4 KiB), the second the slot size (1 B up to 64 KiB);
// requests never exceed the slot. Deinit must leave no OS memory mapped.
#include "alloc/Slab.h"
#include "fuzz_ops.h"

static void check_slab(Allocator *self) { SlabAllocatorCheck((SlabAllocator *)self); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    if (len < 2) return 0;
    size          alignment = (size)16 << (data[0] % 9);
    size          slot      = ((size)1 << (data[1] % 17)) + (data[1] >> 5) * 3;
    SlabAllocator slab      = SlabAllocatorInitAligned(alignment, slot);
    FuzzSubject   subject   = {
          .any             = ALLOCATOR_OF(&slab),
          .check           = check_slab,
          .deallocate_name = "slab_allocator_deallocate",
          .max_bytes       = slot,
          .misuse          = FUZZ_MISUSE_ALL,
          .interior_reason = "misaligned pointer", // not on a slot boundary
    };
    fuzz_run(&subject, data + 2, len - 2);
    SlabAllocatorDeinit(&slab);
    fuzz_expect_no_mapping();
    return 0;
}
