// SPDX-License-Identifier: MIT
// BudgetAllocator: fixed-size slots in a caller-supplied buffer, with no OS call. The buffer's
// head holds the bookkeeping (a live bitmap and a stack of freed slot indices), set up on first
// use; the slots follow, so no bookkeeping lies inside a slot. Under ASan or memcheck every slot
// not handed out is closed (sanitizer.h, borrowed memory) until Deinit opens the buffer again,
// so a use after free or an overflow into a free or never-used slot is caught at the access.
// Entry points: budget_allocator_{allocate,resize,remap,deallocate} and their vtable entries,
// BudgetAllocatorCapacity, BudgetAllocatorSlotSize, BudgetAllocatorDeinit, BudgetAllocatorCheck.
#include "alloc/Budget.h"
#include "internal.h"
#include "sanitizer.h"
#include "slots_internal.h"

#include <stddef.h> // offsetof

_Static_assert(offsetof(BudgetAllocator, base) == 0, "BudgetAllocator must start with its base");

static Allocator *base_of(BudgetAllocator *self) { return (Allocator *)self; }

// The fast paths' check: one compare; anything else goes to a path that checks in full.
static inline bool is_budget(const BudgetAllocator *self) {
    return self && self->base.magic == BUDGET_ALLOCATOR_MAGIC;
}

// The whole header check (magic, vtable, alignment), which names the reason.
static inline void check_header(const BudgetAllocator *self, const char *function) {
    if (ALLOC_LIKELY(self && self->base.magic == BUDGET_ALLOCATOR_MAGIC && self->base.allocate &&
                     self->base.resize && self->base.remap && self->base.deallocate &&
                     alloc_is_power_of_two(self->base.alignment)))
        return;
    alloc_check_header((const Allocator *)self, BUDGET_ALLOCATOR_MAGIC, "BudgetAllocator",
                       function);
}

// --- Layout -----------------------------------------------------------------------------------

typedef struct BudgetLayout {
    u64  *live;
    u32  *free_ids;
    char *slots;
} BudgetLayout;

// Where `n` slots and their bookkeeping go in [begin, end):
// [ pad | live: words(n) u64 | free_ids: n u32 | pad to alignment | n slots ]. False if they
// do not fit.
static bool layout_fits(uintptr_t begin, uintptr_t end, size n, size stride, size align,
                        BudgetLayout *out) {
    uintptr_t live  = (begin + 7) & ~(uintptr_t)7;
    size      words = slots_bitmap_words(n);
    if (live > end || words > (end - live) / 8) return false;
    uintptr_t ids = live + words * 8;
    if (n > (end - ids) / 4) return false;
    uintptr_t after = ids + n * 4;
    uintptr_t slots = (after + align - 1) & ~(uintptr_t)(align - 1);
    if (slots < after || slots > end || n > (end - slots) / stride) return false;
    *out = (BudgetLayout){.live = (u64 *)live, .free_ids = (u32 *)ids, .slots = (char *)slots};
    return true;
}

// The largest slot count that fits the buffer (binary search: fitting is monotonic in n).
static u32 largest_capacity(const BudgetAllocator *self, BudgetLayout *layout) {
    uintptr_t begin = (uintptr_t)self->buffer, end = begin + self->buffer_bytes;
    size      hi    = self->buffer_bytes / (self->stride + 4);
    if (hi > UINT32_MAX) hi = UINT32_MAX;
    size lo = 0;
    *layout = (BudgetLayout){0};
    if (!layout_fits(begin, end, 0, self->stride, self->base.alignment, layout)) return 0;
    while (lo < hi) { // invariant: lo fits
        size         mid = lo + (hi - lo + 1) / 2;
        BudgetLayout probe;
        if (layout_fits(begin, end, mid, self->stride, self->base.alignment, &probe))
            lo = mid, *layout = probe;
        else hi = mid - 1;
    }
    return (u32)lo;
}

// First use: check the configuration, carve the bookkeeping, clear the bitmap.
static void set_up(BudgetAllocator *self, const char *function) {
    size stride = alloc_align_up(self->slot_size, self->base.alignment);
    if (!self->slot_size || !stride) AllocFatal(function, "invalid slot size", self);
    if ((!self->buffer && self->buffer_bytes) ||
        (uintptr_t)self->buffer + self->buffer_bytes < (uintptr_t)self->buffer)
        AllocFatal(function, "invalid buffer", self->buffer);
    self->stride = stride;
    BudgetLayout layout;
    self->capacity     = largest_capacity(self, &layout);
    self->live         = self->capacity ? layout.live : NULL;
    self->free_ids     = self->capacity ? layout.free_ids : NULL;
    self->slots        = self->capacity ? layout.slots : NULL;
    self->free_len     = 0;
    self->fresh        = 0;
    self->stride_shift = slots_stride_shift(stride);
    if (self->capacity) memset(self->live, 0, slots_bitmap_words(self->capacity) * sizeof(u64));
    alloc_sanitize_borrowed_closed(self->slots, (size)self->capacity * self->stride);
}

// --- Slots ------------------------------------------------------------------------------------

// The most recently freed slot, else the next fresh one; NULL (counted) when the budget is spent.
static inline void *take_slot(BudgetAllocator *self, size bytes, i8 zeroed) {
    u32 slot;
    if (self->free_len) slot = self->free_ids[--self->free_len];
    else if (self->fresh < self->capacity) slot = self->fresh++;
    else {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    slots_mark_live(self->live, slot);
    char *block = self->slots + (size)slot * self->stride;
    alloc_sanitize_borrowed_opened(block, self->stride, zeroed != 0);
    if (zeroed) memset(block, 0, self->stride); // the caller's buffer may hold anything
    alloc_stats_allocated(base_of(self), bytes, self->stride);
    return block;
}

__attribute__((noinline)) static void *allocate_slow(BudgetAllocator *self, size bytes, i8 zeroed,
                                                     const char *function) {
    check_header(self, function);
    if (!bytes) return NULL;
    if (!self->stride) set_up(self, function);
    if (bytes > self->stride) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    return take_slot(self, bytes, zeroed);
}

// The slot index of `ptr` after checking that it is a live slot of this buffer; aborts otherwise.
static inline u32 live_slot(const BudgetAllocator *self, const void *ptr, const char *function) {
    uintptr_t address = (uintptr_t)ptr, first = (uintptr_t)self->slots;
    if (!self->capacity || address < first ||
        address - first >= (size)self->capacity * self->stride)
        AllocFatal(function, "foreign pointer", ptr);
    bool on_boundary;
    u32  slot = slots_index_of(address - first, self->stride, self->stride_shift, &on_boundary);
    if (!on_boundary) AllocFatal(function, "misaligned pointer", ptr);
    if (slot >= self->fresh) AllocFatal(function, "foreign pointer", ptr);
    if (!slots_is_live(self->live, slot)) AllocFatal(function, "double free", ptr);
    return slot;
}

static size release_slot(BudgetAllocator *self, u32 slot) {
    slots_mark_free(self->live, slot);
    self->free_ids[self->free_len++] = slot;
    alloc_sanitize_borrowed_closed(self->slots + (size)slot * self->stride, self->stride);
    alloc_stats_deallocated(base_of(self), self->stride);
    return self->stride;
}

// --- The typed interface ----------------------------------------------------------------------

void *budget_allocator_allocate(BudgetAllocator *self, size bytes, i8 zeroed) {
    ALLOC_CHECK_ON_RETURN(self);
    // `bytes - 1 < stride` is `0 < bytes <= stride`; before set-up the stride is 0.
    if (ALLOC_UNLIKELY(!is_budget(self) || bytes - 1 >= self->stride))
        return allocate_slow(self, bytes, zeroed, __func__);
    return take_slot(self, bytes, zeroed);
}

i8 budget_allocator_resize(BudgetAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, __func__);
    if (!ptr) return 0;
    live_slot(self, ptr, __func__);
    return slots_resize(base_of(self), self->stride, new_size);
}

void *budget_allocator_remap(BudgetAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, __func__);
    if (!ptr) return new_size ? budget_allocator_allocate(self, new_size, 1) : NULL;
    u32 slot = live_slot(self, ptr, __func__);
    if (!new_size) {
        release_slot(self, slot);
        return NULL;
    }
    return slots_remap(base_of(self), ptr, self->stride, new_size);
}

size budget_allocator_deallocate(BudgetAllocator *self, void *ptr) {
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_budget(self))) check_header(self, __func__);
    if (!ptr) return 0;
    return release_slot(self, live_slot(self, ptr, __func__));
}

// --- The vtable: the typed fast paths; the rest through the dynamic path's checks -------------

// Every call the entries' inline paths do not finish, a bad header included, goes through the
// dynamic path's checks to the typed function.
static void *allocate_typed(Allocator *self, size bytes, i8 zeroed) {
    return budget_allocator_allocate((BudgetAllocator *)self, bytes, zeroed);
}

static size deallocate_typed(Allocator *self, void *ptr) {
    return budget_allocator_deallocate((BudgetAllocator *)self, ptr);
}

void *budget_allocator_vtable_allocate(Allocator *base, size bytes, i8 zeroed) {
    BudgetAllocator *self = (BudgetAllocator *)base;
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_budget(self) || bytes - 1 >= self->stride ||
                       (!self->free_len && self->fresh >= self->capacity)))
        return alloc_dyn_allocate_slow(base, bytes, zeroed, allocate_typed);
    return take_slot(self, bytes, zeroed);
}

i8 budget_allocator_vtable_resize(Allocator *self, void *ptr, size new_size) {
    return budget_allocator_resize((BudgetAllocator *)self, ptr, new_size);
}

void *budget_allocator_vtable_remap(Allocator *self, void *ptr, size new_size) {
    return budget_allocator_remap((BudgetAllocator *)self, ptr, new_size);
}

size budget_allocator_vtable_deallocate(Allocator *base, void *ptr) {
    BudgetAllocator *self = (BudgetAllocator *)base;
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_budget(self) || !ptr))
        return alloc_dyn_deallocate_slow(base, ptr, deallocate_typed);
    return release_slot(self, live_slot(self, ptr, "budget_allocator_deallocate"));
}

// --- Queries and lifecycle --------------------------------------------------------------------

size BudgetAllocatorCapacity(BudgetAllocator *self) {
    check_header(self, __func__);
    if (!self->stride) set_up(self, __func__);
    return self->capacity;
}

size BudgetAllocatorSlotSize(const BudgetAllocator *self) {
    check_header(self, __func__);
    return alloc_align_up(self->slot_size, self->base.alignment);
}

void BudgetAllocatorDeinit(BudgetAllocator *self) {
    check_header(self, __func__);
    // The buffer is the caller's again: open every slot that is closed (live ones are open).
    for (u32 slot = 0; slot < self->capacity; ++slot)
        if (!slots_is_live(self->live, slot))
            alloc_sanitize_borrowed_returned(self->slots + (size)slot * self->stride, self->stride);
    memset(self, 0, sizeof *self);
}

// --- Self-check -------------------------------------------------------------------------------

static void check_layout(const BudgetAllocator *self, const char *function) {
    if (!self->stride) {
        if (self->capacity || self->free_len || self->fresh || self->live || self->free_ids ||
            self->slots)
            AllocFatal(function, "corrupted allocator: layout", self);
        return;
    }
    uintptr_t    begin = (uintptr_t)self->buffer, end = begin + self->buffer_bytes;
    size         align = self->base.alignment;
    BudgetLayout layout, larger;
    bool ok = self->stride == alloc_align_up(self->slot_size, align) &&
              self->stride_shift == slots_stride_shift(self->stride) &&
              !layout_fits(begin, end, (size)self->capacity + 1, self->stride, align, &larger);
    if (ok && self->capacity)
        ok = layout_fits(begin, end, self->capacity, self->stride, align, &layout) &&
             layout.live == self->live && layout.free_ids == self->free_ids &&
             layout.slots == self->slots;
    else if (ok)
        ok = !self->live && !self->free_ids && !self->slots;
    if (!ok) AllocFatal(function, "corrupted allocator: layout", self);
}

// Live bits: exactly `fresh - free_len` set, none at or past `fresh`. Free stack: each index
// below `fresh`, free, listed once (marked live while checking, then cleared again).
static void check_slots(const BudgetAllocator *self, const char *function) {
    if (self->fresh > self->capacity || self->free_len > self->fresh)
        AllocFatal(function, "corrupted allocator: counters", self);
    u32 live = 0, highest = 0;
    for (size w = 0; w < slots_bitmap_words(self->capacity); ++w) {
        live += slots_popcount(self->live[w]);
        if (self->live[w]) highest = (u32)(w * 64 + 64 - (u32)__builtin_clzll(self->live[w]));
    }
    if (live != self->fresh - self->free_len || highest > self->fresh)
        AllocFatal(function, "corrupted allocator: live bitmap", self->live);
    for (u32 i = 0; i < self->free_len; ++i) {
        u32 slot = self->free_ids[i];
        if (slot >= self->fresh || slots_is_live(self->live, slot))
            AllocFatal(function, "corrupted allocator: free list", self->free_ids);
        slots_mark_live(self->live, slot);
    }
    for (u32 i = 0; i < self->free_len; ++i) slots_mark_free(self->live, self->free_ids[i]);
    if (self->base.stats.bytes_in_use != (size)live * self->stride)
        AllocFatal(function, "corrupted allocator: statistics", self);
}

void BudgetAllocatorCheck(const BudgetAllocator *self) {
    const char *function = __func__;
    check_header(self, function);
    check_layout(self, function);
    if (self->base.footprint_bytes != 0)
        AllocFatal(function, "corrupted allocator: footprint", self);
    check_slots(self, function);
}

BudgetAllocator budget_allocator_init(size_t alignment, void *buffer, size_t buffer_bytes, size_t slot_bytes) {
    return BudgetAllocatorInitAligned(alignment, buffer, buffer_bytes, slot_bytes);
}
