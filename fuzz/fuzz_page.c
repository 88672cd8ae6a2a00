// SPDX-License-Identifier: MIT
// libFuzzer target: PageAllocator driven by the shared op-stream engine (fuzz_ops.c). The first
// byte picks the alignment (16 bytes up to 64 KiB, so over-page alignment and its copy-on-grow
// path are covered); the rest is the op stream. Deinit must leave no OS memory mapped.
#include "alloc/Page.h"
#include "fuzz_ops.h"

static void check_page(Allocator *self) { PageAllocatorCheck((PageAllocator *)self); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    if (len < 1) return 0;
    size          alignment = (size)16 << (data[0] % 13); // 16 B .. 64 KiB
    PageAllocator pages     = PageAllocatorInitAligned(alignment);
    FuzzSubject   subject   = {
          .any                  = ALLOCATOR_OF(&pages),
          .check                = check_page,
          .deallocate_name      = "page_allocator_deallocate",
          .max_bytes            = (size)64 << 10,
          .misuse               = FUZZ_MISUSE_ALL,
    };
    fuzz_run(&subject, data + 1, len - 1);
    PageAllocatorDeinit(&pages);
    fuzz_expect_no_mapping();
    return 0;
}
