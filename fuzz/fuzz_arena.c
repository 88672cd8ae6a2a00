// SPDX-License-Identifier: MIT
// libFuzzer target: ArenaAllocator driven by the shared op-stream engine (fuzz_ops.c). The first
// byte picks the alignment (16 B up to 64 KiB), the second the first chunk's size (0 = default,
// else 1 KiB to 1 MiB). Only the most recent block can be freed, resized or remapped; frees of
// other blocks must be no-ops returning 0; Reset empties the arena and keeps its chunks. Deinit
// must leave no OS memory mapped.
#include "alloc/Arena.h"
#include "fuzz_ops.h"

static void check_arena(Allocator *self) { ArenaAllocatorCheck((ArenaAllocator *)self); }
static void reset_arena(Allocator *self) { ArenaAllocatorReset((ArenaAllocator *)self); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    if (len < 2) return 0;
    size           alignment = (size)16 << (data[0] % 13);
    size           chunk     = data[1] % 11 ? (size)512 << (data[1] % 11) : 0;
    ArenaAllocator arena     = ArenaAllocatorInitAlignedChunk(alignment, chunk);
    FuzzSubject    subject   = {
           .any             = ALLOCATOR_OF(&arena),
           .check           = check_arena,
           .reset           = reset_arena,
           .deallocate_name = "arena_allocator_deallocate",
           .max_bytes       = (size)64 << 10,
           .misuse          = FUZZ_MISUSE_MISALIGNED | FUZZ_MISUSE_FOREIGN | FUZZ_MISUSE_DOUBLE,
           .latest_only     = true,
    };
    fuzz_run(&subject, data + 2, len - 2);
    ArenaAllocatorDeinit(&arena);
    fuzz_expect_no_mapping();
    return 0;
}
