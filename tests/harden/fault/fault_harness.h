// Allocation-failure harness: operations on any `Allocator *` that tolerate injected OS failures
// (they check that each failure was reported, that the allocator is still consistent, and that a
// retry succeeds), and the driver that replays a scenario once per mapping call, failing that call.
#ifndef TESTS_FAULT_HARNESS_H
#define TESTS_FAULT_HARNESS_H

#include "alloc/Allocator.h"
#include "fault_injection.h"

// The allocator's public self-check (XxxAllocatorCheck), adapted to `Allocator *`.
typedef void (*FaultCheckFn)(Allocator *self);

// Allocate `bytes` and fill the block with a pattern derived from its address. A NULL is only
// accepted when an injected failure happened during the call; it must have been counted in
// failed_allocations, the allocator must pass `check`, and the retry must succeed.
void *fault_alloc(Allocator *self, FaultCheckFn check, size bytes, i8 zeroed);
// Move/grow/shrink a block of `old_bytes` (filled by fault_alloc or fault_remap) to `new_bytes`.
// On an injected failure the old block must be intact; on success the kept prefix must be.
// Returns the block (refilled with its new address's pattern).
void *fault_remap(Allocator *self, FaultCheckFn check, void *ptr, size old_bytes, size new_bytes);
// In-place resize: 0 (for any reason) must leave the block intact. Returns the usable size.
size fault_resize(Allocator *self, FaultCheckFn check, void *ptr, size old_bytes, size new_bytes);
// Free a block after checking its pattern; then `check`.
void fault_free(Allocator *self, FaultCheckFn check, void *ptr, size bytes);

// Run `scenario` (which must deinitialise every allocator it makes) with no failure, then once
// per mapping call n it makes, failing the n-th call only; it must make at least `min_calls`.
// Every run must end with no OS memory mapped. If the scenario calls fault_checkpoint(), its
// part before the checkpoint runs once and only the part after it is replayed, each replay in a
// forked child (a cheap snapshot of a long set-up). Returns the calls counted by the sweep.
u64 fault_for_each_failing_call(void (*scenario)(void), u64 min_calls);
// See fault_for_each_failing_call; at most once per scenario.
void fault_checkpoint(void);

// Report a failed expectation: a Criterion failure in the test process, a message to the parent
// and exit status 1 in a replay child.
_Noreturn void fault_fail(const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
#define FAULT_EXPECT(cond, ...)                                                                    \
    do {                                                                                           \
        if (!(cond)) fault_fail(__FILE__, __LINE__, __VA_ARGS__);                                  \
    } while (0)

#endif
