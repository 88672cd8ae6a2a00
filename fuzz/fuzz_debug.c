// SPDX-License-Identifier: MIT
// libFuzzer target: DebugAllocator driven by the shared op-stream engine (fuzz_ops.c). The first
// byte picks the configuration: normal or page mode, guard page, canary size, quarantine length
// (0 makes a second free a "foreign pointer"), sampled guard pages (one block in 3) or not, and
// the second byte the alignment (16 B up to 64 KiB). Reports
// (leaks at Deinit) are discarded; Deinit must leave no OS memory mapped.
#include "alloc/Debug.h"
#include "fuzz_ops.h"

static void check_debug(Allocator *self) { DebugAllocatorCheck((DebugAllocator *)self); }

static void discard_report(const char *line, void *context) { (void)line, (void)context; }

static DebugAllocatorConfig config_of(uint8_t knobs) {
    static const u32 quarantines[4] = {0, 1, 7, 128};
    DebugAllocatorConfig config     = DebugAllocatorConfigDefault();
    config.page_mode                = (i8)(knobs & 1);
    config.guard_page               = (i8)(knobs >> 1 & 1);
    config.canary_bytes             = (size)(knobs >> 2 & 3) * 8; // 0, 8, 16, 24
    config.quarantine               = quarantines[knobs >> 4 & 3];
    config.sample_rate              = (knobs >> 6 & 1) ? 3 : 0;
    config.symbolize                = 0; // reports are discarded: no addr2line runs
    config.backtrace_depth          = 1;
    config.report                   = discard_report;
    return config;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    if (len < 2) return 0;
    size           alignment = (size)16 << (data[1] % 13); // 16 B .. 64 KiB
    DebugAllocator debug     = DebugAllocatorInitAlignedWith(alignment, config_of(data[0]));
    FuzzSubject    subject   = {
           .any                  = ALLOCATOR_OF(&debug),
           .check                = check_debug,
           .deallocate_name      = "debug_allocator_deallocate",
           .max_bytes            = (size)64 << 10,
           .misuse               = FUZZ_MISUSE_ALL,
    };
    fuzz_run(&subject, data + 2, len - 2);
    DebugAllocatorDeinit(&debug);
    fuzz_expect_no_mapping();
    return 0;
}
