// SPDX-License-Identifier: MIT
// Allocation-failure injection for tests and fuzzers (private, never in the production library).
// Built only with -DALLOC_FAULT_INJECTION: the OS layer (os.c) then asks alloc_fault_should_fail()
// before every call that maps new memory (alloc_os_map, alloc_os_map_aligned, the growing branch
// of alloc_os_remap) and reports every byte it maps or unmaps, so a test can make the Nth call
// fail, or fail calls at a seeded rate, and then check that nothing stayed mapped.
// The state is process-global and not thread-safe: single-threaded test binaries only.
#ifndef ALLOC_FAULT_INJECTION_H
#define ALLOC_FAULT_INJECTION_H

#ifndef ALLOC_FAULT_INJECTION
#error "fault_injection.h is for builds with -DALLOC_FAULT_INJECTION only"
#endif

#include "alloc/Types.h"

#include <stdbool.h> // bool

// Disarm every failure, zero every counter (calls, failures, mapped bytes).
void alloc_fault_reset(void);
// Make the `n`-th mapping call from now fail (1 = the next one), once; 0 disarms.
// Counting restarts from this call; the mapped-bytes balance is kept.
void alloc_fault_fail_nth(u64 n);
// Make each mapping call from now fail with probability `per_million` / 1e6, from a
// deterministic generator seeded with `seed`; 0 disarms. Replaces a pending fail_nth.
void alloc_fault_fail_random(u64 seed, u32 per_million);
// Mapping calls seen since the last reset / fail_nth / fail_random (failed ones included).
u64 alloc_fault_calls(void);
// Mapping calls made to fail since the last reset / fail_nth / fail_random.
u64 alloc_fault_failures(void);
// Bytes mapped minus bytes unmapped by the OS layer since the last alloc_fault_reset(): with every
// allocator deinitialised, anything but 0 is a leak of OS memory.
i64 alloc_fault_mapped_bytes(void);

// --- Hooks called by os.c only -----------------------------------------------------------------

// True when the mapping call being made now must fail; counts the call.
bool alloc_fault_should_fail(void);
// The OS layer mapped (`sign` = +1) or unmapped (-1) `bytes`.
void alloc_fault_account(size bytes, int sign);

// --- Implementation, compiled into os.c --------------------------------------------------------
#ifdef ALLOC_FAULT_INJECTION_IMPLEMENT

static struct {
    u64 calls;       // mapping calls seen since the last arm
    u64 failures;    // calls failed since the last arm
    u64 fail_at;     // 1-based call index to fail once; 0 = none
    u64 rng;         // xorshift64 state of the random mode
    u32 per_million; // failure rate of the random mode; 0 = off
    i64 mapped;      // bytes mapped minus bytes unmapped since the last reset
} alloc_fault;

static void alloc_fault_rearm(void) {
    alloc_fault.calls       = 0;
    alloc_fault.failures    = 0;
    alloc_fault.fail_at     = 0;
    alloc_fault.per_million = 0;
}

void alloc_fault_reset(void) {
    alloc_fault_rearm();
    alloc_fault.mapped = 0;
}

void alloc_fault_fail_nth(u64 n) {
    alloc_fault_rearm();
    alloc_fault.fail_at = n;
}

void alloc_fault_fail_random(u64 seed, u32 per_million) {
    alloc_fault_rearm();
    alloc_fault.rng         = seed * 0x9e3779b97f4a7c15ULL | 1; // xorshift needs a non-zero state
    alloc_fault.per_million = per_million;
}

u64 alloc_fault_calls(void) { return alloc_fault.calls; }
u64 alloc_fault_failures(void) { return alloc_fault.failures; }
i64 alloc_fault_mapped_bytes(void) { return alloc_fault.mapped; }

static u64 alloc_fault_next_random(void) {
    u64 x = alloc_fault.rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return alloc_fault.rng = x;
}

bool alloc_fault_should_fail(void) {
    alloc_fault.calls += 1;
    bool fail = alloc_fault.calls == alloc_fault.fail_at ||
                (alloc_fault.per_million && alloc_fault_next_random() % 1000000 < alloc_fault.per_million);
    if (fail) alloc_fault.failures += 1;
    return fail;
}

void alloc_fault_account(size bytes, int sign) {
    alloc_fault.mapped += sign > 0 ? (i64)bytes : -(i64)bytes;
}

#endif // ALLOC_FAULT_INJECTION_IMPLEMENT
#endif // ALLOC_FAULT_INJECTION_H
