// SPDX-License-Identifier: MIT
// Allocation-failure harness (see fault_harness.h). Replays after a checkpoint run in children
// of the death-test harness (tests/support/death.h): a child reports its counts on stdout and
// a failed expectation on stderr, and the test process checks both.
#include "fault_harness.h"

#include "death.h"

#include <criterion/criterion.h>
#include <inttypes.h> // PRIu64, SCNu64
#include <stdarg.h>   // va_list
#include <stdio.h>    // vsnprintf, printf, sscanf
#include <string.h>   // strstr
#include <unistd.h>   // _exit

// A one-shot failure needs one retry; random failures (a few per cent) rarely many.
enum { RETRIES_MAX = 64 };

// Only a window at each end is patterned: enough to see a lost or moved block, without touching
// every page of every block on each of the hundreds of replays.
enum { WINDOW = 48 };

// --- Reporting --------------------------------------------------------------------------------

static bool checkpointed; // a sweep with a checkpoint runs: the scenario is replayed in children
static bool in_child;     // this process is a replay child

_Noreturn void fault_fail(const char *file, int line, const char *format, ...) {
    char    message[400];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    if (in_child) {
        fprintf(stderr, "%s:%d: %s (failing call %llu)\n", file, line, message,
                (unsigned long long)alloc_fault_calls());
        fflush(stderr);
        _exit(1);
    }
    cr_assert_fail("%s:%d: %s", file, line, message);
    __builtin_unreachable();
}

// --- Patterns ---------------------------------------------------------------------------------

static unsigned char pattern_byte(const void *block, size i) {
    return (unsigned char)(((uintptr_t)block >> 4) * 31 + i * 7 + 1);
}

// The patterned byte ranges of a block of `bytes`: [0, head) and [tail, bytes).
static size window_head(size bytes) { return bytes < WINDOW ? bytes : WINDOW; }
static size window_tail(size bytes) { return bytes < 2 * WINDOW ? WINDOW : bytes - WINDOW; }

static void fill(void *block, size bytes) {
    unsigned char *p = block;
    for (size i = 0; i < window_head(bytes); ++i) p[i] = pattern_byte(block, i);
    for (size i = window_tail(bytes); i < bytes; ++i) p[i] = pattern_byte(block, i);
}

// True when the windows that fill() wrote into a block of `filled` bytes at `origin` still hold
// their pattern at `block`, as far as they lie within its first `bytes` bytes.
static bool intact_of(const void *block, const void *origin, size bytes, size filled) {
    const unsigned char *p = block;
    for (size i = 0; i < window_head(filled) && i < bytes; ++i)
        if (p[i] != pattern_byte(origin, i)) return false;
    for (size i = window_tail(filled); i < filled && i < bytes; ++i)
        if (p[i] != pattern_byte(origin, i)) return false;
    return true;
}

static bool intact(const void *block, const void *origin, size bytes) {
    return intact_of(block, origin, bytes, bytes);
}

// Zero-filled? Every byte of the first and last 4 KiB, and one byte in every 4 KiB between.
static bool all_zero(const void *block, size bytes) {
    const unsigned char *p = block;
    for (size i = 0; i < bytes; i = i < 4096 || i + 4096 >= bytes ? i + 1 : i + 4096)
        if (p[i]) return false;
    return true;
}

// --- Operations -------------------------------------------------------------------------------

// A NULL from the allocator: it must come from an injected failure, be counted, and leave the
// allocator consistent.
static void expect_explained_failure(Allocator *self, FaultCheckFn check, const char *what, size bytes,
                                     u64 injected_before, u64 failed_before, int retries) {
    FAULT_EXPECT(alloc_fault_failures() > injected_before, "%s(%zu) failed with no injected failure", what, bytes);
    FAULT_EXPECT(self->stats.failed_allocations > failed_before, "%s(%zu): failure not counted", what, bytes);
    FAULT_EXPECT(retries < RETRIES_MAX, "%s(%zu) keeps failing", what, bytes);
    check(self);
}

void *fault_alloc(Allocator *self, FaultCheckFn check, size bytes, i8 zeroed) {
    void *ptr = NULL;
    for (int retries = 0;; ++retries) {
        u64 injected = alloc_fault_failures(), failed = self->stats.failed_allocations;
        ptr          = self->allocate(self, bytes, zeroed);
        if (ptr) break;
        expect_explained_failure(self, check, "allocate", bytes, injected, failed, retries);
    }
    check(self);
    FAULT_EXPECT(((uintptr_t)ptr & (self->alignment - 1)) == 0, "misaligned block %p", ptr);
    FAULT_EXPECT(!zeroed || all_zero(ptr, bytes), "zeroed block %p is not zero", ptr);
    fill(ptr, bytes);
    return ptr;
}

void *fault_remap(Allocator *self, FaultCheckFn check, void *ptr, size old_bytes, size new_bytes) {
    void *moved = NULL;
    for (int retries = 0;; ++retries) {
        u64 injected = alloc_fault_failures(), failed = self->stats.failed_allocations;
        moved        = self->remap(self, ptr, new_bytes);
        if (moved) break;
        expect_explained_failure(self, check, "remap", new_bytes, injected, failed, retries);
        FAULT_EXPECT(intact(ptr, ptr, old_bytes), "a failed remap changed the block %p", ptr);
    }
    check(self);
    size kept = old_bytes < new_bytes ? old_bytes : new_bytes;
    FAULT_EXPECT(intact_of(moved, ptr, kept, old_bytes), "remap %p -> %p lost the contents", ptr, moved);
    fill(moved, new_bytes);
    return moved;
}

size fault_resize(Allocator *self, FaultCheckFn check, void *ptr, size old_bytes, size new_bytes) {
    i8 done = self->resize(self, ptr, new_bytes);
    check(self);
    size kept = done && new_bytes < old_bytes ? new_bytes : old_bytes;
    FAULT_EXPECT(intact_of(ptr, ptr, kept, old_bytes), "resize changed the block %p", ptr);
    if (!done) return old_bytes;
    fill(ptr, new_bytes);
    return new_bytes;
}

void fault_free(Allocator *self, FaultCheckFn check, void *ptr, size bytes) {
    FAULT_EXPECT(intact(ptr, ptr, bytes), "block %p was overwritten while live", ptr);
    size released = self->deallocate(self, ptr);
    FAULT_EXPECT(released >= bytes, "deallocate returned %zu for a block of %zu", released, bytes);
    check(self);
}

// --- Sweeps -----------------------------------------------------------------------------------

static u64 swept_calls; // calls the current sweep replayed (after the checkpoint, if any)

// Check the end of one run that failed call `n` (0: none) of `calls` counted.
static void expect_clean_end(u64 n, u64 failures, i64 mapped) {
    FAULT_EXPECT(failures == (n ? 1u : 0u), "run failing call %llu saw %llu injected failures",
                 (unsigned long long)n, (unsigned long long)failures);
    FAULT_EXPECT(mapped == 0, "run failing call %llu leaked %lld bytes of OS memory",
                 (unsigned long long)n, (long long)mapped);
}

// What a replay child prints at the end of the scenario.
#define REPORT_FORMAT "fault report: calls %" PRIu64 " failures %" PRIu64 " mapped %" PRId64
#define REPORT_SCAN "fault report: calls %" SCNu64 " failures %" SCNu64 " mapped %" SCNd64

void fault_checkpoint(void) {
    if (in_child || !checkpointed) return;
    static DeathRun run; // the child's output: large, so not on the stack
    for (u64 n = 0; n <= swept_calls || n == 0; ++n) {
        if (death_fork(&run)) {
            in_child = true;
            alloc_fault_fail_nth(n);
            return; // replay the rest of the scenario; fault_for_each_failing_call reports
        }
        death_wait(&run);
        const char *mismatch = death_exit_mismatch(&run, 0);
        cr_assert(mismatch == NULL, "replay failing call %llu: %s", (unsigned long long)n, mismatch);
        u64 calls = 0, failures = 0;
        i64 mapped = 0;
        const char *line = strstr(run.out, "fault report: ");
        cr_assert(line && sscanf(line, REPORT_SCAN, &calls, &failures, &mapped) == 3,
                  "replay failing call %llu printed no report: %s", (unsigned long long)n, run.out);
        if (n == 0) swept_calls = calls;
        expect_clean_end(n, failures, mapped);
    }
    alloc_fault_fail_nth(0); // the test process continues the scenario as one more clean run
}

u64 fault_for_each_failing_call(void (*scenario)(void), u64 min_calls) {
    checkpointed = true;
    swept_calls  = 0;
    alloc_fault_reset();
    scenario();
    if (in_child) {
        printf(REPORT_FORMAT "\n", alloc_fault_calls(), alloc_fault_failures(),
               alloc_fault_mapped_bytes());
        fflush(stdout);
        _exit(0);
    }
    checkpointed = false;
    expect_clean_end(0, alloc_fault_failures(), alloc_fault_mapped_bytes());
    if (swept_calls == 0) { // no checkpoint: replay the whole scenario in this process
        swept_calls = alloc_fault_calls();
        for (u64 n = 1; n <= swept_calls; ++n) {
            alloc_fault_reset();
            alloc_fault_fail_nth(n);
            scenario();
            expect_clean_end(n, alloc_fault_failures(), alloc_fault_mapped_bytes());
        }
    }
    cr_assert_geq(swept_calls, min_calls, "the scenario made only %llu mapping calls",
                  (unsigned long long)swept_calls);
    cr_log_info("%llu mapping calls swept", (unsigned long long)swept_calls);
    return swept_calls;
}
