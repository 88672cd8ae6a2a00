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

static bool magic_is_known(u64 magic) {
    switch (magic) {
    case PAGE_ALLOCATOR_MAGIC:
    case HEAP_ALLOCATOR_MAGIC:
    case ARENA_ALLOCATOR_MAGIC:
    case SLAB_ALLOCATOR_MAGIC:
    case BUDGET_ALLOCATOR_MAGIC:
    case DEBUG_ALLOCATOR_MAGIC: return true;
    default: return false;
    }
}

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

static void check_any(const Allocator *self, const char *function) {
    if (!self) AllocFatal(function, "NULL allocator", self);
    if (self->magic == 0) AllocFatal(function, "uninitialised allocator", self);
    if (!magic_is_known(self->magic)) AllocFatal(function, "unknown allocator type", self);
    check_vtable(self, function);
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

// At ALLOC_DEBUG >= 3 every operation through the dynamic path ends with the kind's full
// self-check (typed calls reach their kind directly and are not seen here). The kind is known by
// its vtable, not by its magic alone: a foreign implementation may borrow a known magic (the
// tests' reference allocator does).
static void self_check(Allocator *self) {
    AllocatorAllocateFn allocate = self->allocate;
    if (allocate == page_allocator_vtable_allocate) PageAllocatorCheck((const PageAllocator *)self);
    if (allocate == heap_allocator_vtable_allocate) HeapAllocatorCheck((const HeapAllocator *)self);
    if (allocate == arena_allocator_vtable_allocate) ArenaAllocatorCheck((const ArenaAllocator *)self);
    if (allocate == slab_allocator_vtable_allocate) SlabAllocatorCheck((const SlabAllocator *)self);
    if (allocate == budget_allocator_vtable_allocate) BudgetAllocatorCheck((const BudgetAllocator *)self);
    if (self->magic == DEBUG_ALLOCATOR_MAGIC && allocate == (AllocatorAllocateFn)debug_allocator_allocate)
        DebugAllocatorCheck((DebugAllocator *)self);
}

void *allocator_alloc_dyn(Allocator *self, size bytes, i8 zeroed) {
    check_any(self, __func__);
    if (bytes == 0) return NULL;
    u64   failures = self->stats.failed_allocations;
    void *ptr      = NULL;
    for (u32 attempt = attempts_of(self); attempt && !ptr; --attempt)
        ptr = self->allocate(self, bytes, zeroed);
    count_one_outcome(self, failures, ptr == NULL);
    ALLOC_SELF_CHECK(self_check(self));
    return ptr;
}

i8 allocator_resize_dyn(Allocator *self, void *ptr, size new_size) {
    check_any(self, __func__);
    i8 resized = self->resize(self, ptr, new_size);
    ALLOC_SELF_CHECK(self_check(self));
    return resized;
}

void *allocator_remap_dyn(Allocator *self, void *ptr, size new_size) {
    check_any(self, __func__);
    u64   failures = self->stats.failed_allocations;
    void *moved    = self->remap(self, ptr, new_size);
    if (new_size != 0) {
        for (u32 attempt = attempts_of(self) - 1; attempt && !moved; --attempt)
            moved = self->remap(self, ptr, new_size);
        count_one_outcome(self, failures, moved == NULL);
    }
    ALLOC_SELF_CHECK(self_check(self));
    return moved;
}

size allocator_free_dyn(Allocator *self, void *ptr) {
    check_any(self, __func__);
    size released = self->deallocate(self, ptr);
    ALLOC_SELF_CHECK(self_check(self));
    return released;
}

void *allocator_realloc_dyn(Allocator *self, void *ptr, size new_size) {
    check_any(self, __func__);
    if (ptr && new_size && self->resize(self, ptr, new_size)) return ptr;
    return allocator_remap_dyn(self, ptr, new_size);
}

AllocatorStats allocator_stats(const Allocator *self) {
    check_any(self, __func__);
    return self->stats;
}

void allocator_reset_stats(Allocator *self) {
    check_any(self, __func__);
    size in_use  = self->stats.bytes_in_use;
    memset(&self->stats, 0, sizeof self->stats);
    self->stats.bytes_in_use      = in_use;
    self->stats.peak_bytes_in_use = in_use;
}
