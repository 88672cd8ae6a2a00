// SPDX-License-Identifier: MIT
// The dynamic path of the Allocator interface: the `allocator_*_dyn` functions validate an
// `Allocator *` of any type, then call through its vtable with the retry policy. Also the shared
// header check and the statistics updates every typed allocator calls.
#include "alloc/Allocator.h"
#include "internal.h"

#include "alloc/Arena.h"  // the kinds' self-checks, for ALLOC_DEBUG >= 3
#include "alloc/Budget.h"
#include "alloc/Debug.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Slab.h"

// A perfect hash of the six magics into 8 rows (the multiplier was searched for: the top 3 bits
// of magic * MAGIC_HASH differ for all six), so "is it a known type" is one multiply, one load and
// one compare. The two spare rows hold 1, which no magic (nor 0) hashes to them with.
#define MAGIC_HASH 0x91b7584a2265b1f5ULL
static const u64 known_magics[8] = {1,
                                    HEAP_ALLOCATOR_MAGIC,
                                    BUDGET_ALLOCATOR_MAGIC,
                                    SLAB_ALLOCATOR_MAGIC,
                                    DEBUG_ALLOCATOR_MAGIC,
                                    1,
                                    PAGE_ALLOCATOR_MAGIC,
                                    ARENA_ALLOCATOR_MAGIC};

static inline bool magic_is_known(u64 magic) { return known_magics[(magic * MAGIC_HASH) >> 61] == magic; }

static void check_vtable(const Allocator *self, const char *function) {
    if (!self->allocate || !self->resize || !self->remap || !self->deallocate)
        AllocFatal(function, "corrupted allocator: NULL function pointer", self);
    if (!alloc_is_power_of_two(self->alignment))
        AllocFatal(function, "corrupted allocator: alignment is not a power of two", self);
}

void alloc_check_header(const Allocator *self, u64 expected_magic, const char *type_name,
                        const char *function) {
    if (ALLOC_UNLIKELY(!self)) AllocFatal(function, "NULL allocator", self);
    if (ALLOC_LIKELY(self->magic == expected_magic)) {
        check_vtable(self, function);
        return;
    }
    if (self->magic == 0) AllocFatal(function, "uninitialised allocator", self);
    bool vowel      = strchr("AEIOU", type_name[0]) != NULL;
    char reason[64] = "type-confusion: not a";
    strncat(reason, vowel ? "n " : " ", sizeof reason - strlen(reason) - 1);
    strncat(reason, type_name, sizeof reason - strlen(reason) - 1);
    AllocFatal(function, reason, self);
}

// The reason `self` fails check_any, in the contract's order; aborts.
__attribute__((noinline, cold)) static void diagnose_any(const Allocator *self, const char *function) {
    if (!self) AllocFatal(function, "NULL allocator", self);
    if (self->magic == 0) AllocFatal(function, "uninitialised allocator", self);
    if (!magic_is_known(self->magic)) AllocFatal(function, "unknown allocator type", self);
    check_vtable(self, function);
}

// The dynamic path's one validation: a known type, a non-NULL function pointer in the slot it is
// about to call (`slot`: the others are checked when they are called), a power-of-two
// alignment; the typed function then checks only its own magic.
typedef enum Slot { SLOT_ALLOCATE, SLOT_RESIZE, SLOT_REMAP, SLOT_DEALLOCATE, SLOT_ALL } Slot;

static inline bool slot_present(const Allocator *self, Slot slot) {
    switch (slot) {
    case SLOT_ALLOCATE: return self->allocate != NULL;
    case SLOT_RESIZE: return self->resize != NULL;
    case SLOT_REMAP: return self->remap != NULL;
    case SLOT_DEALLOCATE: return self->deallocate != NULL;
    case SLOT_ALL: break;
    }
    return self->allocate && self->resize && self->remap && self->deallocate;
}

static inline void check_any(const Allocator *self, Slot slot, const char *function) {
    if (ALLOC_LIKELY(self && magic_is_known(self->magic) && slot_present(self, slot) &&
                     alloc_is_power_of_two(self->alignment)))
        return;
    diagnose_any(self, function);
}

static u32 attempts_of(const Allocator *self) {
    return self->effort == ALLOCATOR_EFFORT_RETRY ? self->retry_limit + 1 : 1;
}

// Each attempt that fails counts one failure in the typed allocator; a retried call is still one
// allocation: it ends with the count it had plus one if every attempt failed, plus none if one
// succeeded.
static void count_one_outcome(Allocator *self, u64 failures_before, bool failed) {
    self->stats.failed_allocations = failures_before + (failed ? 1 : 0);
}

// At ALLOC_DEBUG >= 3 every operation ends with the kind's full self-check (internal.h). The
// kind is known by its vtable, not by its magic alone: a foreign implementation may borrow a
// known magic (the tests' reference allocator does).
void alloc_self_check(Allocator *self) {
    if (!self) return;
    AllocatorAllocateFn allocate = self->allocate;
    if (allocate == page_allocator_vtable_allocate) PageAllocatorCheck((const PageAllocator *)self);
    if (allocate == heap_allocator_vtable_allocate) HeapAllocatorCheck((const HeapAllocator *)self);
    if (allocate == arena_allocator_vtable_allocate) ArenaAllocatorCheck((const ArenaAllocator *)self);
    if (allocate == slab_allocator_vtable_allocate) SlabAllocatorCheck((const SlabAllocator *)self);
    if (allocate == budget_allocator_vtable_allocate) BudgetAllocatorCheck((const BudgetAllocator *)self);
    if (allocate == debug_allocator_vtable_allocate) DebugAllocatorCheck((DebugAllocator *)self);
}

// The attempts of `allocate` after a first one that failed (`failures`: the count before it).
__attribute__((noinline)) static void *alloc_retry(Allocator *self, AllocatorAllocateFn allocate,
                                                   size bytes, i8 zeroed, u64 failures) {
    void *ptr = NULL;
    for (u32 attempt = attempts_of(self) - 1; attempt && !ptr; --attempt)
        ptr = allocate(self, bytes, zeroed);
    count_one_outcome(self, failures, ptr == NULL);
    ALLOC_SELF_CHECK(alloc_self_check(self));
    return ptr;
}

// One allocation through `allocate` with the retry policy, on a validated allocator.
static void *alloc_with_effort(Allocator *self, AllocatorAllocateFn allocate, size bytes, i8 zeroed) {
    if (bytes == 0) return NULL;
    u64   failures = self->stats.failed_allocations;
    void *ptr      = allocate(self, bytes, zeroed);
    if (ALLOC_UNLIKELY(!ptr)) return alloc_retry(self, allocate, bytes, zeroed, failures);
    ALLOC_SELF_CHECK(alloc_self_check(self)); // a first attempt that succeeds counted no failure
    return ptr;
}

void *allocator_alloc_dyn(Allocator *self, size bytes, i8 zeroed) {
    check_any(self, SLOT_ALLOCATE, __func__);
    // A kind that validates itself applies the policy in its entry's slow path.
    if (self->validates_itself) return self->allocate(self, bytes, zeroed);
    return alloc_with_effort(self, self->allocate, bytes, zeroed);
}

void *alloc_dyn_allocate_slow(Allocator *self, size bytes, i8 zeroed, AllocatorAllocateFn typed) {
    check_any(self, SLOT_ALLOCATE, "allocator_alloc_dyn");
    return alloc_with_effort(self, typed, bytes, zeroed);
}

size alloc_dyn_deallocate_slow(Allocator *self, void *ptr, AllocatorDeallocateFn typed) {
    check_any(self, SLOT_DEALLOCATE, "allocator_free_dyn");
    size released = typed(self, ptr);
    ALLOC_SELF_CHECK(alloc_self_check(self));
    return released;
}

i8 allocator_resize_dyn(Allocator *self, void *ptr, size new_size) {
    check_any(self, SLOT_RESIZE, __func__);
    i8 resized = self->resize(self, ptr, new_size);
    ALLOC_SELF_CHECK(alloc_self_check(self));
    return resized;
}

void *allocator_remap_dyn(Allocator *self, void *ptr, size new_size) {
    check_any(self, SLOT_REMAP, __func__);
    u64   failures = self->stats.failed_allocations;
    void *moved    = self->remap(self, ptr, new_size);
    if (new_size != 0) {
        for (u32 attempt = attempts_of(self) - 1; attempt && !moved; --attempt)
            moved = self->remap(self, ptr, new_size);
        count_one_outcome(self, failures, moved == NULL);
    }
    ALLOC_SELF_CHECK(alloc_self_check(self));
    return moved;
}

size allocator_free_dyn(Allocator *self, void *ptr) {
    check_any(self, SLOT_DEALLOCATE, __func__);
    size released = self->deallocate(self, ptr);
    ALLOC_SELF_CHECK(alloc_self_check(self));
    return released;
}

void *allocator_realloc_dyn(Allocator *self, void *ptr, size new_size) {
    check_any(self, SLOT_ALL, __func__);
    if (ptr && new_size && self->resize(self, ptr, new_size)) return ptr;
    return allocator_remap_dyn(self, ptr, new_size);
}

AllocatorStats allocator_stats(const Allocator *self) {
    check_any(self, SLOT_ALL, __func__);
    return self->stats;
}

void allocator_reset_stats(Allocator *self) {
    check_any(self, SLOT_ALL, __func__);
    size in_use  = self->stats.bytes_in_use;
    memset(&self->stats, 0, sizeof self->stats);
    self->stats.bytes_in_use      = in_use;
    self->stats.peak_bytes_in_use = in_use;
}
