// SPDX-License-Identifier: MIT
// Slot bookkeeping shared by SlabAllocator and BudgetAllocator: a bitmap with one live bit per
// slot, the arithmetic from a byte offset to a slot index, and the fits-in-the-slot rule of their
// resize and remap. Both allocators keep their bookkeeping out of band (never inside a slot).
// Names carry `slots_`.
#ifndef ALLOC_SLOTS_INTERNAL_H
#define ALLOC_SLOTS_INTERNAL_H

#include "internal.h"

// Words of a bitmap with one bit per slot.
static inline size slots_bitmap_words(size slots) { return (slots + 63) / 64; }

static inline bool slots_is_live(const u64 *bits, u32 slot) {
    return (bits[slot >> 6] >> (slot & 63)) & 1;
}

static inline void slots_mark_live(u64 *bits, u32 slot) { bits[slot >> 6] |= (u64)1 << (slot & 63); }

static inline void slots_mark_free(u64 *bits, u32 slot) { bits[slot >> 6] &= ~((u64)1 << (slot & 63)); }

// log2(stride) when the stride is a power of two, else 0 (then offsets are divided).
static inline u8 slots_stride_shift(size stride) {
    if (!alloc_is_power_of_two(stride) || stride == 1) return 0;
    u8 shift = 0;
    while (((size)1 << shift) != stride) ++shift;
    return shift;
}

// The slot index at `offset` bytes from the first slot (offset < 2^32), and whether the offset is
// exactly on a slot boundary.
static inline u32 slots_index_of(size offset, size stride, u8 shift, bool *on_boundary) {
    u32 index    = shift ? (u32)(offset >> shift) : (u32)((u32)offset / (u32)stride);
    *on_boundary = (size)index * stride == offset;
    return index;
}

// Resize a live slot of `stride` bytes to `new_size` in place, as both allocators' resize does:
// possible iff 0 < new_size <= stride; counts a reallocation when it is.
static inline i8 slots_resize(Allocator *owner, size stride, size new_size) {
    if (!new_size || new_size > stride) return 0;
    alloc_stats_reallocated(owner, new_size, stride, stride);
    return 1;
}

// Remap a live slot `ptr` to `new_size` > 0: the slot itself when it fits, else NULL with the
// slot untouched and a failed allocation counted.
static inline void *slots_remap(Allocator *owner, void *ptr, size stride, size new_size) {
    if (new_size > stride) {
        alloc_stats_failed(owner);
        return NULL;
    }
    alloc_stats_reallocated(owner, new_size, stride, stride);
    return ptr;
}

// Number of set bits in a word.
static inline u32 slots_popcount(u64 word) { return (u32)__builtin_popcountll(word); }

#endif // ALLOC_SLOTS_INTERNAL_H
