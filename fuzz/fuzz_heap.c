// SPDX-License-Identifier: MIT
// libFuzzer target: HeapAllocator driven by the shared op-stream engine (fuzz_ops.c): small size
// classes, page runs, small <-> large remaps, retention and give-back. The first byte picks the
// alignment (16 B up to 64 KiB). Deinit must leave no OS memory mapped.
#include "alloc/Heap.h"
#include "fuzz_ops.h"

static void check_heap(Allocator *self) { HeapAllocatorCheck((const HeapAllocator *)self); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    if (len < 1) return 0;
    size          alignment = (size)16 << (data[0] % 13);
    HeapAllocator heap      = HeapAllocatorInitAligned(alignment);
    FuzzSubject   subject   = {
          .any             = ALLOCATOR_OF(&heap),
          .check           = check_heap,
          .deallocate_name = "heap_allocator_deallocate",
          .max_bytes       = (size)64 << 10,
          .misuse          = FUZZ_MISUSE_ALL,
    };
    fuzz_run(&subject, data + 1, len - 1);
    HeapAllocatorDeinit(&heap);
    fuzz_expect_no_mapping();
    return 0;
}
