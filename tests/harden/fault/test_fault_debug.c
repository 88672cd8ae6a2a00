// DebugAllocator under allocation-failure injection: record-table growth (map, then remap) with
// index rebuilds, the backtrace store, blocks from the embedded heap (over-aligned too), sampled
// blocks on their own pages (one in 3, falling back to the heap when their mapping fails; the
// mappings of those that leave the quarantine kept for reuse, in a page mapped at the first), the
// quarantine ring mapped at the first free, eviction, remap (new block + copy + retire), page
// mode with guard pages, and leaked blocks at Deinit; replayed once per mapping call with that
// call failing, plus seeded random failures.
#include "alloc/Debug.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "fault_harness.h"

#include <criterion/criterion.h>

static void check_debug(Allocator *self) { DebugAllocatorCheck((DebugAllocator *)self); }

static void discard_report(const char *line, void *context) { (void)line, (void)context; }

// Small quarantine (evictions happen), short traces (replays stay cheap), silent leak report.
static DebugAllocatorConfig quiet_config(i8 page_mode) {
    DebugAllocatorConfig config = DebugAllocatorConfigDefault();
    config.page_mode            = page_mode;
    config.sample_rate          = page_mode ? 0 : 3;
    config.quarantine           = 6;
    config.backtrace_depth      = 2;
    config.report               = discard_report;
    config.symbolize            = 0; // reports are discarded: no addr2line runs
    return config;
}

enum { BLOCKS = 66 }; // past the first record table (64 rows): growth by remap, index rebuilt

static void debug_scenario(i8 page_mode, size alignment) {
    DebugAllocator debug = DebugAllocatorInitAlignedWith(alignment, quiet_config(page_mode));
    Allocator     *any   = ALLOCATOR_OF(&debug);
    void          *blocks[BLOCKS];
    size           sizes[BLOCKS];
    for (int i = 0; i < BLOCKS; ++i) {
        sizes[i]  = (size)(i * 37 % 300 + 1);
        blocks[i] = fault_alloc(any, check_debug, sizes[i], (i8)(i % 3 == 0));
        if (i == 60) fault_checkpoint(); // replay from here: the first record table is nearly full
    }
    for (int i = 0; i < BLOCKS; i += 8) { // remap = new block + copy + retire the old one
        blocks[i] = fault_remap(any, check_debug, blocks[i], sizes[i], sizes[i] + 5000);
        sizes[i] += 5000;
    }
    sizes[1] = fault_resize(any, check_debug, blocks[1], sizes[1], 8);
    for (int i = 0; i < BLOCKS; i += 2) fault_free(any, check_debug, blocks[i], sizes[i]); // evictions
    for (int i = 0; i < 20; i += 2) blocks[i] = fault_alloc(any, check_debug, sizes[i], 1);
    for (int i = 0; i < 20; ++i) fault_free(any, check_debug, blocks[i], sizes[i]);
    DebugAllocatorDeinit(&debug); // blocks 21.. leak: Deinit must unmap it
}

static void debug_normal_scenario(void) { debug_scenario(0, 16); }
static void debug_page_mode_scenario(void) { debug_scenario(1, 16); }
static void debug_over_aligned_scenario(void) { debug_scenario(0, 1 << 16); }

Test(fault_debug, every_failing_call_is_reported_and_recovered) {
    // Normal mode maps per heap segment and per sampled block, not per block, and a sampled
    // block may reuse the mapping of one that left the quarantine: fewer calls.
    fault_for_each_failing_call(debug_normal_scenario, 9);
}

Test(fault_debug, every_failing_call_in_page_mode_is_reported_and_recovered) {
    fault_for_each_failing_call(debug_page_mode_scenario, 15);
}

Test(fault_debug, every_failing_call_with_over_page_alignment_is_reported_and_recovered) {
    fault_for_each_failing_call(debug_over_aligned_scenario, 15);
}

Test(fault_debug, random_failures_never_leak_or_corrupt) {
    for (u64 seed = 1; seed <= 8; ++seed) {
        alloc_fault_reset();
        alloc_fault_fail_random(seed, 100000);
        DebugAllocator debug    = DebugAllocatorInitWith(quiet_config((i8)(seed & 1)));
        Allocator     *any      = ALLOCATOR_OF(&debug);
        void          *live[40] = {0};
        size           len[40]  = {0};
        u64            x        = seed;
        for (int op = 0; op < 400; ++op) {
            x          = x * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned k = (unsigned)(x >> 33) % 40;
            size     n = (x >> 20) % 9000 + 1;
            if (!live[k]) {
                live[k] = fault_alloc(any, check_debug, n, (i8)(x >> 50 & 1));
                len[k]  = n;
            } else if ((x >> 45) % 3 == 0) {
                live[k] = fault_remap(any, check_debug, live[k], len[k], n);
                len[k]  = n;
            } else {
                fault_free(any, check_debug, live[k], len[k]);
                live[k] = NULL;
            }
        }
        FAULT_EXPECT(alloc_fault_failures() > 0, "seed %llu injected nothing", (unsigned long long)seed);
        DebugAllocatorDeinit(&debug);
        FAULT_EXPECT(alloc_fault_mapped_bytes() == 0, "seed %llu leaked", (unsigned long long)seed);
    }
}
