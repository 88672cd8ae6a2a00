// SPDX-License-Identifier: MIT
// Private helpers shared by the allocators: the OS layer (the only code that maps memory),
// validation of an allocator's header, statistics updates and small arithmetic. Nothing here is
// public; every name carries the `alloc_` prefix.
#ifndef ALLOC_INTERNAL_H
#define ALLOC_INTERNAL_H

#include "alloc/Allocator.h"
#include "alloc/Types.h"     // the short names (size, u8, i8…): opt-in

#include <stdbool.h> // bool
#include <string.h>  // memset, memcpy

// --- OS layer (os.c) --------------------------------------------------------------------------
// Every mapping is charged to `owner->footprint_bytes` (owner may be NULL for none).

// System page size in bytes (cached by the OS after the first call).
size alloc_os_page_size(void);
// Map `bytes` (a multiple of the page size) of zeroed read-write memory; NULL on failure.
void *alloc_os_map(Allocator *owner, size bytes);
// Map `bytes` aligned to `alignment` (a power of two, may exceed the page size); NULL on failure.
void *alloc_os_map_aligned(Allocator *owner, size bytes, size alignment);
// Unmap a region returned by alloc_os_map*; `bytes` is the length that was mapped.
void alloc_os_unmap(Allocator *owner, void *ptr, size bytes);
// Grow or shrink a mapping, moving it only when `may_move`; NULL on failure (old one untouched).
void *alloc_os_remap(Allocator *owner, void *ptr, size old_bytes, size new_bytes, bool may_move);
// Access flags for alloc_os_protect.
enum { ALLOC_PROT_NONE = 0, ALLOC_PROT_READ = 1, ALLOC_PROT_WRITE = 2 };
// Change the protection of whole pages; false on failure.
bool alloc_os_protect(void *ptr, size bytes, int prot);
// Give the pages' contents back to the OS but keep the range mapped (reads as zero after).
void alloc_os_discard(void *ptr, size bytes);
// Ask for huge pages on a large table read at random (fewer TLB misses); a hint, may do nothing.
// Give it before the pages are first touched.
void alloc_os_advise_huge(void *ptr, size bytes);

// --- Validation (Allocator.c) -----------------------------------------------------------------

// Abort unless `self` is a live allocator of type `expected_magic` with a sane header.
// `function` is the public entry point to name in the diagnostic. Reasons, exactly:
//   "NULL allocator", "uninitialised allocator", "type-confusion: not a(n) <type_name>",
//   "corrupted allocator: NULL function pointer",
//   "corrupted allocator: alignment is not a power of two".
void alloc_check_header(const Allocator *self, u64 expected_magic, const char *type_name,
                        const char *function);

// Whether `self` passes alloc_check_header for `expected_magic` (not NULL, that magic, every
// function pointer set, a power-of-two alignment), without a call: a kind's slow paths test this
// inline and call alloc_check_header, which names the reason and aborts, only when it fails.
static inline bool alloc_header_ok(const Allocator *self, u64 expected_magic) {
    return self && self->magic == expected_magic && self->allocate && self->resize &&
           self->remap && self->deallocate && self->alignment &&
           (self->alignment & (self->alignment - 1)) == 0;
}

// The slow paths of the `allocate` and `deallocate` entries of a kind that validates itself
// (Allocator.validates_itself): every call its inline path does not finish, a foreign magic
// included. They check the header as the dynamic path does, naming allocator_alloc_dyn /
// allocator_free_dyn, then call `typed` (the kind's typed function behind an `Allocator *`
// signature), an allocation with the retry policy of `effort`.
void *alloc_dyn_allocate_slow(Allocator *self, size bytes, i8 zeroed, AllocatorAllocateFn typed);
size  alloc_dyn_deallocate_slow(Allocator *self, void *ptr, AllocatorDeallocateFn typed);

// --- Assertion tiers (ALLOC_DEBUG, like mimalloc's MI_DEBUG) -----------------------------------
// Level 1 (the default): the argument and ownership checks of the contract, always on: they are
//   the fatal diagnostics the headers document.
// Level 2: internal invariants and the preconditions of private helpers (ALLOC_ASSERT), which a
//   correct library never violates; a failure names the condition, file and line.
// Level 3: also the kind's full self-check (XxxAllocatorCheck) after every operation, typed
//   (ALLOC_CHECK_ON_RETURN) or through `Allocator *` (ALLOC_SELF_CHECK). `make test` runs the library's whole suite once built at level 3.
#ifndef ALLOC_DEBUG
#define ALLOC_DEBUG 1
#endif

// Abort via AllocFatal(function, "internal assertion failed: <cond> (<file>:<line>)", NULL).
ALLOC_NORETURN void alloc_assert_failed(const char *cond, const char *file, int line,
                                        const char *function);
#if ALLOC_DEBUG >= 2
#define ALLOC_ASSERT(cond) ((cond) ? (void)0 : alloc_assert_failed(#cond, __FILE__, __LINE__, __func__))
#else // compiled (so the condition stays valid code) but never evaluated
#define ALLOC_ASSERT(cond) (0 ? (void)(cond) : (void)0)
#endif
// The kind's full self-check of an allocator known by its vtable (Allocator.c); NULL or a
// foreign implementation: nothing.
void alloc_self_check(Allocator *self);
#if ALLOC_DEBUG >= 3
// `ALLOC_CHECK_ON_RETURN(self);` first in a typed public function: the self-check runs when the
// function returns, whichever return it takes (a cleanup handler; an abort skips it).
static inline void alloc_self_check_on_return(Allocator *const *self) { alloc_self_check(*self); }
#define ALLOC_CHECK_ON_RETURN(self)                                                                \
    Allocator *const alloc_checked_self __attribute__((cleanup(alloc_self_check_on_return))) =      \
        (Allocator *)(self)
#define ALLOC_SELF_CHECK(call) (call)
#else // compiled (so it stays valid) but never called
#define ALLOC_CHECK_ON_RETURN(self) ((void)(self))
#define ALLOC_SELF_CHECK(call) (0 ? (call) : (void)0)
#endif

// --- Statistics -------------------------------------------------------------------------------
// Inline: they run on every allocation and free of every allocator's fast path.

static inline void alloc_stats_raise_peak(AllocatorStats *stats) {
    if (stats->bytes_in_use > stats->peak_bytes_in_use) stats->peak_bytes_in_use = stats->bytes_in_use;
}

// bytes_in_use is updated first and on its own: written this way gcc does not merge it with
// bytes_requested into one 16-byte vector load, which stalls (no store forwarding) right after a
// free's 8-byte store to bytes_in_use (an alloc/free pair was 30% slower).
static inline void alloc_stats_allocated(Allocator *self, size requested, size effective) {
    size in_use              = self->stats.bytes_in_use + effective;
    self->stats.bytes_in_use = in_use;
    if (in_use > self->stats.peak_bytes_in_use) self->stats.peak_bytes_in_use = in_use;
    self->stats.allocations += 1;
    self->stats.bytes_requested += requested;
}

static inline void alloc_stats_reallocated(Allocator *self, size requested, size old_effective,
                                           size new_effective) {
    self->stats.bytes_requested += requested;
    self->stats.bytes_in_use = self->stats.bytes_in_use - old_effective + new_effective;
    self->stats.reallocations += 1;
    alloc_stats_raise_peak(&self->stats);
}

static inline void alloc_stats_deallocated(Allocator *self, size effective) {
    ALLOC_ASSERT(effective <= self->stats.bytes_in_use);
    self->stats.bytes_in_use -= effective;
    self->stats.deallocations += 1;
}

static inline void alloc_stats_failed(Allocator *self) { self->stats.failed_allocations += 1; }

// --- Arithmetic -------------------------------------------------------------------------------

static inline bool alloc_is_power_of_two(size x) { return x != 0 && (x & (x - 1)) == 0; }

// Round `x` up to a multiple of `align` (a power of two); 0 when that overflows.
static inline size alloc_align_up(size x, size align) {
    ALLOC_ASSERT(alloc_is_power_of_two(align));
    size rounded = (x + align - 1) & ~(align - 1);
    return rounded < x ? 0 : rounded;
}

static inline bool alloc_is_aligned(const void *ptr, size align) {
    ALLOC_ASSERT(alloc_is_power_of_two(align));
    return ((uintptr_t)ptr & (align - 1)) == 0;
}

#define ALLOC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ALLOC_LIKELY(x)   __builtin_expect(!!(x), 1)

// --- Tables mapped from the OS (os.c) -----------------------------------------------------------

// Grow a table mapped from the OS (`*table`, mapped length `*bytes`, NULL/0 for none yet) to at
// least `need` bytes: page-rounded, at least doubling, contents kept (moved by mremap on Linux,
// never copied page by page). False when the OS refuses or the size overflows: the table untouched.
bool alloc_os_grow(Allocator *owner, void **table, size *bytes, size need);

#endif // ALLOC_INTERNAL_H
